using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
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
        private int _sequence;

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
            // The owner scan (readlink of every /proc/*/fd entry) does not need the table: it runs
            // beside the dumps, so the two cores of a small machine both have work from the start.
            Task<ProcessOwnerMap>? owners = query.IncludeOwners
                ? Task.Run(() => ProcessOwnerMap.Scan(query.OwnerProcessIds))
                : null;

            // One dump per protocol and family. Most of their time is the kernel walking its hash
            // tables, so they run side by side, each on its own netlink socket.
            var dumps = new List<Func<Part>>();
            foreach (SocketProtocol protocol in new[] { SocketProtocol.Tcp, SocketProtocol.Udp, SocketProtocol.Unix })
            {
                uint mask = LinuxSocketStates.KernelMask(protocol, query.States);
                if (!query.Protocols.Contains(protocol) || mask == 0)
                {
                    continue;   // not asked for, or no asked-for state exists in this protocol
                }

                if (protocol == SocketProtocol.Unix)
                {
                    dumps.Add(() => ReadUnix(mask));
                    continue;
                }

                dumps.Add(() => ReadInet(InetDiagCodec.AF_INET, protocol, mask));
                dumps.Add(() => ReadInet(InetDiagCodec.AF_INET6, protocol, mask));
            }

            var parts = new Part[dumps.Count];
            try
            {
                Parallel.For(0, dumps.Count, i => parts[i] = dumps[i]());
            }
            catch (AggregateException e) when (e.InnerException is NetLabException inner)
            {
                owners?.ContinueWith(t => t.Exception, TaskScheduler.Default);   // observed: its fault, if any, is not the one to report
                throw inner;
            }

            int count = 0;
            bool anyNetlink = false;
            bool anyProc = false;
            foreach (Part part in parts)
            {
                count += part.Rows.Count;
                anyNetlink |= part.FromNetlink;
                anyProc |= !part.FromNetlink;
            }

            var rows = new List<SocketTableRow>(count);
            foreach (Part part in parts)
            {
                rows.AddRange(part.Rows);
            }

            Name = !anyNetlink ? "/proc/net" : anyProc ? "netlink and /proc/net" : "netlink";

            List<SocketTableRow> distinct = SocketRowDeduplicator.Distinct(rows);
            if (query.Protocols.Contains(SocketProtocol.Unix))
            {
                UnixPeers.Resolve(distinct);
            }

            owners?.GetAwaiter().GetResult().Fill(distinct);

            return distinct;
        }

        private Part ReadInet(int family, SocketProtocol protocol, uint mask)
        {
            var rows = new List<SocketTableRow>();
            if (TryNetlinkInet(family, protocol, mask, rows))
            {
                return new Part(rows, fromNetlink: true);
            }

            ReadProc(ProcFile(protocol, family == InetDiagCodec.AF_INET6), protocol, family == InetDiagCodec.AF_INET6, rows);
            return new Part(rows, fromNetlink: false);
        }

        private Part ReadUnix(uint mask)
        {
            var rows = new List<SocketTableRow>();
            if (TryNetlinkUnix(mask, rows))
            {
                return new Part(rows, fromNetlink: true);
            }

            ReadProc("/proc/net/unix", SocketProtocol.Unix, false, rows);
            return new Part(rows, fromNetlink: false);
        }

        private static string ProcFile(SocketProtocol protocol, bool ipv6) =>
            "/proc/net/" + (protocol == SocketProtocol.Tcp ? "tcp" : "udp") + (ipv6 ? "6" : string.Empty);

        private bool TryNetlinkInet(int family, SocketProtocol protocol, uint mask, List<SocketTableRow> rows)
        {
            using NetlinkSocket? netlink = _useNetlink ? NetlinkSocket.TryOpen(out _) : null;
            if (netlink == null)
            {
                return false;
            }

            int ipProtocol = protocol == SocketProtocol.Tcp ? InetDiagCodec.IPPROTO_TCP : InetDiagCodec.IPPROTO_UDP;
            var codec = new InetDiagCodec();
            int before = rows.Count;
            try
            {
                netlink.Dump(InetDiagCodec.Request(family, ipProtocol, mask, (uint)Interlocked.Increment(ref _sequence)), (buffer, offset, length) =>
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

        private bool TryNetlinkUnix(uint mask, List<SocketTableRow> rows)
        {
            using NetlinkSocket? netlink = _useNetlink ? NetlinkSocket.TryOpen(out _) : null;
            if (netlink == null)
            {
                return false;
            }

            int before = rows.Count;
            try
            {
                netlink.Dump(UnixDiagCodec.Request(mask, (uint)Interlocked.Increment(ref _sequence)), (buffer, offset, length) =>
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

        private static void ReadProc(string path, SocketProtocol protocol, bool ipv6, List<SocketTableRow> rows)
        {
            if (ipv6 && !File.Exists(path))
            {
                return;   // IPv6 disabled: no tcp6/udp6 file and no IPv6 sockets
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
        }

        private readonly struct Part
        {
            public Part(List<SocketTableRow> rows, bool fromNetlink)
            {
                Rows = rows;
                FromNetlink = fromNetlink;
            }

            public List<SocketTableRow> Rows { get; }

            public bool FromNetlink { get; }
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
