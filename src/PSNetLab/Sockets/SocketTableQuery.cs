using System.Collections.Generic;

namespace PSNetLab.Sockets
{
    /// <summary>
    /// What a provider is asked for. Providers may use it to ask the kernel for less (the state
    /// mask, the protocols); <see cref="SocketTableFilter"/> applies the rest exactly afterwards.
    /// </summary>
    public sealed class SocketTableQuery
    {
        public ISet<SocketProtocol> Protocols { get; set; } = new HashSet<SocketProtocol> { SocketProtocol.Tcp, SocketProtocol.Udp };

        /// <summary>Empty means every state.</summary>
        public ISet<SocketState> States { get; set; } = new HashSet<SocketState>();

        /// <summary>Fill OwningProcess/ProcessName. Costly on Linux (a scan of /proc/*/fd), so only when asked.</summary>
        public bool IncludeOwners { get; set; }

        /// <summary>When owners are needed only for these processes, providers may look at them alone.</summary>
        public ISet<int>? OwnerProcessIds { get; set; }

        public bool WantsState(SocketState state) => States.Count == 0 || States.Contains(state);
    }
}
