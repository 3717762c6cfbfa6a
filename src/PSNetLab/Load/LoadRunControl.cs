using System;
using System.Threading;

namespace PSNetLab.Load
{
    /// <summary>The one stop signal all workers of a run watch; set at the end of the duration or on Ctrl+C.</summary>
    internal sealed class LoadRunControl : IDisposable
    {
        private readonly ManualResetEventSlim _stopped = new ManualResetEventSlim(false);
        private volatile bool _stopping;

        public bool Stopping => _stopping;

        public void Stop()
        {
            _stopping = true;
            _stopped.Set();
        }

        public void WaitForStop(TimeSpan timeout) => _stopped.Wait(timeout);

        public void Dispose() => _stopped.Dispose();
    }
}
