using System.Collections.Generic;

namespace PSNetLab.Sockets
{
    /// <summary>Drops rows a dump returned twice (see <see cref="SocketRowIdentity.Row"/>); the first copy wins.</summary>
    public static class SocketRowDeduplicator
    {
        public static List<SocketTableRow> Distinct(IEnumerable<SocketTableRow> rows)
        {
            // Most rows have an inode, and an inode names one socket: a (protocol, inode) key is
            // enough for them and avoids hashing two address strings per row.
            var seenInodes = new HashSet<(SocketProtocol, long)>();
            var seenOthers = new HashSet<(SocketProtocol, string, int, string, int, long, SocketState)>();
            var result = new List<SocketTableRow>(rows is ICollection<SocketTableRow> collection ? collection.Count : 0);
            foreach (SocketTableRow row in rows)
            {
                bool first = row.Inode is long inode && inode != 0
                    ? seenInodes.Add((row.Protocol, inode))
                    : seenOthers.Add(SocketRowIdentity.Row(row));
                if (first)
                {
                    result.Add(row);
                }
            }

            return result;
        }
    }
}
