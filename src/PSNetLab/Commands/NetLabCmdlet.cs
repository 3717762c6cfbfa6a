using System;
using System.Management.Automation;
using System.Threading;
using PSNetLab.Errors;

namespace PSNetLab.Commands
{
    /// <summary>
    /// What every PSNetLab cmdlet shares: Ctrl+C cancels <see cref="StopToken"/>, and engine
    /// failures become ErrorRecords with the engine's error id.
    /// </summary>
    public abstract class NetLabCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
        protected CancellationToken StopToken => _stopping.Token;

        protected override void StopProcessing() => _stopping.Cancel();

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
            if (disposing)
            {
                _stopping.Dispose();
            }
        }

        /// <summary>Runs one item's work; a NetLabException becomes a non-terminating error and the pipeline goes on.</summary>
        protected void ForEachItem(Action work)
        {
            try
            {
                work();
            }
            catch (NetLabException e)
            {
                WriteError(ErrorRecords.From(e));
            }
        }

        /// <summary>Runs work the cmdlet cannot go on without; a NetLabException stops the cmdlet.</summary>
        protected void OrStop(Action work)
        {
            try
            {
                work();
            }
            catch (NetLabException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e));
            }
        }
    }
}
