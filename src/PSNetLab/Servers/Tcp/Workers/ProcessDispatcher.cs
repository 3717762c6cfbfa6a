using System;
using System.Threading;
using System.Threading.Tasks;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>
    /// The seeds' fork server without the fork: each connection goes to a separate, already
    /// running worker process that receives the socket itself (SCM_RIGHTS on Unix,
    /// DuplicateAndClose on Windows); the server closes its copy at once. A crash or hang in one
    /// worker reaches only the connection it serves. While every worker is busy the accept loop
    /// waits (new clients queue in the kernel's accept queue) up to -WorkerWaitTimeout, then the
    /// waiting connection is rejected.
    /// </summary>
    public sealed class ProcessDispatcher : IConnectionDispatcher
    {
        private readonly WorkerPoolOptions _workers;
        private readonly ITcpConnectionObserver _observer;
        private readonly ServerCounters _counters;
        private readonly WorkerPool _pool;
        private long _nextConnectionId;

        public ProcessDispatcher(TcpServerOptions options, ITcpConnectionObserver observer, ServerCounters counters)
        {
            _workers = options.Workers ?? throw new ArgumentException("Process concurrency needs the worker options (how to start a worker, and its handler).", nameof(options));
            _observer = observer;
            _counters = counters;
            var settings = new WorkerSettings(_workers.Handler, options);
            _pool = new WorkerPool(options.WorkerCount, () => new WorkerProcess(_workers, settings, observer, counters));
            _pool.Start();
        }

        /// <summary>The PIDs of the running workers.</summary>
        public int[] WorkerProcessIds => _pool.ProcessIds;

        public async Task DispatchAsync(AcceptedConnection connection, CancellationToken stopping)
        {
            long id = Interlocked.Increment(ref _nextConnectionId);
            // The first clients of a new server wait for the pool's start-up (a cold pwsh takes seconds), not the shorter -WorkerWaitTimeout.
            DateTime deadline = DateTime.UtcNow + (_pool.IsWarm ? _workers.WaitTimeout : _workers.StartTimeout);
            while (true)
            {
                WorkerProcess? worker;
                try
                {
                    TimeSpan left = deadline - DateTime.UtcNow;
                    worker = await _pool.AcquireAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    connection.Finish("the server stopped");
                    return;
                }

                if (worker == null)
                {
                    Reject(connection);
                    return;
                }

                if (worker.Serve(connection, id))
                {
                    return;
                }
            }
        }

        public void Dispose() => _pool.Dispose();

        private void Reject(AcceptedConnection connection)
        {
            string reason = $"all {_pool.Size} workers stayed busy for {_workers.WaitTimeout.TotalSeconds:0.###} s (-WorkerCount, -WorkerWaitTimeout)";
            _counters.AddRejected();
            _observer.Record(ServerEventKind.Rejected, connection.RemoteEndPoint, detail: reason);
            connection.Finish("rejected: " + reason);
        }
    }
}
