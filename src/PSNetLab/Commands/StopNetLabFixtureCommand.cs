using System.Linq;
using System.Management.Automation;
using PSNetLab.Labs;
using PSNetLab.Servers.Hosting;

namespace PSNetLab.Commands
{
    /// <summary>A lab's AfterAll: stops and removes every server and job started since the fixture began.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "NetLabFixture", SupportsShouldProcess = true)]
    [OutputType(typeof(Job))]
    public sealed class StopNetLabFixtureCommand : NetLabCmdlet
    {
        /// <summary>The fixture to stop; the newest open one when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        public NetLabFixture? Fixture { get; set; }

        /// <summary>Write what was stopped to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            NetLabFixture? fixture = Fixture ?? NetLabFixture.Newest();
            if (fixture == null)
            {
                WriteVerbose("No fixture is open: nothing to stop.");
                return;
            }

            if (!ShouldProcess(fixture.Name, "Stop every server and job started since the fixture began"))
            {
                return;
            }

            fixture.Close();
            // Servers first: stopping one frees its port at once, and they are jobs too.
            foreach (ServerJob server in ServerJobs.All.Where(s => fixture.StartedAfter(s.InstanceId)).ToList())
            {
                WriteVerbose($"Stopping server {server}");
                Remove(server);
            }

            // Get-Job, not JobRepository: thread jobs live in their own job source adapter.
            foreach (Job job in LabJobs.All(this).Where(j => !(j is ServerJob) && fixture.StartedAfter(j.InstanceId)).ToList())
            {
                WriteVerbose($"Removing job {job.Name} ({job.JobStateInfo.State})");
                LabJobs.Remove(this, job);
                if (PassThru)
                {
                    WriteObject(job);
                }
            }
        }

        private void Remove(ServerJob server)
        {
            server.StopJob();
            if (JobRepository.GetJob(server.InstanceId) != null)
            {
                JobRepository.Remove(server);
            }

            if (PassThru)
            {
                WriteObject(server);
            }

            server.Dispose();
        }
    }
}
