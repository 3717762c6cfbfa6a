using System.Management.Automation;
using PSNetLab.Load;

namespace PSNetLab.Commands
{
    /// <summary>A TCP load generator: keeps connections busy with echo requests and reports throughput, latency and errors.</summary>
    [Cmdlet(VerbsDiagnostic.Measure, "TcpServer", DefaultParameterSetName = PersistentSet)]
    [OutputType(typeof(LoadResult))]
    public sealed class MeasureTcpServerCommand : MeasureServerCommandBase
    {
        private const string PersistentSet = "Persistent";
        private const string ShortSet = "ShortConnections";

        [Parameter]
        public LoadFraming Framing { get; set; } = LoadFraming.Line;

        /// <summary>Connect, send one message, read the echo, close: what a web-style client does.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ShortSet)]
        public SwitchParameter ShortConnections { get; set; }

        /// <summary>Requests in flight per connection before waiting for an echo.</summary>
        [Parameter(ParameterSetName = PersistentSet)]
        [ValidateRange(1, LoadOptions.MaxPipeline)]
        public int Pipeline { get; set; } = 1;

        protected override bool Udp => false;

        protected override void Configure(LoadOptions options)
        {
            options.Framing = Framing;
            options.ShortConnections = ShortConnections;
            options.Pipeline = Pipeline;
        }
    }
}
