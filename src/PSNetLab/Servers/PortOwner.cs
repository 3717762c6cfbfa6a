using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace PSNetLab.Servers
{
    /// <summary>
    /// Finds which process holds a port, only to word "port in use" errors. Kept minimal and alone
    /// in this file so it can be swapped for the socket-table engine (Get-SocketTable) later.
    /// Linux only: /proc/net/{udp,tcp}[6] gives the socket inode, /proc/*/fd links name its owner.
    /// </summary>
    public static class PortOwner
    {
        /// <summary>" by pid 4242 (nginx)", or empty when the owner cannot be found (other OS, no rights).</summary>
        public static string Describe(ServerProtocol protocol, int port)
        {
            try
            {
                if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
                {
                    return string.Empty;
                }

                var inodes = new HashSet<string>(StringComparer.Ordinal);
                string table = protocol == ServerProtocol.Udp ? "udp" : "tcp";
                ReadInodes("/proc/net/" + table, port, inodes);
                ReadInodes("/proc/net/" + table + "6", port, inodes);
                if (inodes.Count == 0)
                {
                    return string.Empty;
                }

                foreach (string processDir in Directory.EnumerateDirectories("/proc"))
                {
                    string pid = Path.GetFileName(processDir);
                    if (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out _) || !OwnsAny(processDir, inodes))
                    {
                        continue;
                    }

                    string name = File.ReadAllText(Path.Combine(processDir, "comm")).Trim();
                    return $" by pid {pid} ({name})";
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // The lookup only improves a message; without it the message still says the port is in use.
            }

            return string.Empty;
        }

        private static void ReadInodes(string path, int port, HashSet<string> inodes)
        {
            if (!File.Exists(path))
            {
                return;
            }

            string portHex = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
            foreach (string line in File.ReadLines(path))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                string[] fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[1].EndsWith(portHex, StringComparison.Ordinal) && fields[9] != "0")
                {
                    inodes.Add(fields[9]);
                }
            }
        }

        private static bool OwnsAny(string processDir, HashSet<string> inodes)
        {
            try
            {
                foreach (string fd in Directory.EnumerateFileSystemEntries(Path.Combine(processDir, "fd")))
                {
                    string? target = ReadLink(fd);
                    if (target != null && target.StartsWith("socket:[", StringComparison.Ordinal) && inodes.Contains(target.Substring(8, target.Length - 9)))
                    {
                        return true;
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // Another user's process: skip it.
            }

            return false;
        }

        [DllImport("libc", EntryPoint = "readlink", SetLastError = true)]
        private static extern IntPtr NativeReadLink(string path, byte[] buffer, IntPtr size);

        private static string? ReadLink(string path)
        {
            // netstandard2.0 has no FileSystemInfo.LinkTarget.
            var buffer = new byte[256];
            long length = NativeReadLink(path, buffer, (IntPtr)buffer.Length).ToInt64();
            return length <= 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, (int)length);
        }
    }
}
