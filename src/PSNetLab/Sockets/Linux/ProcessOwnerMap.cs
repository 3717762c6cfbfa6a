using System;
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

        private readonly Dictionary<long, int> _owners;
        private readonly Dictionary<int, string?> _names = new Dictionary<int, string?>();

        private ProcessOwnerMap(Dictionary<long, int> owners) => _owners = owners;

        /// <summary>
        /// Maps every socket inode held by a process (or by one of <paramref name="onlyProcesses"/>,
        /// which turns "-ProcessId $PID" into one directory read) to its owner. It needs no socket
        /// table, so it can run while the kernel dumps one.
        /// </summary>
        public static ProcessOwnerMap Scan(ICollection<int>? onlyProcesses)
        {
            // Listing is cheap next to reading the links (one readlink each, the cost ss -p pays too),
            // so the links are read in parallel chunks.
            List<ProcessFd> fds = ProcFdList.List(onlyProcesses);
            int chunks = (fds.Count + FdsPerChunk - 1) / FdsPerChunk;
            var found = new List<(long Inode, int Pid)>[chunks];
            Parallel.For(0, chunks, chunk =>
            {
                var result = new List<(long, int)>();
                using (var reader = new SocketLinkReader())
                {
                    int end = Math.Min(fds.Count, (chunk + 1) * FdsPerChunk);
                    for (int i = chunk * FdsPerChunk; i < end; i++)
                    {
                        if (reader.TryReadSocketInode(fds[i], out long inode))
                        {
                            result.Add((inode, fds[i].Pid));
                        }
                    }
                }

                found[chunk] = result;
            });

            var owners = new Dictionary<long, int>(fds.Count);
            foreach (List<(long Inode, int Pid)> chunk in found)
            {
                foreach ((long inode, int pid) in chunk)
                {
                    // A socket shared by several processes (fork, fd passing) gets the lowest pid, on every run.
                    if (!owners.TryGetValue(inode, out int known) || pid < known)
                    {
                        owners[inode] = pid;
                    }
                }
            }

            return new ProcessOwnerMap(owners);
        }

        /// <summary>Fills OwningProcess/ProcessName of <paramref name="rows"/>; names are read only for owning processes.</summary>
        public void Fill(IList<SocketTableRow> rows)
        {
            foreach (SocketTableRow row in rows)
            {
                if (row.Inode is long inode && inode != 0 && _owners.TryGetValue(inode, out int pid))
                {
                    row.OwningProcess = pid;
                    row.ProcessName = NameOf(pid);
                }
            }
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
