using System.Threading;
using System.Threading.Tasks;

namespace PSNetLab.Servers.Tcp
{
    /// <summary>Open while the server accepts; closed by Suspend-Job so connections pile up in the kernel's accept queue.</summary>
    internal sealed class AcceptGate
    {
        private readonly object _lock = new object();
        private TaskCompletionSource<bool>? _closed;

        public bool IsClosed
        {
            get { lock (_lock) { return _closed != null; } }
        }

        public void Close()
        {
            lock (_lock)
            {
                _closed = _closed ?? new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public void Open()
        {
            TaskCompletionSource<bool>? closed;
            lock (_lock)
            {
                closed = _closed;
                _closed = null;
            }

            closed?.TrySetResult(true);
        }

        /// <summary>Completes at once while open; otherwise when opened or when stopping.</summary>
        public Task WaitOpenAsync(CancellationToken stopping)
        {
            Task? closed;
            lock (_lock)
            {
                closed = _closed?.Task;
            }

            return closed == null ? Task.CompletedTask : Task.WhenAny(closed, Task.Delay(Timeout.Infinite, stopping));
        }
    }
}
