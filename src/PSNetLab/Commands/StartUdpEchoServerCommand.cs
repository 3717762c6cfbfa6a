using System.Management.Automation;
using PSNetLab.Servers;
using PSNetLab.Servers.Handlers;
using PSNetLab.Servers.Hosting;
using PSNetLab.Servers.Udp;

namespace PSNetLab.Commands
{
    /// <summary>The seeds' UDP echo server: replies to every datagram with it, after an optional -Prefix.</summary>
    [Cmdlet(VerbsLifecycle.Start, "UdpEchoServer")]
    [OutputType(typeof(ServerJob), typeof(ServerEvent))]
    public sealed class StartUdpEchoServerCommand : StartServerCommandBase
    {
        /// <summary>Put before every reply; 'server get!->' reproduces the seeds' server.</summary>
        [Parameter]
        public string? Prefix { get; set; }

        protected override string Noun => "UdpServer";

        protected override IMessageHandler CreateHandler() => new EchoHandler(Prefix);

        protected override NetLabServer CreateServer(ServerOptions options) => new UdpServer(options);
    }
}
