using System.Management.Automation;
using PSNetLab.Errors;
using PSNetLab.Servers.Hosting;

namespace PSNetLab.Commands
{
    /// <summary>
    /// Stops a TCP server accepting while its socket keeps listening, so new clients pile up in
    /// the kernel's accept queue (the backlog lab). Suspend-Job does the same on Windows; on Linux
    /// and macOS PowerShell has no Suspend-Job, hence this cmdlet.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Suspend, "NetLabServer", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true)]
    [OutputType(typeof(ServerJob))]
    public sealed class SuspendNetLabServerCommand : ServerSelectionCommand
    {
        protected override string Action => "Suspend accepting";

        protected override void Act(ServerJob server)
        {
            if (!server.Server.CanSuspend)
            {
                throw new NetLabException(
                    "NetLabServerCannotSuspend",
                    NetLabErrorKind.InvalidOperation,
                    $"{server.Name} is a {server.Protocol} server: only TCP servers can stop accepting while they keep listening.",
                    server);
            }

            server.SuspendJob();
        }
    }
}
