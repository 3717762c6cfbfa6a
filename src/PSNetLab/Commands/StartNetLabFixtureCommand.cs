using System.Linq;
using System.Management.Automation;
using PSNetLab.Labs;
using PSNetLab.Servers.Hosting;

namespace PSNetLab.Commands
{
    /// <summary>
    /// A lab's BeforeAll calls this first: it notes the servers and jobs that already exist, so that
    /// Stop-NetLabFixture in AfterAll stops everything the lab started, whatever failed in between.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "NetLabFixture")]
    [OutputType(typeof(NetLabFixture))]
    public sealed class StartNetLabFixtureCommand : NetLabCmdlet
    {
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = "fixture";

        protected override void EndProcessing()
        {
            var known = ServerJobs.All.Select(s => s.InstanceId).Concat(LabJobs.All(this).Select(j => j.InstanceId));
            NetLabFixture fixture = NetLabFixture.Start(Name, known);
            // A fixture runs under Pester, the moment the Should operators can surely be registered
            // even if PSNetLab was imported before Pester was.
            InvokeCommand.InvokeScript("if (Get-Module Pester | Where-Object { $_.Version.Major -ge 5 }) { Register-NetLabShouldOperator }");
            WriteObject(fixture);
        }
    }
}
