using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using PSNetLab.Errors;
using PSNetLab.Ports;
using PSNetLab.Sockets;

namespace PSNetLab.Commands
{
    /// <summary>netstat -tunap / ss -tuanp as objects: the sockets of this machine, on Linux, Windows and macOS.</summary>
    [Cmdlet(VerbsCommon.Get, "SocketTable", DefaultParameterSetName = TableSet)]
    [OutputType(typeof(SocketTableRow), ParameterSetName = new[] { TableSet })]
    [OutputType(typeof(SocketTableChange), ParameterSetName = new[] { WatchSet })]
    public sealed class GetSocketTableCommand : NetLabCmdlet
    {
        private const string TableSet = "Table";
        private const string WatchSet = "Watch";

        private static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(10);

        private readonly HashSet<int> _watchedPorts = new HashSet<int>();
        private ISocketTableSource _source = null!;

        [Parameter(Position = 0)]
        public SocketProtocol[] Protocol { get; set; } = { SocketProtocol.Tcp, SocketProtocol.Udp };

        [Parameter]
        public SocketState[]? State { get; set; }

        /// <summary>Only sockets waiting for peers: TCP and unix listeners, unconnected UDP and unix datagram sockets (netstat -l).</summary>
        [Parameter]
        public SwitchParameter Listening { get; set; }

        /// <summary>Also bound by property name, so objects with a LocalPort or Port (servers, rows) can be piped in.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Port")]
        public int[]? LocalPort { get; set; }

        [Parameter]
        public int[]? RemotePort { get; set; }

        [Parameter]
        public string[]? LocalAddress { get; set; }

        [Parameter]
        public string[]? RemoteAddress { get; set; }

        [Parameter]
        [Alias("OwningProcess")]
        public int[]? ProcessId { get; set; }

        [Parameter]
        [SupportsWildcards]
        public string[]? ProcessName { get; set; }

        /// <summary>Fill OwningProcess and ProcessName (netstat -p). Implied by -ProcessId and -ProcessName.</summary>
        [Parameter]
        public SwitchParameter IncludeProcess { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = WatchSet)]
        public SwitchParameter Watch { get; set; }

        /// <summary>Stop watching after this long: seconds, or a TimeSpan. Without it, -Watch runs until Ctrl+C.</summary>
        [Parameter(ParameterSetName = WatchSet)]
        [DurationTransformation]
        public TimeSpan? Duration { get; set; }

        /// <summary>How often -Watch looks at the table: seconds, or a TimeSpan.</summary>
        [Parameter(ParameterSetName = WatchSet)]
        [DurationTransformation]
        public TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(500);

        protected override void BeginProcessing()
        {
            // Ports given on the command line stop the cmdlet; a bad port on one piped object only skips it.
            OrStop(() =>
            {
                ValidatePorts(LocalPort, nameof(LocalPort));
                ValidatePorts(RemotePort, nameof(RemotePort));
                if (Watch && Interval < MinimumInterval)
                {
                    throw new NetLabException(
                        "SocketTableIntervalTooShort",
                        NetLabErrorKind.InvalidArgument,
                        $"-Interval {Interval.TotalSeconds}s is too short: look at the table at most every {MinimumInterval.TotalMilliseconds} ms.",
                        Interval);
                }

                _source = SocketTableSources.ForCurrentOS();
            });

            foreach (SocketProtocol missing in Protocol.Distinct().Where(p => !_source.Protocols.Contains(p)))
            {
                WriteWarning($"This OS's socket table has no {missing} sockets for Get-SocketTable to read; none are shown.");
            }
        }

        protected override void ProcessRecord()
        {
            if (Watch)
            {
                // Watch once for everything piped in, after the pipeline input has been collected.
                if (LocalPort != null)
                {
                    ForEachItem(() =>
                    {
                        ValidatePorts(LocalPort, nameof(LocalPort));
                        _watchedPorts.UnionWith(LocalPort);
                    });
                }

                return;
            }

            ForEachItem(() =>
            {
                ValidatePorts(LocalPort, nameof(LocalPort));
                ReadTable(LocalPort, WriteObject);
            });
        }

        protected override void EndProcessing()
        {
            if (Watch)
            {
                OrStop(WatchTable);
            }
        }

        private void WatchTable()
        {
            var watcher = new SocketTableWatcher();
            Stopwatch clock = Stopwatch.StartNew();
            int[]? ports = _watchedPorts.Count > 0 ? _watchedPorts.ToArray() : null;
            while (!StopToken.IsCancellationRequested)
            {
                var rows = new List<SocketTableRow>();
                ReadTable(ports, rows.Add);
                foreach (SocketTableChange change in watcher.Next(rows, DateTime.Now))
                {
                    WriteObject(change);
                }

                TimeSpan wait = Interval;
                if (Duration is TimeSpan duration)
                {
                    TimeSpan left = duration - clock.Elapsed;
                    if (left <= TimeSpan.Zero)
                    {
                        return;
                    }

                    wait = left < wait ? left : wait;
                }

                // Ctrl+C cancels StopToken and ends the wait at once.
                if (StopToken.WaitHandle.WaitOne(wait))
                {
                    return;
                }
            }
        }

        /// <summary>Hands each matching row to <paramref name="onMatch"/>: the table streams out without a second list of every row.</summary>
        private void ReadTable(int[]? localPorts, Action<SocketTableRow> onMatch)
        {
            HashSet<SocketState>? states = WantedStates();
            if (states == null)
            {
                return;
            }

            var query = new SocketTableQuery
            {
                Protocols = new HashSet<SocketProtocol>(Protocol),
                States = states,
                IncludeOwners = IncludeProcess || ProcessId != null || ProcessName != null,
                OwnerProcessIds = ProcessId != null ? new HashSet<int>(ProcessId) : null,
            };
            var filter = new SocketTableFilter
            {
                Protocols = query.Protocols,
                States = states,
                LocalPorts = localPorts != null ? new HashSet<int>(localPorts) : null,
                RemotePorts = RemotePort != null ? new HashSet<int>(RemotePort) : null,
                ProcessIds = query.OwnerProcessIds,
                ProcessNameMatches = NameMatcher(),
            };
            filter.SetLocalAddresses(LocalAddress);
            filter.SetRemoteAddresses(RemoteAddress);

            Stopwatch clock = Stopwatch.StartNew();
            IReadOnlyList<SocketTableRow> rows = _source.Read(query);
            WriteVerbose($"Read {rows.Count} sockets from {_source.Name} in {clock.Elapsed.TotalMilliseconds:0.0} ms.");
            foreach (SocketTableRow row in rows)
            {
                if (filter.Matches(row))
                {
                    onMatch(row);
                }
            }
        }

        /// <summary>The states to ask for (empty: all), or null when -Listening and -State leave none.</summary>
        private HashSet<SocketState>? WantedStates()
        {
            var states = new HashSet<SocketState>(State ?? Array.Empty<SocketState>());
            if (!Listening)
            {
                return states;
            }

            var listening = new[] { SocketState.Listen, SocketState.Bound };
            if (State == null)
            {
                states.UnionWith(listening);
                return states;
            }

            states.IntersectWith(listening);
            return states.Count == 0 ? null : states;
        }

        private Func<string, bool>? NameMatcher()
        {
            if (ProcessName == null)
            {
                return null;
            }

            WildcardPattern[] patterns = ProcessName.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
            return name => patterns.Any(p => p.IsMatch(name));
        }

        private static void ValidatePorts(int[]? ports, string parameterName)
        {
            if (ports == null)
            {
                return;
            }

            foreach (int port in ports)
            {
                PortNumber.Validate(port, parameterName);
            }
        }
    }
}
