using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>
    /// A control channel on a Unix domain stream socket (Linux, macOS). Everything is read with
    /// recvmsg, never recv: a plain recv would silently discard a descriptor riding on the bytes
    /// it reads. Received descriptors wait in arrival order until their Connection message is
    /// decoded. The socket is only used synchronously, so its descriptor stays in blocking mode
    /// and the raw sendmsg/recvmsg calls block like the .NET calls beside them.
    /// </summary>
    internal sealed class UnixControlChannel : ControlChannel
    {
        private readonly Socket _socket;
        private readonly MessageHeaderLayout _layout;
        private readonly ConcurrentQueue<int> _descriptors = new ConcurrentQueue<int>();
        private readonly Stream _reader;

        public UnixControlChannel(Socket socket)
        {
            _socket = socket;
            _layout = MessageHeaderLayout.Current ?? throw new PlatformNotSupportedException("Passing sockets between processes needs 64-bit Linux or macOS.");
            _reader = new BufferedStream(new DescriptorReceivingStream(this), 64 * 1024);
        }

        public static UnixControlChannel Open(string path)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Connect(SocketAdoption.UnixEndPoint(path));
                return new UnixControlChannel(socket);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        public override Socket Adopt(ConnectionHandOff handOff)
        {
            if (!_descriptors.TryDequeue(out int descriptor))
            {
                throw new InvalidDataException($"Connection {handOff.ConnectionId} arrived without its socket descriptor.");
            }

            try
            {
                return SocketAdoption.Adopt(descriptor);
            }
            catch
            {
                UnixDescriptorPassing.Close(descriptor);
                throw;
            }
        }

        protected override Stream ReadStream => _reader;

        protected override void Write(byte[] bytes)
        {
            int sent = 0;
            while (sent < bytes.Length)
            {
                sent += _socket.Send(bytes, sent, bytes.Length - sent, SocketFlags.None);
            }
        }

        protected override void HandOver(Socket connection, long connectionId, int workerProcessId, ref bool released)
        {
            byte[] frame = new ConnectionHandOff(connectionId).ToFrame().Encode();
            UnixDescriptorPassing.Send(_layout, (int)_socket.Handle, frame, (int)connection.Handle);

            // The worker has its own descriptor for the connection now; closing ours leaves the
            // connection open (it is closed when the last descriptor is), and Get-SocketTable
            // shows only the worker as its owner, as after the seeds' fork + close(connfd).
            released = true;
            connection.Dispose();
        }

        protected override void Close()
        {
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // The other side is gone already.
            }

            _socket.Dispose();
            while (_descriptors.TryDequeue(out int orphan))
            {
                UnixDescriptorPassing.Close(orphan);
            }
        }

        /// <summary>Reads the channel with recvmsg, keeping the descriptors that arrive with the bytes.</summary>
        private sealed class DescriptorReceivingStream : Stream
        {
            private readonly UnixControlChannel _channel;
            private readonly List<int> _arrived = new List<int>();

            public DescriptorReceivingStream(UnixControlChannel channel)
            {
                _channel = channel;
            }

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position
            {
                get => throw new NotSupportedException();
                set => throw new NotSupportedException();
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                _arrived.Clear();
                int received = UnixDescriptorPassing.Receive(_channel._layout, (int)_channel._socket.Handle, buffer, offset, count, _arrived);
                foreach (int descriptor in _arrived)
                {
                    _channel._descriptors.Enqueue(descriptor);
                }

                return received;
            }

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
