using System.Diagnostics;
using System.Net.Sockets;

namespace PSNetLab.Load
{
    /// <summary>
    /// One TCP connection kept busy: -Pipeline requests outstanding, each echo verified before the
    /// next request goes out; or, with -ShortConnections, connect / send / receive / close per request.
    /// </summary>
    internal sealed class TcpLoadWorker : LoadWorker
    {
        private readonly byte[] _request;
        private readonly long[] _sentAt;
        private readonly ReplyReader _reader;
        private long _sequence;

        public TcpLoadWorker(LoadOptions options, LoadRunControl control, long firstSequence)
            : base(options, control)
        {
            _request = new byte[Message.RequestLength];
            _sentAt = new long[options.Pipeline];
            _reader = new ReplyReader(Message);
            _sequence = firstSequence;
        }

        protected override void Drive()
        {
            if (Options.ShortConnections)
            {
                DriveShortConnections();
            }
            else
            {
                DrivePersistentConnection();
            }
        }

        private void DrivePersistentConnection()
        {
            Socket socket = Connect(SocketType.Stream, ProtocolType.Tcp);
            _reader.Reset();
            int depth = Options.Pipeline;
            long next = _sequence;
            for (int i = 0; i < depth; i++)
            {
                Send(socket, next++);
            }

            while (!Stopping)
            {
                long expected = _sequence;
                _reader.ReadAndVerify(socket, expected);
                Completed(_sentAt[expected % depth]);
                _sequence = expected + 1;
                Send(socket, next++);
            }
        }

        private void DriveShortConnections()
        {
            while (!Stopping)
            {
                long started = Stopwatch.GetTimestamp();
                Socket socket = Connect(SocketType.Stream, ProtocolType.Tcp);
                _reader.Reset();
                long sequence = _sequence;
                Message.Write(sequence, _request);
                SendAll(socket, _request, _request.Length);
                _reader.ReadAndVerify(socket, sequence);
                Completed(started);   // the connect is part of a short connection's latency
                _sequence = sequence + 1;
                socket.Dispose();
            }
        }

        private void Send(Socket socket, long sequence)
        {
            Message.Write(sequence, _request);
            _sentAt[sequence % _sentAt.Length] = Stopwatch.GetTimestamp();
            SendAll(socket, _request, _request.Length);
        }
    }
}
