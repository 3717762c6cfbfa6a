using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace PSNetLab.Sockets.Linux
{
    /// <summary>One open file descriptor of one process, as listed in /proc/&lt;pid&gt;/fd.</summary>
    internal readonly struct ProcessFd
    {
        public ProcessFd(int pid, int fd)
        {
            Pid = pid;
            Fd = fd;
        }

        public int Pid { get; }

        public int Fd { get; }
    }

    /// <summary>
    /// Lists processes and their fd numbers with readdir: names only, no stat of each entry
    /// (.NET's Directory.Enumerate* stats every /proc/*/fd symlink, which costs as much as reading it).
    /// </summary>
    internal static class ProcFdList
    {
        /// <summary>The fds of every process (or of <paramref name="onlyProcesses"/>), grouped by pid.</summary>
        public static List<ProcessFd> List(ICollection<int>? onlyProcesses)
        {
            var fds = new List<ProcessFd>();
            byte[] path = new byte[32];
            foreach (int pid in onlyProcesses ?? ProcessIds())
            {
                ListFds(pid, path, fds);
            }

            return fds;
        }

        /// <summary>Writes "/proc/&lt;pid&gt;/fd" and a NUL into <paramref name="path"/>.</summary>
        public static void WriteFdDirectory(byte[] path, int pid)
        {
            int length = Ascii.Write(path, 0, "/proc/");
            length = Ascii.WriteNumber(path, length, pid);
            length = Ascii.Write(path, length, "/fd");
            path[length] = 0;
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

            ReadNumericNames(Encoding.ASCII.GetBytes("/proc\0"), pids.Add);
            return pids;
        }

        /// <summary>Appends the fds of one process; nothing if it is gone or belongs to another user.</summary>
        private static void ListFds(int pid, byte[] path, List<ProcessFd> fds)
        {
            if (LibC.DirentLayoutKnown)
            {
                WriteFdDirectory(path, pid);
                ReadNumericNames(path, fd => fds.Add(new ProcessFd(pid, fd)));
            }
            else
            {
                ListFdsManaged(pid, fds);
            }
        }

        /// <summary>The entries of a directory whose names are numbers ("." and ".." are not).</summary>
        private static void ReadNumericNames(byte[] directory, Action<int> onNumber)
        {
            IntPtr dir = LibC.opendir(directory);
            if (dir == IntPtr.Zero)
            {
                return;
            }

            try
            {
                IntPtr entry;
                while ((entry = LibC.readdir(dir)) != IntPtr.Zero)
                {
                    int number = 0;
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

                        number = (number * 10) + (b - '0');
                    }

                    if (numeric)
                    {
                        onNumber(number);
                    }
                }
            }
            finally
            {
                LibC.closedir(dir);
            }
        }

        // 32-bit ABIs disagree on struct dirent; there, .NET lists the names.
        private static void ListFdsManaged(int pid, List<ProcessFd> fds)
        {
            try
            {
                foreach (string entry in Directory.GetFileSystemEntries("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/fd"))
                {
                    if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out int fd))
                    {
                        fds.Add(new ProcessFd(pid, fd));
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // gone, or another user's process without privilege
            }
        }
    }
}
