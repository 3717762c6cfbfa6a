using System;
using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using PSNetLab.Servers.Tcp.Epoll;
using PSNetLab.Sockets.Linux;

namespace PSNetLab.Load
{
    /// <summary>
    /// Every persistent TCP connection of a run on one thread, as echoload drives them: epoll_wait,
    /// then for each connection with bytes a receive, the echoes verified, the next requests sent.
    /// A thread per connection paid a wake-up and a context switch per request; at 16 x 64 B that
    /// held Measure-TcpServer to 0.5-0.65x of echoload against the C server on 2 cores.
    /// Linux only; elsewhere (and with PSNETLAB_SOCKET_ENGINE=dotnet) the run uses a thread per connection.
    /// </summary>
    internal sealed unsafe class EpollTcpLoadDriver : LoadDriver
    {
        private const int MaxEvents = 256;

        // The longest epoll_wait: how soon a stop, a reconnect or a -Timeout is noticed.
        private const int TickMilliseconds = 10;

        private static readonly long RetryPause = Stopwatch.Frequency / 100;

        private readonly LoadConnection[] _connections;
        private Socket? _connecting;
        private int _epoll = -1;

        public EpollTcpLoadDriver(LoadOptions options, LoadRunControl control)
            : base(options, control)
        {
            _connections = new LoadConnection[options.Connections];
            for (int i = 0; i < _connections.Length; i++)
            {
                _connections[i] = new LoadConnection(Message, options.Pipeline);
            }
        }

        /// <summary>Whether a run of <paramref name="options"/> is driven here rather than by a thread per connection.</summary>
        public static bool Drives(LoadOptions options) =>
            !options.Udp && !options.ShortConnections
            && RuntimeInformation.IsOSPlatform(OSPlatform.Linux)
            && !EpollEngine.SwitchedOff;

        /// <summary>The driver's thread notices the stop within a tick; only a connect in progress needs closing.</summary>
        public override void CloseSocket() => Interlocked.Exchange(ref _connecting, null)?.Dispose();

        protected override void Run()
        {
            byte* events = null;
            try
            {
                _epoll = EpollInterop.epoll_create1(EpollInterop.EPOLL_CLOEXEC);
                if (_epoll < 0)
                {
                    throw new InvalidOperationException("epoll_create1 failed: " + EpollInterop.Describe(Marshal.GetLastWin32Error()));
                }

                events = (byte*)Marshal.AllocHGlobal(MaxEvents * EpollInterop.EventSize);
                long tick = Stopwatch.Frequency * TickMilliseconds / 1000;
                long nextSweep = 0;
                while (!Stopping)
                {
                    // Retries wait 10 ms and timeouts are seconds: looking over every connection
                    // once a tick is enough, not after every wake-up (each few echoes under load).
                    long now = Stopwatch.GetTimestamp();
                    if (now >= nextSweep)
                    {
                        FailLateEchoes(now);
                        OpenClosedConnections(now);
                        nextSweep = now + tick;
                    }

                    int ready = EpollInterop.epoll_wait(_epoll, events, MaxEvents, TickMilliseconds);
                    for (int i = 0; i < ready && !Stopping; i++)
                    {
                        Service(_connections[(int)EpollInterop.TokenAt(events, i)]);
                    }
                }
            }
            finally
            {
                foreach (LoadConnection connection in _connections)
                {
                    connection.Closed();
                }

                if (_epoll >= 0)
                {
                    LibC.close(_epoll);
                }

                Marshal.FreeHGlobal((IntPtr)events);
            }
        }

        private void Service(LoadConnection connection)
        {
            if (connection.Socket == null)
            {
                return;   // failed earlier in this batch of events
            }

            try
            {
                connection.Reader.ReceiveOnce(connection.Socket);
                while (connection.AwaitsEcho && connection.Reader.TryVerifyNext(connection.Expected))
                {
                    Completed(connection.Echoed());
                    if (!Stopping)
                    {
                        connection.SendNext();
                    }
                }
            }
            catch (LoadFailure f)
            {
                Fail(connection, f.Kind);
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
                Fail(connection, e is SocketException s ? LoadFailure.KindOf(s.SocketErrorCode) : LoadErrorKind.Reset);
            }
        }

        private void OpenClosedConnections(long now)
        {
            for (int index = 0; index < _connections.Length; index++)
            {
                LoadConnection connection = _connections[index];
                if (connection.Socket == null && now >= connection.RetryAt && !Stopping)
                {
                    Open(connection, index);
                }
            }
        }

        /// <summary>Connects <paramref name="connection"/>; epoll reports its events with <paramref name="index"/>.</summary>
        private void Open(LoadConnection connection, int index)
        {
            Socket socket;
            try
            {
                socket = new Socket(Options.Target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            }
            catch (SocketException e)
            {
                // Out of descriptors, say: counted and retried, as a thread per connection does.
                Retry(connection, LoadFailure.KindOf(e.SocketErrorCode));
                return;
            }

            // Whoever takes the socket out of _connecting owns it: this thread once the connect
            // is done, or the progress thread abandoning a hung connect, or the stop.
            Interlocked.Exchange(ref _connecting, socket);
            if (Stopping)
            {
                Interlocked.Exchange(ref _connecting, null)?.Dispose();   // the stop may have looked before the socket was published
                return;
            }

            try
            {
                socket.NoDelay = true;
                int timeout = (int)Math.Min(int.MaxValue, Options.Timeout.TotalMilliseconds);
                socket.ReceiveTimeout = timeout;
                socket.SendTimeout = timeout;
                ConnectStarting();
                socket.Connect(Options.Target);
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
                ConnectEnded();
                Interlocked.Exchange(ref _connecting, null);
                socket.Dispose();
                bool hung = TakeConnectTimedOut();
                Retry(connection, hung || e is ObjectDisposedException ? LoadErrorKind.TimedOut : LoadFailure.KindOf(((SocketException)e).SocketErrorCode));
                return;
            }

            ConnectEnded();
            if (Interlocked.Exchange(ref _connecting, null) == null)
            {
                // Connected just as it was abandoned (or the run stopped): the socket was disposed
                // under us, so its descriptor number must never reach epoll.
                socket.Dispose();
                TakeConnectTimedOut();
                Retry(connection, LoadErrorKind.TimedOut);
                return;
            }

            ConnectionMade();
            connection.Opened(socket);
            if (EpollInterop.Control(_epoll, EpollInterop.EPOLL_CTL_ADD, (int)socket.Handle, EpollInterop.EPOLLIN, (ulong)index) < 0)
            {
                throw new InvalidOperationException("epoll_ctl failed: " + EpollInterop.Describe(Marshal.GetLastWin32Error()));
            }

            try
            {
                for (int i = 0; i < Options.Pipeline; i++)
                {
                    connection.SendNext();
                }
            }
            catch (LoadFailure f)
            {
                Fail(connection, f.Kind);
            }
        }

        /// <summary>
        /// A request whose echo has not come within -Timeout: the connection is closed and opened
        /// again, as echoload does. An echo that has arrived but waits for this thread (held up by
        /// another connection's connect) is not late: epoll reports it on the next wait.
        /// </summary>
        private void FailLateEchoes(long now)
        {
            foreach (LoadConnection connection in _connections)
            {
                if (connection.Socket != null && connection.AwaitsEcho && now - connection.OldestSentAt > TimeoutTicks && !HasUnreadBytes(connection.Socket))
                {
                    Fail(connection, LoadErrorKind.TimedOut);
                }
            }
        }

        private static bool HasUnreadBytes(Socket socket)
        {
            try
            {
                return socket.Available > 0;
            }
            catch (SocketException)
            {
                return false;   // broken: the late echo is as good as lost
            }
        }

        private void Fail(LoadConnection connection, LoadErrorKind kind)
        {
            // Closing the descriptor also removes it from the epoll set.
            connection.Closed();
            Retry(connection, kind);
        }

        private void Retry(LoadConnection connection, LoadErrorKind kind)
        {
            connection.RetryAt = Stopwatch.GetTimestamp() + RetryPause;
            CountError(kind);
        }
    }
}
