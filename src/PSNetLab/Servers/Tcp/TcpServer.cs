using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace PSNetLab.Servers.Tcp
{
    /// <summary>
    /// The seeds' TCP server: socket, bind, listen(backlog), then an accept loop that admits each
    /// connection (-AllowFrom, the limits), sets its options and hands it to the dispatcher of the
    /// chosen concurrency model. Suspend stops accepting while the socket keeps listening.
    /// </summary>
    public sealed class TcpServer : NetLabServer, ITcpConnectionObserver
    {
        private readonly ConcurrentDictionary<AcceptedConnection, byte> _open = new ConcurrentDictionary<AcceptedConnection, byte>();
        private readonly AcceptGate _gate = new AcceptGate();
        private readonly ConnectionAdmission _admission;
        private readonly IConnectionDispatcher _dispatcher;
        private Socket? _listener;

        public TcpServer(TcpServerOptions options)
            : base(options)
        {
            TcpOptions = options;
            _admission = new ConnectionAdmission(options);
            Loop = new TcpConnectionLoop(options, this);
            _dispatcher = ConnectionDispatchers.Create(options, Loop, this, Counters);
        }

        public override ServerProtocol Protocol => ServerProtocol.Tcp;

        public TcpServerOptions TcpOptions { get; }

        /// <summary>What serves each connection; a dispatcher runs it here or in a worker.</summary>
        public TcpConnectionLoop Loop { get; }

        public override bool CanSuspend => true;

        public override bool IsSuspended => _gate.IsClosed;

        public override void Suspend() => _gate.Close();

        public override void Resume() => _gate.Open();

        void ITcpConnectionObserver.CountReceived(int bytes) => Counters.AddReceived(bytes);

        void ITcpConnectionObserver.CountSent(int bytes) => Counters.AddSent(bytes);

        void ITcpConnectionObserver.CountError() => Counters.AddError();

        protected override IPEndPoint BindListener()
        {
            var endPoint = new IPEndPoint(Options.LocalAddress, Options.Port);
            var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                // -ReuseAddress needs no option here: .NET already sets SO_REUSEADDR on Linux and
                // macOS TCP sockets, and Windows never blocks a bind on TIME_WAIT. The managed
                // ReuseAddress option would also set SO_REUSEPORT on Linux (and allow port stealing
                // on Windows), letting a second server listen on this port, which SO_REUSEADDR never
                // allows (DIGEST S15; the TIME_WAIT lab checks it).
                socket.Bind(endPoint);
                socket.Listen(TcpOptions.Backlog);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                _dispatcher.Dispose();
                throw SocketErrors.BindFailed("TcpServer", ServerProtocol.Tcp, endPoint, e);
            }

            _listener = socket;
            return (IPEndPoint)socket.LocalEndPoint!;
        }

        protected override void CloseListener()
        {
            _listener?.Dispose();
            _gate.Open();
            foreach (AcceptedConnection connection in _open.Keys.ToList())
            {
                connection.Abort();
            }

            _dispatcher.Dispose();
        }

        protected override async Task ServeAsync(CancellationToken stopping)
        {
            Socket listener = _listener!;
            while (!stopping.IsCancellationRequested)
            {
                await _gate.WaitOpenAsync(stopping).ConfigureAwait(false);
                Socket accepted;
                try
                {
                    accepted = await listener.AcceptAsync().ConfigureAwait(false);
                }
                catch (ObjectDisposedException)
                {
                    break;
                }
                catch (SocketException) when (IsStopping)
                {
                    break;
                }
                catch (SocketException e)
                {
                    // Out of descriptors, or a client that reset before accept(): say so, pause briefly, go on.
                    RecordError(null, $"accept failed: {e.Message} ({e.SocketErrorCode})");
                    await Task.Delay(50).ConfigureAwait(false);
                    continue;
                }

                // Suspended while that accept was pending: the one connection it took waits here, unserved.
                await _gate.WaitOpenAsync(stopping).ConfigureAwait(false);
                AcceptedConnection? connection = Admit(accepted);
                if (connection != null)
                {
                    await _dispatcher.DispatchAsync(connection, stopping).ConfigureAwait(false);
                }
            }

            await WaitForConnectionsAsync().ConfigureAwait(false);
        }

        private AcceptedConnection? Admit(Socket accepted)
        {
            IPEndPoint remote;
            IPEndPoint local;
            try
            {
                remote = (IPEndPoint)accepted.RemoteEndPoint!;
                local = (IPEndPoint)accepted.LocalEndPoint!;
            }
            catch (SocketException)
            {
                // Reset between accept() and here: nothing to serve.
                accepted.Dispose();
                return null;
            }

            string? refused = IsStopping ? "the server is stopping" : _admission.TryAdmit(remote.Address);
            if (refused != null)
            {
                Counters.AddRejected();
                Record(ServerEventKind.Rejected, remote, detail: refused);
                accepted.Dispose();
                return null;
            }

            var connection = new AcceptedConnection(accepted, remote, local, OnConnectionFinished);
            _open.TryAdd(connection, 0);
            Counters.AddConnection();
            Record(ServerEventKind.Accepted, remote);
            try
            {
                string? warning = TcpSocketOptions.Apply(accepted, TcpOptions);
                if (warning != null)
                {
                    RecordError(remote, warning);
                }
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
                connection.Finish($"setting socket options failed: {e.Message}");
                return null;
            }

            return connection;
        }

        private void OnConnectionFinished(AcceptedConnection connection, string reason)
        {
            _open.TryRemove(connection, out _);
            _admission.Release(connection.RemoteEndPoint.Address);
            Counters.RemoveConnection();
            Record(ServerEventKind.Closed, connection.RemoteEndPoint, detail: reason);
        }

        private async Task WaitForConnectionsAsync()
        {
            // Every connection was aborted by CloseListener; their loops end within moments.
            var deadline = DateTime.UtcNow + Options.StopTimeout;
            while (!_open.IsEmpty && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10).ConfigureAwait(false);
            }
        }
    }
}
