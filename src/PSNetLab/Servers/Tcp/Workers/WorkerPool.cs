using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>
    /// -WorkerCount worker processes, started in the background when the server starts and
    /// replaced when one ends, handed out one connection at a time. A worker that keeps failing
    /// to start is retried with a growing pause, so a broken setup cannot become a fork storm.
    /// </summary>
    internal sealed class WorkerPool : IDisposable
    {
        private static readonly TimeSpan MaxRetryPause = TimeSpan.FromSeconds(10);

        private readonly int _size;
        private readonly Func<WorkerProcess> _create;
        private readonly ConcurrentDictionary<WorkerProcess, byte> _workers = new ConcurrentDictionary<WorkerProcess, byte>();
        private readonly ConcurrentQueue<WorkerProcess> _idle = new ConcurrentQueue<WorkerProcess>();
        private readonly SemaphoreSlim _idleCount = new SemaphoreSlim(0);
        private readonly CancellationTokenSource _disposed = new CancellationTokenSource();
        private int _failedStarts;
        private int _warm;

        public WorkerPool(int size, Func<WorkerProcess> create)
        {
            _size = size;
            _create = create;
        }

        public int Size => _size;

        /// <summary>True once any worker has been ready: until then connections wait for the pool's first start-up.</summary>
        public bool IsWarm => Volatile.Read(ref _warm) == 1;

        /// <summary>The PIDs of the live workers (for tests and the server object).</summary>
        public int[] ProcessIds => _workers.Keys.Select(w => w.ProcessId).Where(id => id != 0).ToArray();

        public void Start()
        {
            for (int i = 0; i < _size; i++)
            {
                Launch();
            }
        }

        /// <summary>A reserved idle worker, or null when none became free within <paramref name="wait"/>.</summary>
        public async Task<WorkerProcess?> AcquireAsync(TimeSpan wait, CancellationToken stopping)
        {
            DateTime deadline = DateTime.UtcNow + wait;
            while (true)
            {
                TimeSpan left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !await _idleCount.WaitAsync(left, stopping).ConfigureAwait(false))
                {
                    return null;
                }

                // A worker that died while idle is still queued: skip it; its replacement queues itself.
                if (_idle.TryDequeue(out WorkerProcess? worker) && worker.TryReserve())
                {
                    return worker;
                }
            }
        }

        public void Dispose()
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
            WorkerProcess[] workers = _workers.Keys.ToArray();
            foreach (WorkerProcess worker in workers)
            {
                worker.Dispose();
            }

            // Killed above; wait (briefly, together) until they are reaped so none outlives Stop.
            DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(1);
            foreach (WorkerProcess worker in workers)
            {
                worker.WaitForExit(deadline - DateTime.UtcNow);
            }
        }

        private void Launch()
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            WorkerProcess worker = _create();
            worker.Freed += OnFreed;
            worker.Ended += OnEnded;
            _workers.TryAdd(worker, 0);
            if (_disposed.IsCancellationRequested)
            {
                _workers.TryRemove(worker, out _);
                return;
            }

            worker.Start();
        }

        private void OnFreed(WorkerProcess worker)
        {
            Interlocked.Exchange(ref _failedStarts, 0);
            Volatile.Write(ref _warm, 1);
            _idle.Enqueue(worker);
            _idleCount.Release();
        }

        private void OnEnded(WorkerProcess worker)
        {
            _workers.TryRemove(worker, out _);
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            int failures = worker.WasReady ? 0 : Interlocked.Increment(ref _failedStarts);
            if (failures == 0)
            {
                Launch();
                return;
            }

            TimeSpan pause = TimeSpan.FromMilliseconds(Math.Min(MaxRetryPause.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures, 10) - 1)));
            Task.Delay(pause, _disposed.Token).ContinueWith(_ => Launch(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }
    }
}
