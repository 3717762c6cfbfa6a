using System;
using System.Globalization;
using System.Management.Automation;
using System.Text;
using PSNetLab.Errors;
using PSNetLab.Load;
using PSNetLab.Ports;

namespace PSNetLab.Commands
{
    /// <summary>
    /// What Measure-TcpServer and Measure-UdpServer share: the target, the load's shape, the
    /// progress loop on the pipeline thread, and one result object at the end.
    /// </summary>
    public abstract class MeasureServerCommandBase : NetLabCmdlet
    {
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);
        private LoadRun? _run;

        [Parameter(Mandatory = true, Position = 0)]
        public int Port { get; set; }

        /// <summary>Loopback only: a name or address that is not this machine is refused (LoadTargetNotLoopback).</summary>
        [Parameter]
        [Alias("Cn")]
        public string ComputerName { get; set; } = "localhost";

        [Parameter]
        [ValidateRange(1, LoadOptions.MaxConnections)]
        public int Connections { get; set; } = 16;

        [Parameter]
        [DurationTransformation]
        public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(10);

        [Parameter]
        [ValidateRange(1, LoadOptions.MaxMessageSize)]
        public int MessageSize { get; set; } = 64;

        /// <summary>Text the server puts before each echo, such as the seeds' 'server get!->' (sent as UTF-8).</summary>
        [Parameter]
        [AllowEmptyString]
        public string ExpectPrefix { get; set; } = string.Empty;

        [Parameter]
        [DurationTransformation]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

        protected abstract bool Udp { get; }

        protected abstract void Configure(LoadOptions options);

        protected override void EndProcessing()
        {
            string activity = string.Empty;
            OrStop(() =>
            {
                PortNumber.Validate(Port, nameof(Port));
                if (Port == 0)
                {
                    throw new NetLabException("PortOutOfRange", NetLabErrorKind.InvalidArgument, "-Port 0 cannot be connected to: give the port the server listens on.", Port);
                }

                var options = new LoadOptions(LoadTarget.Resolve(ComputerName, Port, nameof(ComputerName)), Udp)
                {
                    Connections = Connections,
                    Duration = Duration,
                    MessageSize = MessageSize,
                    ExpectPrefix = Encoding.UTF8.GetBytes(ExpectPrefix),
                    Timeout = Timeout,
                };
                Configure(options);
                _run = new LoadRun(options);
                activity = $"{MyInvocation.MyCommand.Name} {options.Target}: {Connections} x {MessageSize} B";
            });

            LoadRun run = _run!;
            var progress = new ProgressRecord(1, activity, "Connecting");
            run.Start();
            while (!run.IsDone)
            {
                LoadProgress now = run.WaitForProgress(ProgressInterval, StopToken);
                progress.StatusDescription = string.Format(CultureInfo.InvariantCulture, "{0:N0} requests, {1:N0} req/s, {2:N0} errors", now.Requests, now.RequestsPerSecond, now.Errors);
                progress.PercentComplete = now.PercentComplete;
                progress.SecondsRemaining = now.SecondsRemaining;
                WriteProgress(progress);
            }

            LoadResult result = run.Finish();
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
            WriteObject(result);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _run?.Dispose();   // Ctrl+C: every worker thread stops and every socket is closed
            }

            base.Dispose(disposing);
        }
    }
}
