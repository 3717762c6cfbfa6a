using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PSNetLab.Errors;
using PSNetLab.Sockets;

namespace PSNetLab.Servers
{
    /// <summary>Which process holds a port, to word "port in use" errors; asks the Get-SocketTable engine, so TCP and UDP on every OS it reads.</summary>
    public static class PortOwner
    {
        /// <summary>" by pid 4242 (nginx)", or empty when the owner cannot be found (no rights, unsupported OS).</summary>
        public static string Describe(ServerProtocol protocol, int port)
        {
            try
            {
                var query = new SocketTableQuery
                {
                    Protocols = new HashSet<SocketProtocol> { protocol == ServerProtocol.Udp ? SocketProtocol.Udp : SocketProtocol.Tcp },
                    States = protocol == ServerProtocol.Udp ? new HashSet<SocketState>() : new HashSet<SocketState> { SocketState.Listen },
                    IncludeOwners = true,
                };
                SocketTableRow? owner = SocketTableSources.ForCurrentOS().Read(query)
                    .FirstOrDefault(row => row.LocalPort == port && row.OwningProcess != null);
                if (owner != null)
                {
                    return $" by pid {owner.OwningProcess}" + (owner.ProcessName == null ? string.Empty : $" ({owner.ProcessName})");
                }
            }
            catch (Exception e) when (e is NetLabException || e is IOException || e is UnauthorizedAccessException || e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                // The lookup only improves a message; without it the message still says the port is in use.
            }

            return string.Empty;
        }
    }
}
