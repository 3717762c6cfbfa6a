using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Linq;
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
        internal static readonly byte[] SocketPrefix = Encoding.ASCII.GetBytes("socket:[");

        private readonly byte[] _path = new byte[64];
        private readonly Dictionary<long, int> _owners = new Dictionary<long, int>();
        private readonly Dictionary<int, string?> _names = new Dictionary<int, string?>();

        /// <summary>
        /// Fills OwningProcess/ProcessName of <paramref name="rows"/>. When <paramref name="onlyProcesses"/>
        /// is given only those processes are read, which turns "-ProcessId $PID" into one directory read.
        /// </summary>
        public static void Fill(IList<SocketTableRow> rows, ICollection<int>? onlyProcesses)
        {
            var wanted = new HashSet<long>();
            foreach (SocketTableRow row in rows)
            {
                if (row.Inode is long inode && inode != 0)
                {
                    wanted.Add(inode);
                }
            }

            if (wanted.Count == 0)
            {
                return;
            }

            var map = new ProcessOwnerMap();
            map.Scan(wanted, onlyProcesses);
            foreach (SocketTableRow row in rows)
            {
                if (row.Inode is long inode && map._owners.TryGetValue(inode, out int pid))
                {
                    row.OwningProcess = pid;
                    row.ProcessName = map.NameOf(pid);
                }
            }
        }

        /// <summary>
        /// Lists every fd first (cheap: getdents), then reads the links (one readlink each, the
        /// cost ss -p pays too) in parallel chunks. Chunks are merged in pid and fd order, so the
        /// owner of a socket shared by several processes is the same on every run: the lowest pid.
        /// </summary>
        private void Scan(HashSet<long> wanted, ICollection<int>? onlyProcesses)
        {
            var fds = new List<(int Pid, int Fd)>();
            IEnumerable<int> pids = onlyProcesses != null ? (IEnumerable<int>)onlyProcesses.OrderBy(p => p) : ProcessIds();
            foreach (int pid in pids)
            {
                ListFds(pid, fds);
            }

            int chunks = Math.Max(1, Math.Min(Environment.ProcessorCount * 2, fds.Count / 512));
            var found = new List<(long Inode, int Pid)>[chunks];
            Parallel.For(0, chunks, chunk =>
            {
                var reader = new LinkReader();
                var result = new List<(long, int)>();
                int start = (int)((long)fds.Count * chunk / chunks);
                int end = (int)((long)fds.Count * (chunk + 1) / chunks);
                for (int i = start; i < end; i++)
                {
                    if (reader.TryReadSocketInode(fds[i].Pid, fds[i].Fd, out long inode) && wanted.Contains(inode))
                    {
                        result.Add((inode, fds[i].Pid));
                    }
                }

                found[chunk] = result;
            });

            foreach (List<(long Inode, int Pid)> chunk in found)
            {
                foreach ((long inode, int pid) in chunk)
                {
                    if (!_owners.ContainsKey(inode))
                    {
                        _owners[inode] = pid;
                    }
                }
            }
        }

        private static List<int> ProcessIds()
        {
            var pids = new List<int>();
            if (!LibC.DirentLayoutKnown)
            {
                foreach (string dir in Directory.GetDirectories("/proc"))
                {
                    if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                    {
                        pids.Add(pid);
                    }
                }

                return pids;
            }

            IntPtr proc = LibC.opendir(Encoding.ASCII.GetBytes("/proc\0"));
            if (proc == IntPtr.Zero)
            {
                return pids;
            }

            try
            {
                IntPtr entry;
                while ((entry = LibC.readdir(proc)) != IntPtr.Zero)
                {
                    int pid = 0;
                    int i = LibC.DirentNameOffset;
                    byte b;
                    bool numeric = true;
                    while ((b = Marshal.ReadByte(entry, i++)) != 0)
                    {
                        if (b < (byte)'0' || b > (byte)'9')
                        {
                            numeric = false;
                            break;
                        }

                        pid = (pid * 10) + (b - '0');
                    }

                    if (numeric && pid > 0)
                    {
                        pids.Add(pid);
                    }
                }
            }
            finally
            {
                LibC.closedir(proc);
            }

            return pids;
        }

        /// <summary>Appends the fd numbers of one process; nothing if it is gone or belongs to another user.</summary>
        private void ListFds(int pid, List<(int, int)> fds)
        {
            int length = Write(_path, 0, "/proc/");
            length = Write(_path, length, pid.ToString(CultureInfo.InvariantCulture));
            length = Write(_path, length, "/fd");
            _path[length] = 0;

            if (!LibC.DirentLayoutKnown)
            {
                ListFdsManaged(pid, fds);
                return;
            }

            IntPtr dir = LibC.opendir(_path);
            if (dir == IntPtr.Zero)
            {
                return;
            }

            try
            {
                IntPtr entry;
                while ((entry = LibC.readdir(dir)) != IntPtr.Zero)
                {
                    int fd = 0;
                    int i = LibC.DirentNameOffset;
                    byte b;
                    bool numeric = true;
                    while ((b = Marshal.ReadByte(entry, i++)) != 0)
                    {
                        if (b < (byte)'0' || b > (byte)'9')
                        {
                            numeric = false;   // "." and ".."
                            break;
                        }

                        fd = (fd * 10) + (b - '0');
                    }

                    if (numeric)
                    {
                        fds.Add((pid, fd));
                    }
                }
            }
            finally
            {
                LibC.closedir(dir);
            }
        }

        // 32-bit ABIs disagree on struct dirent; there, .NET lists the names.
        private static void ListFdsManaged(int pid, List<(int, int)> fds)
        {
            try
            {
                foreach (string entry in Directory.GetFileSystemEntries("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/fd"))
                {
                    if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out int fd))
                    {
                        fds.Add((pid, fd));
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // gone, or another user's process without privilege
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

        internal static bool TryInode(byte[] link, int length, out long inode)
        {
            inode = 0;
            int i = SocketPrefix.Length;
            for (; i < length && link[i] != (byte)']'; i++)
            {
                if (link[i] < (byte)'0' || link[i] > (byte)'9')
                {
                    return false;
                }

                inode = (inode * 10) + (link[i] - '0');
            }

            return i < length && i > SocketPrefix.Length;
        }

        internal static int Write(byte[] buffer, int offset, string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                buffer[offset + i] = (byte)text[i];
            }

            return offset + text.Length;
        }
    }

    /// <summary>One worker's buffers for readlink("/proc/&lt;pid&gt;/fd/&lt;fd&gt;"), so no path string is made per fd.</summary>
    internal sealed class LinkReader
    {
        private readonly byte[] _path = new byte[64];
        private readonly byte[] _link = new byte[64];

        public bool TryReadSocketInode(int pid, int fd, out long inode)
        {
            inode = 0;
            int length = ProcessOwnerMap.Write(_path, 0, "/proc/");
            length = WriteNumber(length, pid);
            length = ProcessOwnerMap.Write(_path, length, "/fd/");
            length = WriteNumber(length, fd);
            _path[length] = 0;

            long read = LibC.readlink(_path, _link, (UIntPtr)_link.Length).ToInt64();
            if (read <= ProcessOwnerMap.SocketPrefix.Length)
            {
                return false;
            }

            for (int i = 0; i < ProcessOwnerMap.SocketPrefix.Length; i++)
            {
                if (_link[i] != ProcessOwnerMap.SocketPrefix[i])
                {
                    return false;
                }
            }

            return ProcessOwnerMap.TryInode(_link, (int)read, out inode);
        }

        private int WriteNumber(int offset, int value)
        {
            int start = offset;
            do
            {
                _path[offset++] = (byte)('0' + (value % 10));
                value /= 10;
            }
            while (value > 0);

            Array.Reverse(_path, start, offset - start);
            return offset;
        }
    }
}
