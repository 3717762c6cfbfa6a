using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using PSNetLab.Errors;
using PSNetLab.Servers;

namespace PSNetLab.Tcp
{
    /// <summary>
    /// The seeds' TCP client: connect, write lines, read lines. Read by the caller's own thread in
    /// short waits, so a cmdlet sees Ctrl+C and the keyboard between lines; read() returning 0
    /// means the server closed the connection.
    /// </summary>
    public sealed class TcpChatClient : IDisposable
    {
        /// <summary>A line longer than this without a newline is handed over as it is, so memory stays bounded.</summary>
        public const int MaxLineLength = 1024 * 1024;

        private readonly Socket _socket;
        private readonly Encoding _encoding;
        private readonly Decoder _decoder;
        private readonly byte[] _buffer = new byte[16 * 1024];
        private readonly char[] _chars;
        private readonly StringBuilder _partial = new StringBuilder();
        private readonly Queue<string> _lines = new Queue<string>();

        private TcpChatClient(Socket socket, Encoding encoding)
        {
            _socket = socket;
            _encoding = encoding;
            _decoder = encoding.GetDecoder();
            _chars = new char[encoding.GetMaxCharCount(_buffer.Length)];
            LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
            RemoteEndPoint = (IPEndPoint)socket.RemoteEndPoint!;
        }

        public IPEndPoint LocalEndPoint { get; }

        public IPEndPoint RemoteEndPoint { get; }

        /// <summary>Why the connection is over (the server closed it, or reset it); null while it is open.</summary>
        public string? ClosedReason { get; private set; }

        public static TcpChatClient Connect(IPEndPoint server, TimeSpan timeout, Encoding encoding, CancellationToken cancellation)
        {
            var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                IAsyncResult connecting = socket.BeginConnect(server, null, null);
                int waited = WaitHandle.WaitAny(new[] { connecting.AsyncWaitHandle, cancellation.WaitHandle }, timeout);
                if (waited != 0)
                {
                    throw waited == 1 ? (Exception)new OperationCanceledException(cancellation) : TcpChatErrors.ConnectFailed(server, SocketError.TimedOut, timeout);
                }

                socket.EndConnect(connecting);
                return new TcpChatClient(socket, encoding);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                throw TcpChatErrors.ConnectFailed(server, e.SocketErrorCode, timeout, e);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        /// <summary>Sends the line and its newline in one write.</summary>
        public void SendLine(string line)
        {
            byte[] bytes = _encoding.GetBytes(line + "\n");
            try
            {
                _socket.Send(bytes);
            }
            catch (SocketException e)
            {
                ClosedReason = ClosedReason ?? TcpChatErrors.Describe(e.SocketErrorCode);
                throw TcpChatErrors.Closed(RemoteEndPoint, ClosedReason, e);
            }
        }

        /// <summary>The next line from the server, waiting up to <paramref name="wait"/>; null when none came (see <see cref="ClosedReason"/>).</summary>
        public string? TryReadLine(TimeSpan wait)
        {
            DateTime deadline = DateTime.UtcNow + wait;
            while (_lines.Count == 0 && ClosedReason == null)
            {
                TimeSpan left = deadline - DateTime.UtcNow;
                if (!_socket.Poll((int)Math.Max(0, Math.Min(int.MaxValue, left.Ticks / 10)), SelectMode.SelectRead))
                {
                    break;
                }

                ReceiveAvailable();
            }

            return _lines.Count > 0 ? _lines.Dequeue() : null;
        }

        public void Dispose() => _socket.Dispose();

        private void ReceiveAvailable()
        {
            int received;
            try
            {
                received = _socket.Receive(_buffer);
            }
            catch (SocketException e)
            {
                ClosedReason = TcpChatErrors.Describe(e.SocketErrorCode);
                return;
            }

            if (received == 0)
            {
                // read() == 0: the seeds' sign that the server closed its side. A last line without newline still counts.
                if (_partial.Length > 0)
                {
                    _lines.Enqueue(_partial.ToString());
                    _partial.Clear();
                }

                ClosedReason = "the server closed the connection";
                return;
            }

            int count = _decoder.GetChars(_buffer, 0, received, _chars, 0);
            for (int i = 0; i < count; i++)
            {
                char c = _chars[i];
                if (c == '\n' || _partial.Length >= MaxLineLength)
                {
                    int length = _partial.Length > 0 && _partial[_partial.Length - 1] == '\r' ? _partial.Length - 1 : _partial.Length;
                    _lines.Enqueue(_partial.ToString(0, length));
                    _partial.Clear();
                    if (c == '\n')
                    {
                        continue;
                    }
                }

                _partial.Append(c);
            }
        }
    }
}
