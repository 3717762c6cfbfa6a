using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.InteropServices;
using PSNetLab.Errors;

namespace PSNetLab.Sockets.Windows
{
    /// <summary>
    /// GetExtendedTcpTable / GetExtendedUdpTable with owner PIDs, IPv4 and IPv6. Windows has no
    /// unix-socket table, no queues, uids or inodes; those properties stay empty.
    /// </summary>
    public sealed class WindowsSocketTableSource : ISocketTableSource
    {
        private delegate uint TableCall(IntPtr table, ref int size, bool sorted, int family, int tableClass, uint reserved);

        public string Name => "iphlpapi";

        public IReadOnlyCollection<SocketProtocol> Protocols { get; } = new[] { SocketProtocol.Tcp, SocketProtocol.Udp };

        public IReadOnlyList<SocketTableRow> Read(SocketTableQuery query)
        {
            var rows = new List<SocketTableRow>();
            if (query.Protocols.Contains(SocketProtocol.Tcp))
            {
                WindowsTableParser.ReadTcp(Table(IpHlpApi.GetExtendedTcpTable, IpHlpApi.AF_INET, IpHlpApi.TCP_TABLE_OWNER_PID_ALL), false, rows);
                WindowsTableParser.ReadTcp(Table(IpHlpApi.GetExtendedTcpTable, IpHlpApi.AF_INET6, IpHlpApi.TCP_TABLE_OWNER_PID_ALL), true, rows);
            }

            if (query.Protocols.Contains(SocketProtocol.Udp))
            {
                WindowsTableParser.ReadUdp(Table(IpHlpApi.GetExtendedUdpTable, IpHlpApi.AF_INET, IpHlpApi.UDP_TABLE_OWNER_PID), false, rows);
                WindowsTableParser.ReadUdp(Table(IpHlpApi.GetExtendedUdpTable, IpHlpApi.AF_INET6, IpHlpApi.UDP_TABLE_OWNER_PID), true, rows);
            }

            List<SocketTableRow> distinct = SocketRowDeduplicator.Distinct(rows);
            if (query.IncludeOwners)
            {
                FillNames(distinct);
            }
            else
            {
                // The owner comes free with the table, but the output should not depend on the OS.
                foreach (SocketTableRow row in distinct)
                {
                    row.OwningProcess = null;
                }
            }

            return distinct;
        }

        private static void FillNames(List<SocketTableRow> rows)
        {
            var names = new Dictionary<int, string?>();
            foreach (SocketTableRow row in rows)
            {
                if (row.OwningProcess is int pid)
                {
                    if (!names.TryGetValue(pid, out string? name))
                    {
                        try
                        {
                            using (Process process = Process.GetProcessById(pid))
                            {
                                name = process.ProcessName;
                            }
                        }
                        catch (ArgumentException)
                        {
                            name = null;   // exited since the table was read
                        }
                        catch (InvalidOperationException)
                        {
                            name = null;
                        }

                        names[pid] = name;
                    }

                    row.ProcessName = name;
                }
            }
        }

        // The table can grow between the size query and the read: retry until it fits.
        private static byte[] Table(TableCall call, int family, int tableClass)
        {
            int size = 0;
            for (int attempt = 0; attempt < 8; attempt++)
            {
                IntPtr buffer = size == 0 ? IntPtr.Zero : Marshal.AllocHGlobal(size);
                try
                {
                    uint result = call(buffer, ref size, false, family, tableClass, 0);
                    if (result == IpHlpApi.NO_ERROR && buffer != IntPtr.Zero)
                    {
                        var bytes = new byte[size];
                        Marshal.Copy(buffer, bytes, 0, size);
                        return bytes;
                    }

                    if (result != IpHlpApi.ERROR_INSUFFICIENT_BUFFER && result != IpHlpApi.NO_ERROR)
                    {
                        throw new NetLabException(
                            "SocketTableUnavailable",
                            NetLabErrorKind.ResourceUnavailable,
                            $"The Windows IP Helper API refused the socket table (error {result}).",
                            result);
                    }

                    size += 4096;
                }
                finally
                {
                    if (buffer != IntPtr.Zero)
                    {
                        Marshal.FreeHGlobal(buffer);
                    }
                }
            }

            throw new NetLabException(
                "SocketTableUnavailable",
                NetLabErrorKind.ResourceUnavailable,
                "The Windows socket table kept growing while it was read; try again.");
        }
    }
}
