"""Python peers for the TCP server tests (the seeds' clients are Python too).

  lines PORT LINE...        send the lines, half-close (shutdown SHUT_WR), print everything received until EOF
  raw PORT HEX              send bytes, half-close, print what came back as hex
  prefixed PORT SIZE TEXT   send TEXT with a SIZE-byte network-order length, print the framed reply's text
  reset PORT TEXT           send TEXT without a newline, then reset the connection (SO_LINGER 0)
  hold PORT COUNT           open COUNT idle connections, print 'ready N', exit when stdin closes
"""
import os, resource, select, socket, struct, sys

HOST = os.environ.get('PEER_HOST', '127.0.0.1')


def connect(port):
    s = socket.create_connection((HOST, port), timeout=10)
    return s


def read_all(s):
    chunks = []
    while True:
        data = s.recv(65536)
        if not data:
            return b''.join(chunks)
        chunks.append(data)


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    if mode == 'lines':
        s = connect(port)
        s.sendall(''.join(line + '\n' for line in sys.argv[3:]).encode('utf-8'))
        s.shutdown(socket.SHUT_WR)
        sys.stdout.write(read_all(s).decode('utf-8'))
    elif mode == 'raw':
        s = connect(port)
        s.sendall(bytes.fromhex(sys.argv[3]))
        s.shutdown(socket.SHUT_WR)
        print(read_all(s).hex())
    elif mode == 'prefixed':
        size, body = int(sys.argv[3]), sys.argv[4].encode('utf-8')
        fmt = '!H' if size == 2 else '!I'
        s = connect(port)
        s.sendall(struct.pack(fmt, len(body)) + body)
        s.shutdown(socket.SHUT_WR)
        reply = read_all(s)
        (length,) = struct.unpack(fmt, reply[:size])
        print('%d %s' % (length, reply[size:size + length].decode('utf-8')))
    elif mode == 'reset':
        s = connect(port)
        s.sendall(sys.argv[3].encode('utf-8'))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        s.close()
        print('reset')
    elif mode == 'hold':
        count = int(sys.argv[3])
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, count + 100)), hard))
        held = []
        for _ in range(count):
            held.append(connect(port))
        print('ready %d' % len(held), flush=True)
        sys.stdin.read()
        for s in held:
            s.close()
    else:
        raise SystemExit('unknown mode ' + mode)


if __name__ == '__main__':
    main()
