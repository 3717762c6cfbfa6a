using System;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSNetLab.Servers.Handlers;
using PSNetLab.Servers.Tcp.Epoll;

namespace PSNetLab.Servers.Tcp
{
    /// <summary>
    /// Serves TCP connections with one set of options, handler and observer: framing, the
    /// message and idle limits, half-close, handler calls and replies. It is all a connection
    /// needs, so it runs the same in the server (Iterative, Thread) and in a Process worker on
    /// the socket the worker adopted.
    ///
    /// Contract of <see cref="ServeAsync"/>: takes ownership of a connected socket, returns why the
    /// connection ended (for the Closed event), never throws for the connection's own failures,
    /// and has closed the socket when its task completes. Cancelling <c>stopping</c> aborts the
    /// connection at once. Received/Sent/Error events and counters go to the observer.
    /// </summary>
    public sealed class TcpConnectionLoop
    {
        private readonly TcpServerOptions _options;
        private readonly ITcpConnectionObserver _observer;
        private readonly bool _oneConnectionAtATime;

        /// <param name="oneConnectionAtATime">
        /// True in a Process worker, which is handed its next connection only after the last one
        /// ended: a connection then keeps an epoll loop's thread to itself and blocks in recv between
        /// messages (<see cref="EpollConnection.OnReady"/>); a second one would wait for the first.
        /// </param>
        public TcpConnectionLoop(TcpServerOptions options, ITcpConnectionObserver observer, bool oneConnectionAtATime = false)
        {
            _options = options;
            _observer = observer;
            _oneConnectionAtATime = oneConnectionAtATime;
        }

        public TcpServerOptions Options => _options;

        public Task<string> ServeAsync(Socket socket, CancellationToken stopping)
        {
            SynchronousHandler? onEpoll = EpollEngine.Serves(_options.Handler);
            return onEpoll != null
                ? EpollEngine.Serve(socket, _options, onEpoll, _observer, stopping, holdsLoop: _oneConnectionAtATime)
                : new TcpConnection(socket, _options, _observer).RunAsync(stopping);
        }

        /// <summary>Serves an accepted connection and finishes it with the reason; never faults.</summary>
        public async Task ServeToEndAsync(AcceptedConnection connection, CancellationToken stopping)
        {
            string reason;
            try
            {
                reason = await ServeAsync(connection.Socket, stopping).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _observer.CountError();
                _observer.Record(ServerEventKind.Error, connection.RemoteEndPoint, detail: $"serving the connection failed: {e.Message}");
                reason = ConnectionEndings.ServeFailed(e.Message);
            }

            connection.Finish(reason);
        }
    }
}
