using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using PSNetLab.Errors;
using PSNetLab.Ports;

namespace PSNetLab.Commands
{
    /// <summary>Looks up service names and ports in the system services database (with a built-in fallback).</summary>
    [Cmdlet(VerbsCommon.Get, "WellKnownPort", DefaultParameterSetName = NameSet)]
    [OutputType(typeof(WellKnownPort))]
    public sealed class GetWellKnownPortCommand : NetLabCmdlet
    {
        private const string NameSet = "Name";
        private const string PortSet = "Port";

        /// <summary>Service names or aliases; wildcards allowed. A number is looked up as a port.</summary>
        [Parameter(Position = 0, ParameterSetName = NameSet)]
        [SupportsWildcards]
        public string[]? Name { get; set; }

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PortSet)]
        [Alias("LocalPort")]
        public int[] Port { get; set; } = null!;

        [Parameter]
        public PortProtocol[]? Protocol { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == PortSet)
            {
                foreach (int port in Port)
                {
                    ForEachItem(() => WriteByPort(port));
                }

                return;
            }

            if (Name == null || Name.Length == 0)
            {
                WriteObject(PortCatalog.Entries.Where(MatchesProtocol), enumerateCollection: true);
                return;
            }

            foreach (string name in Name)
            {
                ForEachItem(() =>
                {
                    if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int port))
                    {
                        WriteByPort(port);
                    }
                    else
                    {
                        WriteByName(name);
                    }
                });
            }
        }

        private void WriteByPort(int port)
        {
            PortNumber.Validate(port, nameof(Port));
            List<WellKnownPort> found = PortCatalog.Entries.Where(e => e.Port == port && MatchesProtocol(e)).ToList();
            if (found.Count == 0)
            {
                throw NotFound($"No service is registered on port {port}{ProtocolSuffix()} in the services database; the port is in the {Describe(PortNumber.RangeOf(port))} range.", port);
            }

            WriteObject(found, enumerateCollection: true);
        }

        private void WriteByName(string name)
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            List<WellKnownPort> found = PortCatalog.Entries
                .Where(e => MatchesProtocol(e) && (pattern.IsMatch(e.Name) || e.Aliases.Any(pattern.IsMatch)))
                .ToList();
            if (found.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                throw NotFound($"No service named '{name}'{ProtocolSuffix()} is in the services database. Try a wildcard, such as '*{name}*'.", name);
            }

            WriteObject(found, enumerateCollection: true);
        }

        private bool MatchesProtocol(WellKnownPort entry) => Protocol == null || Protocol.Contains(entry.Protocol);

        private string ProtocolSuffix() =>
            Protocol == null ? string.Empty : " for " + string.Join(" or ", Protocol.Select(p => p.ToString().ToUpperInvariant()));

        private static NetLabException NotFound(string message, object target) =>
            new NetLabException("WellKnownPortNotFound", NetLabErrorKind.ObjectNotFound, message, target);

        private static string Describe(PortRange range)
        {
            switch (range)
            {
                case PortRange.WellKnown: return "well-known (0-1023)";
                case PortRange.Registered: return "registered (1024-49151)";
                default: return "dynamic (49152-65535)";
            }
        }
    }
}
