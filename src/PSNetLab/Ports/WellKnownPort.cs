using System.Collections.Generic;
using System.Globalization;

namespace PSNetLab.Ports
{
    public enum PortProtocol
    {
        Tcp,
        Udp,
    }

    /// <summary>Where a port entry came from.</summary>
    public enum PortSource
    {
        /// <summary>The system services database (/etc/services, or its Windows equivalent).</summary>
        System,

        /// <summary>PSNetLab's own table, used where the system has none or lacks the entry.</summary>
        BuiltIn,
    }

    /// <summary>One service name bound to a port and protocol.</summary>
    public sealed class WellKnownPort
    {
        public WellKnownPort(string name, int port, PortProtocol protocol, IReadOnlyList<string> aliases, string? description, PortSource source)
        {
            Name = name;
            Port = port;
            Protocol = protocol;
            Aliases = aliases;
            Description = description;
            Source = source;
        }

        public string Name { get; }

        public int Port { get; }

        public PortProtocol Protocol { get; }

        public PortRange Range => PortNumber.RangeOf(Port);

        public IReadOnlyList<string> Aliases { get; }

        public string? Description { get; }

        public PortSource Source { get; }

        internal WellKnownPort WithAliases(IReadOnlyList<string> aliases) =>
            new WellKnownPort(Name, Port, Protocol, aliases, Description, Source);

        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "{0} {1}/{2}", Name, Port, Protocol.ToString().ToLowerInvariant());
    }
}
