using System.Threading;
using System.Threading.Tasks;

namespace PSNetLab.Servers.Tcp
{
    /// <summary>
    /// The seeds' thread-per-connection server, on the thread pool: each connection runs its own
    /// async loop, so idle connections hold no thread (and no buffer) at all.
    /// </summary>
    public sealed class ThreadDispatcher : IConnectionDispatcher
    {
        private readonly TcpConnectionLoop _loop;

        public ThreadDispatcher(TcpConnectionLoop loop)
        {
            _loop = loop;
        }

        public Task DispatchAsync(AcceptedConnection connection, CancellationToken stopping)
        {
            // Task.Run: the loop's synchronous start (socket calls, handler hooks) must not delay the next accept.
            _ = Task.Run(() => _loop.ServeToEndAsync(connection, stopping));
            return Task.CompletedTask;
        }

        public void Dispose()
        {
            // Connections are aborted by the server; their loops end by themselves.
        }
    }
}
