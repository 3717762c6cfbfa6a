using System.Threading;
using System.Threading.Tasks;

namespace PSNetLab.Servers.Tcp
{
    /// <summary>The seeds' iterative server: serve a connection to its end, then accept the next.</summary>
    public sealed class IterativeDispatcher : IConnectionDispatcher
    {
        private readonly TcpConnectionLoop _loop;

        public IterativeDispatcher(TcpConnectionLoop loop)
        {
            _loop = loop;
        }

        public Task DispatchAsync(AcceptedConnection connection, CancellationToken stopping) => _loop.ServeToEndAsync(connection, stopping);

        public void Dispose()
        {
            // Nothing of its own: the connection it serves is aborted by the server.
        }
    }
}
