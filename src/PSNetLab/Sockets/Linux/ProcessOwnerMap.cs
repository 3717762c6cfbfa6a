using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;

namespace PSNetLab.Sockets.Linux
{
    /// <summary>
    /// Finds which process holds each socket inode by reading the /proc/&lt;pid&gt;/fd symlinks
    /// ("socket:[12345]"), the way ss -p does. Processes of other users cannot be read without
    /// privilege: their sockets keep a null owner, which is not an error.
    /// </summary>
    internal sealed class ProcessOwnerMap
    {
        // Big enough that a chunk's setup (a reader, opening the fd directory) is noise next to its
        // ~1000 readlinks of ~4 us; small enough that two cores share the work evenly.
        private const int FdsPerChunk = 1024;

        // Socket inodes and their owners, sorted by inode: pooled arrays, where a dictionary of
        // 10k+ entries per call would land on the large-object heap and bring full GCs.
        private readonly long[] _inodes;
        private readonly int[] _pids;
        private readonly int _count;
        private readonly Dictionary<int, string?> _names = new Dictionary<int, string?>();

        private ProcessOwnerMap(long[] inodes, int[] pids, int count)
        {
            _inodes = inodes;
            _pids = pids;
            _count = count;
        }

        /// <summary>
        /// Maps every socket inode held by a process (or by one of <paramref name="onlyProcesses"/>,
        /// which turns "-ProcessId $PID" into one directory read) to its owner. It needs no socket
        /// table, so it can run while the kernel dumps one.
        /// </summary>
        public static ProcessOwnerMap Scan(ICollection<int>? onlyProcesses)
        {
            // Listing is cheap next to reading the links (one readlink each, the cost ss -p pays too),
            // so the links are read in parallel chunks, each writing its finds to its own slice.
            List<ProcessFd> fds = ProcFdList.List(onlyProcesses);
            long[] inodes = ArrayPool<long>.Shared.Rent(Math.Max(1, fds.Count));
            int[] pids = ArrayPool<int>.Shared.Rent(Math.Max(1, fds.Count));
            int chunks = (fds.Count + FdsPerChunk - 1) / FdsPerChunk;
            int[] found = new int[chunks];
            Parallel.For(0, chunks, chunk =>
            {
                int start = chunk * FdsPerChunk;
                int end = Math.Min(fds.Count, start + FdsPerChunk);
                int next = start;
                using (var reader = new SocketLinkReader())
                {
                    for (int i = start; i < end; i++)
                    {
                        if (reader.TryReadSocketInode(fds[i], out long inode))
                        {
                            inodes[next] = inode;
                            pids[next++] = fds[i].Pid;
                        }
                    }
                }

                found[chunk] = next - start;
            });

            int count = 0;
            for (int chunk = 0; chunk < chunks; chunk++)
            {
                Array.Copy(inodes, chunk * FdsPerChunk, inodes, count, found[chunk]);
                Array.Copy(pids, chunk * FdsPerChunk, pids, count, found[chunk]);
                count += found[chunk];
            }

            Array.Sort(inodes, pids, 0, count);
            return new ProcessOwnerMap(inodes, pids, count);
        }

        /// <summary>
        /// Fills OwningProcess/ProcessName of <paramref name="rows"/>; names are read only for owning
        /// processes. Gives the pooled arrays back: the map is used once.
        /// </summary>
        public void Fill(IList<SocketTableRow> rows)
        {
            try
            {
                foreach (SocketTableRow row in rows)
                {
                    if (row.Inode is long inode && inode != 0 && TryOwner(inode, out int pid))
                    {
                        row.OwningProcess = pid;
                        row.ProcessName = NameOf(pid);
                    }
                }
            }
            finally
            {
                ArrayPool<long>.Shared.Return(_inodes);
                ArrayPool<int>.Shared.Return(_pids);
            }
        }

        private bool TryOwner(long inode, out int pid)
        {
            pid = 0;
            int at = Array.BinarySearch(_inodes, 0, _count, inode);
            if (at < 0)
            {
                return false;
            }

            // A socket shared by several processes (fork, fd passing) gets the lowest pid, on every run.
            while (at > 0 && _inodes[at - 1] == inode)
            {
                at--;
            }

            pid = _pids[at];
            for (int i = at + 1; i < _count && _inodes[i] == inode; i++)
            {
                pid = Math.Min(pid, _pids[i]);
            }

            return true;
        }

        private string? NameOf(int pid)
        {
            if (!_names.TryGetValue(pid, out string? name))
            {
                try
                {
                    name = File.ReadAllText("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/comm").TrimEnd('\n');
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    name = null;   // exited since the scan
                }

                _names[pid] = name;
            }

            return name;
        }
    }
}
