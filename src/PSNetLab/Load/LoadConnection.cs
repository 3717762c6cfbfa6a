using System.Diagnostics;
using System.Net.Sockets;

namespace PSNetLab.Load
{
    /// <summary>
    /// One persistent load connection: its socket, the requests in flight (sent but not yet echoed)
    /// and when each went out. Driven by a thread of its own (<see cref="TcpLoadWorker"/>) or by
    /// <see cref="EpollTcpLoadDriver"/> with many others.
    /// </summary>
    internal sealed class LoadConnection
    {
        private readonly long[] _sentAt;
        private readonly byte[] _request;
        private readonly EchoMessage _message;

        public LoadConnection(EchoMessage message, int pipeline)
        {
            _message = message;
            Reader = new ReplyReader(message);
            _sentAt = new long[pipeline];
            _request = new byte[message.RequestLength];
        }

        public ReplyReader Reader { get; }

        public Socket? Socket { get; private set; }

        /// <summary>The sequence number of the next echo expected.</summary>
        public long Expected { get; private set; }

        /// <summary>The sequence number of the next request to send.</summary>
        public long Next { get; private set; }

        public bool AwaitsEcho => Next > Expected;

        /// <summary>When the connection may be opened again after a failure (echoload waits 10 ms).</summary>
        public long RetryAt { get; set; }

        public long OldestSentAt => _sentAt[Expected % _sentAt.Length];

        public void Opened(Socket socket)
        {
            Socket = socket;
            Reader.Reset();
            Next = Expected;
        }

        public void Closed()
        {
            Socket?.Dispose();
            Socket = null;
        }

        /// <summary>Sends the next request (blocking: a request is small beside the socket's send buffer, and -Timeout bounds it).</summary>
        public void SendNext()
        {
            long sequence = Next;
            _message.Write(sequence, _request);
            _sentAt[sequence % _sentAt.Length] = Stopwatch.GetTimestamp();
            LoadDriver.SendAll(Socket!, _request, _request.Length);
            Next = sequence + 1;
        }

        /// <summary>The echo of <see cref="Expected"/> arrived and was right; returns when its request was sent.</summary>
        public long Echoed()
        {
            long sentAt = OldestSentAt;
            Expected++;
            return sentAt;
        }
    }
}
