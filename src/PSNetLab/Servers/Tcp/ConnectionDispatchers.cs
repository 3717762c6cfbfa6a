namespace PSNetLab.Servers.Tcp
{
    /// <summary>Picks the dispatcher for -Concurrency: the one switch a new concurrency model changes.</summary>
    public static class ConnectionDispatchers
    {
        public static IConnectionDispatcher Create(TcpServerOptions options, TcpConnectionLoop loop, ITcpConnectionObserver observer, ServerCounters counters)
        {
            switch (options.Concurrency)
            {
                case ConcurrencyMode.Iterative:
                    return new IterativeDispatcher(loop);
                case ConcurrencyMode.Process:
                    return new Workers.ProcessDispatcher(options, observer, counters);
                default:
                    return new ThreadDispatcher(loop);
            }
        }
    }
}
