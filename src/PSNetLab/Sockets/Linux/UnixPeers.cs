using System.Collections.Generic;

namespace PSNetLab.Sockets.Linux
{
    /// <summary>
    /// unix_diag reports a connected socket's peer as an inode; the peer's name is on the peer's
    /// own row, so it is looked up within the same dump.
    /// </summary>
    internal static class UnixPeers
    {
        public static void Resolve(IList<SocketTableRow> rows)
        {
            var names = new Dictionary<long, string>();
            foreach (SocketTableRow row in rows)
            {
                if (row.Protocol == SocketProtocol.Unix && row.Inode is long inode && row.LocalAddress.Length > 0)
                {
                    names[inode] = row.LocalAddress;
                }
            }

            foreach (SocketTableRow row in rows)
            {
                if (row.Protocol == SocketProtocol.Unix && row.PeerInode is long peer && names.TryGetValue(peer, out string? name))
                {
                    row.RemoteAddress = name;
                }
            }
        }
    }
}
