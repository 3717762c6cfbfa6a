using System;
using System.Buffers;
using System.Collections.Generic;

namespace PSNetLab.Sockets
{
    /// <summary>Drops rows a dump returned twice (see <see cref="SocketRowIdentity.Row"/>); the first copy wins.</summary>
    public static class SocketRowDeduplicator
    {
        public static List<SocketTableRow> Distinct(IEnumerable<SocketTableRow> rows)
        {
            var result = new List<SocketTableRow>(rows);
            RemoveRepeats(result);
            return result;
        }

        /// <summary>
        /// Removes repeats in place. Repeats are rare, so the common case only checks for them:
        /// a sort of the inodes in a pooled array, where a hash set of 10k+ keys per call would
        /// land on the large-object heap and cost a full GC every few calls.
        /// </summary>
        public static void RemoveRepeats(List<SocketTableRow> rows)
        {
            bool inodeRepeats = HasRepeatedInode(rows, out int withoutInode);
            if (!inodeRepeats && withoutInode < 2)
            {
                return;
            }

            // An inode names one socket, so it alone tells repeats apart; inode 0 (TIME_WAIT,
            // SYN_RECV request sockets) is shared by many, and there the endpoints and state do.
            HashSet<(SocketProtocol, long)>? seenInodes = inodeRepeats ? new HashSet<(SocketProtocol, long)>() : null;
            var seenOthers = new HashSet<(SocketProtocol, string, int, string, int, long, SocketState)>();
            int kept = 0;
            for (int i = 0; i < rows.Count; i++)
            {
                SocketTableRow row = rows[i];
                bool first = row.Inode is long inode && inode != 0
                    ? seenInodes == null || seenInodes.Add((row.Protocol, inode))
                    : seenOthers.Add(SocketRowIdentity.Row(row));
                if (first)
                {
                    rows[kept++] = row;
                }
            }

            rows.RemoveRange(kept, rows.Count - kept);
        }

        private static bool HasRepeatedInode(List<SocketTableRow> rows, out int withoutInode)
        {
            withoutInode = 0;
            long[] inodes = ArrayPool<long>.Shared.Rent(Math.Max(1, rows.Count));
            try
            {
                int count = 0;
                foreach (SocketTableRow row in rows)
                {
                    if (row.Inode is long inode && inode != 0)
                    {
                        inodes[count++] = inode;
                    }
                    else
                    {
                        withoutInode++;
                    }
                }

                // Inodes are unique across protocols on Linux; elsewhere a false alarm only costs the exact path.
                Array.Sort(inodes, 0, count);
                for (int i = 1; i < count; i++)
                {
                    if (inodes[i] == inodes[i - 1])
                    {
                        return true;
                    }
                }

                return false;
            }
            finally
            {
                ArrayPool<long>.Shared.Return(inodes);
            }
        }
    }
}
