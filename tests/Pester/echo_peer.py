"""Python echo servers for the Measure-TcpServer tests (a peer that is not PSNetLab).

  echo                  a threaded TCP echo server: every byte back as it came
  corrupt               the same, but the last byte before each newline has its low bit flipped

Prints 'port N' once listening on 127.0.0.1, and exits when stdin closes.
"""
import socket, sys, threading


def serve(conn, corrupt):
    with conn:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while True:
            try:
                data = conn.recv(65536)
            except OSError:
                return
            if not data:
                return
            if corrupt:
                data = bytearray(data)
                for i in range(1, len(data)):
                    if data[i] == 0x0A:
                        data[i - 1] ^= 1
            try:
                conn.sendall(data)
            except OSError:
                return


def main():
    corrupt = sys.argv[1] == 'corrupt'
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(('127.0.0.1', 0))
    listener.listen(128)

    def accept():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn, corrupt), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    print('port', listener.getsockname()[1], flush=True)
    sys.stdin.read()


if __name__ == '__main__':
    main()
