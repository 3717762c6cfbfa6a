using System;
using System.Globalization;
using System.Net.Sockets;

namespace PSNetLab.Sockets
{
    /// <summary>
    /// One socket, the same shape on every OS. Addresses are strings as in Get-NetTCPConnection:
    /// an IP address for Tcp/Udp rows, a path ("@name" for the abstract namespace) for Unix rows.
    /// </summary>
    public class SocketTableRow
    {
        public SocketProtocol Protocol { get; set; }

        public AddressFamily AddressFamily { get; set; }

        /// <summary>Stream for TCP, Dgram for UDP; for unix sockets the type they were created with.</summary>
        public SocketType SocketType { get; set; }

        public string LocalAddress { get; set; } = string.Empty;

        public int LocalPort { get; set; }

        public string RemoteAddress { get; set; } = string.Empty;

        public int RemotePort { get; set; }

        public SocketState State { get; set; }

        /// <summary>Null when the owner is unknown: not asked for, TIME_WAIT, never accepted, or another user's socket without privilege.</summary>
        public int? OwningProcess { get; set; }

        public string? ProcessName { get; set; }

        /// <summary>Bytes not yet read; for a Listen row, connections waiting in the accept queue.</summary>
        public long RecvQ { get; set; }

        /// <summary>Bytes not yet acknowledged; for a Listen row, the backlog (Linux netlink only).</summary>
        public long SendQ { get; set; }

        public int? Uid { get; set; }

        /// <summary>The socket's inode (Linux); 0 for sockets no file refers to, such as TIME_WAIT rows.</summary>
        public long? Inode { get; set; }

        /// <summary>For a connected unix socket, the inode of its peer (ss shows it as the peer's "port").</summary>
        public long? PeerInode { get; set; }

        public SocketTimer? Timer { get; set; }

        public override string ToString()
        {
            string owner = OwningProcess == null ? string.Empty : $" pid {OwningProcess}" + (ProcessName == null ? string.Empty : $" ({ProcessName})");
            return $"{Protocol.ToString().ToLowerInvariant()} {Endpoint(LocalAddress, LocalPort)} -> {Endpoint(RemoteAddress, RemotePort)} {State}{owner}";
        }

        /// <summary>addr:port with IPv6 in brackets, as netstat and ss print it; unix paths as they are.</summary>
        public string FormatLocal() => Endpoint(LocalAddress, LocalPort);

        public string FormatRemote() => Endpoint(RemoteAddress, RemotePort);

        private string Endpoint(string address, int port)
        {
            if (Protocol == SocketProtocol.Unix)
            {
                return address.Length == 0 ? "*" : address;
            }

            string host = address.IndexOf(':') >= 0 ? "[" + address + "]" : address;
            return host + ":" + (port == 0 ? "*" : port.ToString(CultureInfo.InvariantCulture));
        }

        internal void CopyFrom(SocketTableRow other)
        {
            Protocol = other.Protocol;
            AddressFamily = other.AddressFamily;
            SocketType = other.SocketType;
            LocalAddress = other.LocalAddress;
            LocalPort = other.LocalPort;
            RemoteAddress = other.RemoteAddress;
            RemotePort = other.RemotePort;
            State = other.State;
            OwningProcess = other.OwningProcess;
            ProcessName = other.ProcessName;
            RecvQ = other.RecvQ;
            SendQ = other.SendQ;
            Uid = other.Uid;
            Inode = other.Inode;
            PeerInode = other.PeerInode;
            Timer = other.Timer;
        }
    }

    /// <summary>A row that -Watch emits: what changed, and when it was seen.</summary>
    public sealed class SocketTableChange : SocketTableRow
    {
        public SocketChangeType ChangeType { get; set; }

        public DateTime Time { get; set; }

        /// <summary>For StateChanged, the state the socket was in before.</summary>
        public SocketState? PreviousState { get; set; }

        internal static SocketTableChange From(SocketTableRow row, SocketChangeType change, DateTime time, SocketState? previous = null)
        {
            var result = new SocketTableChange
            {
                ChangeType = change,
                Time = time,
                PreviousState = previous,
            };
            result.CopyFrom(row);
            return result;
        }

        public override string ToString() => $"{Time:HH:mm:ss.fff} {ChangeType} {base.ToString()}";
    }
}
