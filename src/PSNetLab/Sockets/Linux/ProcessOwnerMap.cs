using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace PSNetLab.Sockets.Linux
{
    /// <summary>
    /// Finds which process holds each socket inode by reading the /proc/&lt;pid&gt;/fd symlinks
    /// ("socket:[12345]"), the way ss -p does. Processes of other users cannot be read without
    /// privilege: their sockets keep a null owner, which is not an error.
    /// </summary>
    internal sealed class ProcessOwnerMap
    {
        private static readonly byte[] SocketPrefix = Encoding.ASCII.GetBytes("socket:[");

        private readonly byte[] _path = new byte[64];
        private readonly byte[] _link = new byte[64];
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

        private void Scan(HashSet<long> wanted, ICollection<int>? onlyProcesses)
        {
            if (onlyProcesses != null)
            {
                foreach (int pid in onlyProcesses)
                {
                    ScanProcess(pid, wanted);
                }

                return;
            }

            foreach (int pid in ProcessIds())
            {
                // Every socket found: the rest of /proc cannot add an owner (the first holder wins).
                if (_owners.Count == wanted.Count)
                {
                    return;
                }

                ScanProcess(pid, wanted);
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

        private void ScanProcess(int pid, HashSet<long> wanted)
        {
            // "/proc/<pid>/fd/" is built once per process; each fd name is appended in place.
            int prefix = Write(_path, 0, "/proc/");
            prefix = Write(_path, prefix, pid.ToString(CultureInfo.InvariantCulture));
            prefix = Write(_path, prefix, "/fd");
            _path[prefix] = 0;

            if (!LibC.DirentLayoutKnown)
            {
                ScanProcessManaged(pid, wanted);
                return;
            }

            IntPtr dir = LibC.opendir(_path);
            if (dir == IntPtr.Zero)
            {
                return;   // gone, or another user's process without privilege
            }

            _path[prefix++] = (byte)'/';
            try
            {
                IntPtr entry;
                while ((entry = LibC.readdir(dir)) != IntPtr.Zero)
                {
                    int length = prefix;
                    byte b;
                    int i = LibC.DirentNameOffset;
                    while ((b = Marshal.ReadByte(entry, i++)) != 0 && length < _path.Length - 1)
                    {
                        _path[length++] = b;
                    }

                    if (_path[prefix] == (byte)'.')
                    {
                        continue;
                    }

                    _path[length] = 0;
                    long read = LibC.readlink(_path, _link, (UIntPtr)_link.Length).ToInt64();
                    if (read > SocketPrefix.Length && StartsWithSocket(_link) &&
                        TryInode(_link, (int)read, out long inode) && wanted.Contains(inode) && !_owners.ContainsKey(inode))
                    {
                        _owners[inode] = pid;
                    }
                }
            }
            finally
            {
                LibC.closedir(dir);
            }
        }

        // 32-bit ABIs disagree on struct dirent; there, .NET lists the names and libc reads the links.
        private void ScanProcessManaged(int pid, HashSet<long> wanted)
        {
            string[] entries;
            try
            {
                entries = Directory.GetFileSystemEntries("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/fd");
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return;
            }

            foreach (string entry in entries)
            {
                byte[] path = Encoding.ASCII.GetBytes(entry + "\0");
                long read = LibC.readlink(path, _link, (UIntPtr)_link.Length).ToInt64();
                if (read > SocketPrefix.Length && StartsWithSocket(_link) &&
                    TryInode(_link, (int)read, out long inode) && wanted.Contains(inode) && !_owners.ContainsKey(inode))
                {
                    _owners[inode] = pid;
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

        private static bool StartsWithSocket(byte[] link)
        {
            for (int i = 0; i < SocketPrefix.Length; i++)
            {
                if (link[i] != SocketPrefix[i])
                {
                    return false;
                }
            }

            return true;
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

        private static int Write(byte[] buffer, int offset, string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                buffer[offset + i] = (byte)text[i];
            }

            return offset + text.Length;
        }
    }
}
