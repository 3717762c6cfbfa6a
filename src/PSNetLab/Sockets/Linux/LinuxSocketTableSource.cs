using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using PSNetLab.Errors;

namespace PSNetLab.Sockets.Linux
{
    /// <summary>
    /// netlink sock_diag first (what ss uses: dumps filtered by state in the kernel); /proc/net/*
    /// for any dump the kernel refuses (seccomp, gVisor, a missing diag module).
    /// </summary>
    public sealed class LinuxSocketTableSource : ISocketTableSource
    {
        private readonly bool _useNetlink;
        private int _sequence;
        private volatile bool _tcpBothFamiliesRefused;

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

            List<Func<Part>> dumps = PlanDumps(query);
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
            SocketRowDeduplicator.RemoveRepeats(rows);
            if (query.Protocols.Contains(SocketProtocol.Unix))
            {
                UnixPeers.Resolve(rows);
            }

            owners?.GetAwaiter().GetResult().Fill(rows);
            return rows;
        }

        /// <summary>
        /// Most of a dump's time is the kernel walking its hash tables, so the dumps are split
        /// along those tables and run side by side, each on its own netlink socket.
        /// </summary>
        private List<Func<Part>> PlanDumps(SocketTableQuery query)
        {
            var dumps = new List<Func<Part>>();
            foreach (SocketProtocol protocol in new[] { SocketProtocol.Tcp, SocketProtocol.Udp, SocketProtocol.Unix })
            {
                uint mask = LinuxSocketStates.KernelMask(protocol, query.States);
                if (!query.Protocols.Contains(protocol) || mask == 0)
                {
                    continue;   // not asked for, or no asked-for state exists in this protocol
                }

                switch (protocol)
                {
                    case SocketProtocol.Tcp:
                        // Listeners have a hash table of their own, which a Listen-only dump walks
                        // alone and a dump of the other states skips: two halves for two cores.
                        uint listen = mask & LinuxSocketStates.ListenBit;
                        uint others = mask & ~LinuxSocketStates.ListenBit;
                        if (listen != 0)
                        {
                            dumps.Add(() => ReadTcp(listen));
                        }

                        if (others != 0)
                        {
                            dumps.Add(() => ReadTcp(others));
                        }

                        break;
                    case SocketProtocol.Udp:
                        dumps.Add(() => ReadInet(InetDiagCodec.AF_INET, SocketProtocol.Udp, mask));
                        dumps.Add(() => ReadInet(InetDiagCodec.AF_INET6, SocketProtocol.Udp, mask));
                        break;
                    default:
                        dumps.Add(() => ReadUnix(mask));
                        break;
                }
            }

            return dumps;
        }

        /// <summary>Both families in one dump where the kernel allows it, else one dump per family.</summary>
        private Part ReadTcp(uint mask)
        {
            if (!_tcpBothFamiliesRefused)
            {
                var rows = new List<SocketTableRow>();
                var codec = new InetDiagCodec();
                if (TryNetlink(InetDiagCodec.TcpBothFamiliesRequest(mask, NextSequence()), (b, o, l) => codec.Decode(b, o, l, SocketProtocol.Tcp), rows))
                {
                    return new Part(rows, fromNetlink: true);
                }

                _tcpBothFamiliesRefused = true;
            }

            Part v4 = ReadInet(InetDiagCodec.AF_INET, SocketProtocol.Tcp, mask);
            Part v6 = ReadInet(InetDiagCodec.AF_INET6, SocketProtocol.Tcp, mask);
            v4.Rows.AddRange(v6.Rows);
            return new Part(v4.Rows, v4.FromNetlink && v6.FromNetlink);
        }

        private Part ReadInet(int family, SocketProtocol protocol, uint mask)
        {
            var rows = new List<SocketTableRow>();
            int ipProtocol = protocol == SocketProtocol.Tcp ? InetDiagCodec.IPPROTO_TCP : InetDiagCodec.IPPROTO_UDP;
            var codec = new InetDiagCodec();
            if (TryNetlink(InetDiagCodec.Request(family, ipProtocol, mask, NextSequence()), (b, o, l) => codec.Decode(b, o, l, protocol), rows))
            {
                return new Part(rows, fromNetlink: true);
            }

            ReadProc(ProcFile(protocol, family == InetDiagCodec.AF_INET6), protocol, family == InetDiagCodec.AF_INET6, mask, rows);
            return new Part(rows, fromNetlink: false);
        }

        private Part ReadUnix(uint mask)
        {
            var rows = new List<SocketTableRow>();
            if (TryNetlink(UnixDiagCodec.Request(mask, NextSequence()), UnixDiagCodec.Decode, rows))
            {
                return new Part(rows, fromNetlink: true);
            }

            ReadProc("/proc/net/unix", SocketProtocol.Unix, false, mask, rows);
            return new Part(rows, fromNetlink: false);
        }

        private static string ProcFile(SocketProtocol protocol, bool ipv6) =>
            "/proc/net/" + (protocol == SocketProtocol.Tcp ? "tcp" : "udp") + (ipv6 ? "6" : string.Empty);

        private uint NextSequence() => (uint)Interlocked.Increment(ref _sequence);

        private bool TryNetlink(byte[] request, Func<byte[], int, int, SocketTableRow?> decode, List<SocketTableRow> rows)
        {
            using NetlinkSocket? netlink = _useNetlink ? NetlinkSocket.TryOpen(out _) : null;
            if (netlink == null)
            {
                return false;
            }

            int before = rows.Count;
            try
            {
                netlink.Dump(request, (buffer, offset, length) =>
                {
                    SocketTableRow? row = decode(buffer, offset, length);
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

        /// <summary>Only rows in <paramref name="mask"/>'s states, as the kernel would have filtered them.</summary>
        private static void ReadProc(string path, SocketProtocol protocol, bool ipv6, uint mask, List<SocketTableRow> rows)
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
                        if (row != null && (LinuxSocketStates.KernelMask(protocol, row.State) & mask) != 0)
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
