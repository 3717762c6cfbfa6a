using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PSNetLab.Servers;
using PSNetLab.Servers.Hosting;

namespace PSNetLab.Commands
{
    /// <summary>Stops servers: the socket closes at once, so the port is free when this returns.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "NetLabServer", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true)]
    [OutputType(typeof(ServerJob))]
    public sealed class StopNetLabServerCommand : NetLabCmdlet
    {
        private const string InputObjectSet = "InputObject";
        private const string NameSet = "Name";
        private const string IdSet = "Id";
        private const string PortSet = "Port";
        private const string AllSet = "All";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        public ServerJob[] InputObject { get; set; } = null!;

        [Parameter(Mandatory = true, ParameterSetName = NameSet)]
        [SupportsWildcards]
        public string[] Name { get; set; } = null!;

        [Parameter(Mandatory = true, ParameterSetName = IdSet)]
        public int[] Id { get; set; } = null!;

        [Parameter(Mandatory = true, ParameterSetName = PortSet)]
        public int[] Port { get; set; } = null!;

        [Parameter(Mandatory = true, ParameterSetName = AllSet)]
        public SwitchParameter All { get; set; }

        /// <summary>Write the stopped server objects (their final counters) to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            IReadOnlyList<ServerJob> servers = ServerJobs.All;
            switch (ParameterSetName)
            {
                case InputObjectSet:
                    StopAll(InputObject);
                    break;
                case NameSet:
                    foreach (string name in Name)
                    {
                        ForEachItem(() => StopAll(ServerSelection.ByName(servers, name)));
                    }

                    break;
                case IdSet:
                    foreach (int id in Id)
                    {
                        ForEachItem(() => StopAll(new[] { ServerSelection.ById(servers, id) }));
                    }

                    break;
                case PortSet:
                    StopAll(servers.Where(s => Port.Contains(s.Port) && s.Server.Status == ServerStatus.Running));
                    break;
                default:
                    StopAll(servers.Where(s => s.Server.Status == ServerStatus.Running));
                    break;
            }
        }

        private void StopAll(IEnumerable<ServerJob> servers)
        {
            foreach (ServerJob server in servers)
            {
                if (ShouldProcess($"{server.Name} ({server.Location})", "Stop server"))
                {
                    server.StopJob();
                    if (PassThru)
                    {
                        WriteObject(server);
                    }
                }
            }
        }
    }
}
