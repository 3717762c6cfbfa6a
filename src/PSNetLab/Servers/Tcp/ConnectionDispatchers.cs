using PSNetLab.Errors;

namespace PSNetLab.Servers.Tcp
{
    /// <summary>Picks the dispatcher for -Concurrency: the one switch a new concurrency model changes.</summary>
    public static class ConnectionDispatchers
    {
        public static IConnectionDispatcher Create(TcpServerOptions options, TcpConnectionLoop loop)
        {
            switch (options.Concurrency)
            {
                case ConcurrencyMode.Iterative:
                    return new IterativeDispatcher(loop);
                case ConcurrencyMode.Process:
                    throw new NetLabException(
                        "TcpServerConcurrencyNotImplemented",
                        NetLabErrorKind.NotImplemented,
                        "-Concurrency Process is not available yet; use Iterative or Thread.",
                        options.Concurrency);
                default:
                    return new ThreadDispatcher(loop);
            }
        }
    }
}
