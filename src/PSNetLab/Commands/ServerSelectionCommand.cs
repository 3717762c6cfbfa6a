using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PSNetLab.Servers;
using PSNetLab.Servers.Hosting;

namespace PSNetLab.Commands
{
    /// <summary>
    /// The parameters every cmdlet that acts on running servers shares (Stop, Suspend, Resume):
    /// servers from the pipeline, by -Name, -Id, -Port or -All, each confirmed with ShouldProcess.
    /// </summary>
    public abstract class ServerSelectionCommand : NetLabCmdlet
    {
        protected const string InputObjectSet = "InputObject";
        protected const string NameSet = "Name";
        protected const string IdSet = "Id";
        protected const string PortSet = "Port";
        protected const string AllSet = "All";

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

        /// <summary>Write the server objects acted on to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>The ShouldProcess action, e.g. "Stop server".</summary>
        protected abstract string Action { get; }

        /// <summary>Acts on one server; throws NetLabException when this server cannot be acted on.</summary>
        protected abstract void Act(ServerJob server);

        protected override void ProcessRecord()
        {
            IReadOnlyList<ServerJob> servers = ServerJobs.All;
            switch (ParameterSetName)
            {
                case InputObjectSet:
                    ActOnAll(InputObject);
                    break;
                case NameSet:
                    foreach (string name in Name)
                    {
                        ForEachItem(() => ActOnAll(ServerSelection.ByName(servers, name)));
                    }

                    break;
                case IdSet:
                    foreach (int id in Id)
                    {
                        ForEachItem(() => ActOnAll(new[] { ServerSelection.ById(servers, id) }));
                    }

                    break;
                case PortSet:
                    ActOnAll(servers.Where(s => Port.Contains(s.Port) && s.Server.Status == ServerStatus.Running));
                    break;
                default:
                    ActOnAll(servers.Where(s => s.Server.Status == ServerStatus.Running));
                    break;
            }
        }

        private void ActOnAll(IEnumerable<ServerJob> servers)
        {
            foreach (ServerJob server in servers)
            {
                if (!ShouldProcess($"{server.Name} ({server.Location})", Action))
                {
                    continue;
                }

                ForEachItem(() =>
                {
                    Act(server);
                    if (PassThru)
                    {
                        WriteObject(server);
                    }
                });
            }
        }
    }
}
