using System.Management.Automation;
using PSNetLab.Servers.Hosting;

namespace PSNetLab.Commands
{
    /// <summary>Lets a suspended TCP server accept again: the clients waiting in the accept queue are served.</summary>
    [Cmdlet(VerbsLifecycle.Resume, "NetLabServer", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true)]
    [OutputType(typeof(ServerJob))]
    public sealed class ResumeNetLabServerCommand : ServerSelectionCommand
    {
        protected override string Action => "Resume accepting";

        protected override void Act(ServerJob server)
        {
            if (server.Server.IsSuspended)
            {
                server.ResumeJob();
            }
        }
    }
}
