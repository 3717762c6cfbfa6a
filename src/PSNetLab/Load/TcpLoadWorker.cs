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
        private readonly LoadConnection _connection;

        public TcpLoadWorker(LoadOptions options, LoadRunControl control)
            : base(options, control)
        {
            _connection = new LoadConnection(Message, options.Pipeline);
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
            _connection.Opened(socket);
            for (int i = 0; i < Options.Pipeline; i++)
            {
                _connection.SendNext();
            }

            while (!Stopping)
            {
                _connection.Reader.ReadAndVerify(socket, _connection.Expected);
                Completed(_connection.Echoed());
                _connection.SendNext();
            }
        }

        private void DriveShortConnections()
        {
            while (!Stopping)
            {
                long started = Stopwatch.GetTimestamp();
                Socket socket = Connect(SocketType.Stream, ProtocolType.Tcp);
                _connection.Opened(socket);
                _connection.SendNext();
                _connection.Reader.ReadAndVerify(socket, _connection.Expected);
                _connection.Echoed();
                Completed(started);   // the connect is part of a short connection's latency
                _connection.Closed();
            }
        }
    }
}
