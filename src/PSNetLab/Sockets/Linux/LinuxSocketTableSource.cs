using System.Collections.Generic;
using System.IO;
using PSNetLab.Errors;

namespace PSNetLab.Sockets.Linux
{
    /// <summary>
    /// netlink sock_diag first (what ss uses: one dump per protocol and family, filtered by state in
    /// the kernel); /proc/net/* for any dump the kernel refuses (seccomp, gVisor, a missing diag module).
    /// </summary>
    public sealed class LinuxSocketTableSource : ISocketTableSource
    {
        private readonly bool _useNetlink;
        private uint _sequence;

        public LinuxSocketTableSource()
            : this(useNetlink: true)
        {
        }

        /// <param name="useNetlink">False reads /proc/net only (for tests that compare the two).</param>
        public LinuxSocketTableSource(bool useNetlink) => _useNetlink = useNetlink;

        public string Name { get; private set; } = "netlink";

        public IReadOnlyCollection<SocketProtocol> Protocols { get; } = new[] { SocketProtocol.Tcp, SocketProtocol.Udp, SocketProtocol.Unix };

        public IReadOnlyList<SocketTableRow> Read(SocketTableQuery query)
        {
            var rows = new List<SocketTableRow>();
            bool usedProc = false;
            NetlinkSocket? netlink = _useNetlink ? NetlinkSocket.TryOpen(out _) : null;
            try
            {
                foreach (SocketProtocol protocol in new[] { SocketProtocol.Tcp, SocketProtocol.Udp, SocketProtocol.Unix })
                {
                    if (!query.Protocols.Contains(protocol))
                    {
                        continue;
                    }

                    uint mask = LinuxSocketStates.KernelMask(protocol, query.States);
                    if (mask == 0)
                    {
                        continue;   // no state asked for exists in this protocol
                    }

                    if (protocol == SocketProtocol.Unix)
                    {
                        usedProc |= !TryNetlinkUnix(netlink, mask, rows) && ReadProc("/proc/net/unix", protocol, false, rows);
                        continue;
                    }

                    usedProc |= !TryNetlinkInet(netlink, InetDiagCodec.AF_INET, protocol, mask, rows) && ReadProc(ProcFile(protocol, false), protocol, false, rows);
                    usedProc |= !TryNetlinkInet(netlink, InetDiagCodec.AF_INET6, protocol, mask, rows) && ReadProc(ProcFile(protocol, true), protocol, true, rows);
                }
            }
            finally
            {
                netlink?.Dispose();
            }

            Name = netlink == null ? "/proc/net" : usedProc ? "netlink and /proc/net" : "netlink";
            List<SocketTableRow> distinct = SocketRowDeduplicator.Distinct(rows);
            if (query.Protocols.Contains(SocketProtocol.Unix))
            {
                UnixPeers.Resolve(distinct);
            }

            if (query.IncludeOwners)
            {
                ProcessOwnerMap.Fill(distinct, query.OwnerProcessIds);
            }

            return distinct;
        }

        private static string ProcFile(SocketProtocol protocol, bool ipv6) =>
            "/proc/net/" + (protocol == SocketProtocol.Tcp ? "tcp" : "udp") + (ipv6 ? "6" : string.Empty);

        private bool TryNetlinkInet(NetlinkSocket? netlink, int family, SocketProtocol protocol, uint mask, List<SocketTableRow> rows)
        {
            if (netlink == null)
            {
                return false;
            }

            int ipProtocol = protocol == SocketProtocol.Tcp ? InetDiagCodec.IPPROTO_TCP : InetDiagCodec.IPPROTO_UDP;
            var codec = new InetDiagCodec();
            int before = rows.Count;
            try
            {
                netlink.Dump(InetDiagCodec.Request(family, ipProtocol, mask, ++_sequence), (buffer, offset, length) =>
                {
                    SocketTableRow? row = codec.Decode(buffer, offset, length, protocol);
                    if (row != null)
                    {
                        rows.Add(row);
                    }
                });
                return true;
            }
            catch (NetLabException e) when (e.ErrorId == "SocketTableNetlinkRefused")
            {
                rows.RemoveRange(before, rows.Count - before);
                return false;
            }
        }

        private bool TryNetlinkUnix(NetlinkSocket? netlink, uint mask, List<SocketTableRow> rows)
        {
            if (netlink == null)
            {
                return false;
            }

            int before = rows.Count;
            try
            {
                netlink.Dump(UnixDiagCodec.Request(mask, ++_sequence), (buffer, offset, length) =>
                {
                    SocketTableRow? row = UnixDiagCodec.Decode(buffer, offset, length);
                    if (row != null)
                    {
                        rows.Add(row);
                    }
                });
                return true;
            }
            catch (NetLabException e) when (e.ErrorId == "SocketTableNetlinkRefused")
            {
                rows.RemoveRange(before, rows.Count - before);
                return false;
            }
        }

        // Returns true (the fallback was used) so the caller can name the source.
        private static bool ReadProc(string path, SocketProtocol protocol, bool ipv6, List<SocketTableRow> rows)
        {
            if (ipv6 && !File.Exists(path))
            {
                return true;   // IPv6 disabled: no tcp6/udp6 file and no IPv6 sockets
            }

            try
            {
                using (var reader = new StreamReader(path))
                {
                    string? line;
                    while ((line = reader.ReadLine()) != null)
                    {
                        SocketTableRow? row = protocol == SocketProtocol.Unix
                            ? ProcNetParser.ParseUnix(line)
                            : ProcNetParser.ParseInet(line, protocol, ipv6);
                        if (row != null)
                        {
                            rows.Add(row);
                        }
                    }
                }
            }
            catch (IOException e)
            {
                throw Unavailable(path, e);
            }
            catch (System.UnauthorizedAccessException e)
            {
                throw Unavailable(path, e);
            }

            return true;
        }

        private static NetLabException Unavailable(string path, System.Exception e) =>
            new NetLabException(
                "SocketTableUnavailable",
                NetLabErrorKind.ResourceUnavailable,
                $"The kernel refused netlink sock_diag and {path} could not be read ({e.Message}). Is /proc mounted?",
                path,
                e);
    }
}
