using System.Management.Automation;
using PSNetLab.Load;

namespace PSNetLab.Commands
{
    /// <summary>A UDP load generator: keeps sockets busy with echo datagrams and reports throughput, latency, losses and wrong echoes.</summary>
    [Cmdlet(VerbsDiagnostic.Measure, "UdpServer")]
    [OutputType(typeof(LoadResult))]
    public sealed class MeasureUdpServerCommand : MeasureServerCommandBase
    {
        protected override bool Udp => true;

        protected override void Configure(LoadOptions options)
        {
            // A datagram is its own frame and there is one outstanding per socket: nothing more to set.
        }
    }
}
