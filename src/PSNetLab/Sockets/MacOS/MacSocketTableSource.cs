using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using PSNetLab.Errors;

namespace PSNetLab.Sockets.MacOS
{
    /// <summary>
    /// A best effort, as netstat does it: the pcblist_n sysctls for TCP and UDP. The owner is the
    /// socket's last user (xsocket_n.so_last_pid), named through libproc; TIME_WAIT sockets are not
    /// in pcblist_n at all, and unix sockets are not read.
    /// </summary>
    public sealed class MacSocketTableSource : ISocketTableSource
    {
        public string Name => "sysctl pcblist_n";

        public IReadOnlyCollection<SocketProtocol> Protocols { get; } = new[] { SocketProtocol.Tcp, SocketProtocol.Udp };

        public IReadOnlyList<SocketTableRow> Read(SocketTableQuery query)
        {
            var rows = new List<SocketTableRow>();
            if (query.Protocols.Contains(SocketProtocol.Tcp))
            {
                byte[] data = Sysctl("net.inet.tcp.pcblist_n", out int length);
                rows.AddRange(PcbListParser.Parse(data, length, SocketProtocol.Tcp));
            }

            if (query.Protocols.Contains(SocketProtocol.Udp))
            {
                byte[] data = Sysctl("net.inet.udp.pcblist_n", out int length);
                rows.AddRange(PcbListParser.Parse(data, length, SocketProtocol.Udp));
            }

            List<SocketTableRow> distinct = SocketRowDeduplicator.Distinct(rows);
            var names = new Dictionary<int, string?>();
            foreach (SocketTableRow row in distinct)
            {
                if (!query.IncludeOwners)
                {
                    row.OwningProcess = null;
                }
                else if (row.OwningProcess is int pid)
                {
                    if (!names.TryGetValue(pid, out string? name))
                    {
                        name = ProcessName(pid);
                        names[pid] = name;
                    }

                    row.ProcessName = name;
                }
            }

            return distinct;
        }

        private static string? ProcessName(int pid)
        {
            var buffer = new byte[256];
            int length = Darwin.proc_name(pid, buffer, (uint)buffer.Length);
            return length > 0 ? Encoding.UTF8.GetString(buffer, 0, length) : null;
        }

        // The table can grow between the size query and the read (ENOMEM): ask again with room to spare.
        private static byte[] Sysctl(string name, out int length)
        {
            for (int attempt = 0; attempt < 8; attempt++)
            {
                var size = UIntPtr.Zero;
                if (Darwin.sysctlbyname(name, null, ref size, IntPtr.Zero, UIntPtr.Zero) != 0)
                {
                    break;
                }

                var data = new byte[(int)size.ToUInt64() + (int)(size.ToUInt64() / 4) + 4096];
                size = (UIntPtr)data.Length;
                if (Darwin.sysctlbyname(name, data, ref size, IntPtr.Zero, UIntPtr.Zero) == 0)
                {
                    length = (int)size.ToUInt64();
                    return data;
                }

                if (Marshal.GetLastWin32Error() != Darwin.ENOMEM)
                {
                    break;
                }
            }

            throw new NetLabException(
                "SocketTableUnavailable",
                NetLabErrorKind.ResourceUnavailable,
                $"The macOS socket table could not be read (sysctl {name}, errno {Marshal.GetLastWin32Error()}).",
                name);
        }
    }
}
