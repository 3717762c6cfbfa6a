using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PSNetLab.Errors;
using PSNetLab.Servers;
using PSNetLab.Servers.Hosting;

namespace PSNetLab.Commands
{
    /// <summary>Lists the servers started in this session (running, and stopped ones until Remove-Job).</summary>
    [Cmdlet(VerbsCommon.Get, "NetLabServer", DefaultParameterSetName = NameSet)]
    [OutputType(typeof(ServerJob))]
    public sealed class GetNetLabServerCommand : NetLabCmdlet
    {
        private const string NameSet = "Name";
        private const string IdSet = "Id";

        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
        [SupportsWildcards]
        public string[]? Name { get; set; }

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
        public int[] Id { get; set; } = null!;

        [Parameter]
        public int[]? Port { get; set; }

        [Parameter]
        public ServerProtocol[]? Protocol { get; set; }

        protected override void ProcessRecord()
        {
            List<ServerJob> servers = ServerJobs.All.Where(s => (Port == null || Port.Contains(s.Port)) && (Protocol == null || Protocol.Contains(s.Protocol))).ToList();
            if (ParameterSetName == IdSet)
            {
                foreach (int id in Id)
                {
                    ForEachItem(() => WriteObject(ServerSelection.ById(servers, id)));
                }

                return;
            }

            if (Name == null)
            {
                WriteObject(servers, enumerateCollection: true);
                return;
            }

            foreach (string name in Name)
            {
                ForEachItem(() => WriteObject(ServerSelection.ByName(servers, name), enumerateCollection: true));
            }
        }
    }

    /// <summary>How Get- and Stop-NetLabServer find servers by id and by (wildcard) name.</summary>
    internal static class ServerSelection
    {
        public static ServerJob ById(IEnumerable<ServerJob> servers, int id) =>
            servers.FirstOrDefault(s => s.Id == id) ?? throw NotFound($"No PSNetLab server has id {id}. Get-NetLabServer lists them.", id);

        public static List<ServerJob> ByName(IEnumerable<ServerJob> servers, string name)
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            List<ServerJob> found = servers.Where(s => pattern.IsMatch(s.Name)).ToList();
            if (found.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                throw NotFound($"No PSNetLab server is named '{name}'. Get-NetLabServer lists them.", name);
            }

            return found;
        }

        private static NetLabException NotFound(string message, object target) =>
            new NetLabException("NetLabServerNotFound", NetLabErrorKind.ObjectNotFound, message, target);
    }
}
