using System.Management.Automation;
using PSNetLab.Servers.Hosting;

namespace PSNetLab.Commands
{
    /// <summary>Stops servers: the socket closes at once, so the port is free when this returns.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "NetLabServer", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true)]
    [OutputType(typeof(ServerJob))]
    public sealed class StopNetLabServerCommand : ServerSelectionCommand
    {
        protected override string Action => "Stop server";

        protected override void Act(ServerJob server) => server.StopJob();
    }
}
