using System;
using System.Collections.Generic;
using PSNetLab.Servers.Handlers;

namespace PSNetLab.Servers.Tcp
{
    /// <summary>
    /// Everything a TCP server and its connections need. The connection-level part
    /// (framing, limits, timeouts, socket options) is what a Process worker needs too.
    /// </summary>
    public sealed class TcpServerOptions : ServerOptions
    {
        public TcpServerOptions(IMessageHandler handler)
            : base(handler)
        {
        }

        public ConcurrencyMode Concurrency { get; set; } = ConcurrencyMode.Thread;

        public TcpFraming Framing { get; set; } = TcpFraming.Line;

        /// <summary>LengthPrefixed: 2 or 4 bytes.</summary>
        public int LengthPrefixSize { get; set; } = 4;

        /// <summary>
        /// listen()'s backlog: how many handshaken connections wait for accept(). The seeds use 5;
        /// small backlogs make the kernel drop handshakes in a connect burst (1-2 s stalls), so the default is large.
        /// </summary>
        public int Backlog { get; set; } = 512;

        public int MaxConnections { get; set; } = 10000;

        /// <summary>Per remote IP address; 0 means only <see cref="MaxConnections"/> applies.</summary>
        public int MaxConnectionsPerClient { get; set; }

        /// <summary>Zero: connections may stay idle (MaxConnections still bounds them).</summary>
        public TimeSpan IdleTimeout { get; set; } = TimeSpan.Zero;

        /// <summary>The longest message (a line without its terminator, a length-prefixed body, one raw receive).</summary>
        public int MaxMessageLength { get; set; } = 64 * 1024;

        /// <summary>Replies and broadcasts a connection may have queued before it is closed as too slow.</summary>
        public int MaxPendingSends { get; set; } = 1024;

        public bool ReuseAddress { get; set; }

        public bool NoDelay { get; set; }

        public TcpKeepAliveSettings? KeepAlive { get; set; }

        /// <summary>Empty: every address may connect (the bind address already limits who can reach the server).</summary>
        public IReadOnlyList<AddressRange> AllowFrom { get; set; } = Array.Empty<AddressRange>();

        /// <summary>Process mode: how many worker processes serve connections at once.</summary>
        public int WorkerCount { get; set; } = 4;

        /// <summary>Process mode: how to start a worker and what it serves with (set by Start-TcpServer).</summary>
        public Workers.WorkerPoolOptions? Workers { get; set; }
    }
}
