using System;
using System.Globalization;
using System.Net;

namespace PSNetLab.Load
{
    /// <summary>What a load run measured: throughput, latency percentiles and errors by kind.</summary>
    public sealed class LoadResult
    {
        public string Protocol { get; internal set; } = "Tcp";

        public IPAddress RemoteAddress { get; internal set; } = IPAddress.Loopback;

        public int RemotePort { get; internal set; }

        public int Connections { get; internal set; }

        public int MessageSize { get; internal set; }

        /// <summary>Line or Raw for TCP; empty for UDP, where a datagram is its own frame.</summary>
        public string Framing { get; internal set; } = string.Empty;

        public bool ShortConnections { get; internal set; }

        public int Pipeline { get; internal set; }

        /// <summary>How long the load actually ran.</summary>
        public TimeSpan Duration { get; internal set; }

        /// <summary>Requests whose echo came back complete and byte for byte right.</summary>
        public long Requests { get; internal set; }

        public double RequestsPerSecond { get; internal set; }

        /// <summary>Payload echoed per second, one direction, in 10^6 bytes (as echoload's mbps).</summary>
        public double MegabytesPerSecond { get; internal set; }

        /// <summary>Half the requests took at most this long, from send to the verified echo (with the connect, for short connections).</summary>
        public double LatencyP50Ms { get; internal set; }

        public double LatencyP90Ms { get; internal set; }

        public double LatencyP99Ms { get; internal set; }

        public double LatencyMaxMs { get; internal set; }

        public long Refused { get; internal set; }

        public long Reset { get; internal set; }

        public long TimedOut { get; internal set; }

        public long WrongBytes { get; internal set; }

        public long Closed { get; internal set; }

        public long Errors => Refused + Reset + TimedOut + WrongBytes + Closed;

        /// <summary>Connections made (TCP), or sockets connected (UDP), over the whole run.</summary>
        public long ConnectionsMade { get; internal set; }

        public string Target => RemoteAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{RemoteAddress}]:{RemotePort}"
            : $"{RemoteAddress}:{RemotePort}";

        public override string ToString() => string.Format(
            CultureInfo.InvariantCulture,
            "{0} {1}: {2} x {3} B{4}: {5:N0} req/s, {6:N2} MB/s, p99 {7:N3} ms, {8} errors",
            Protocol.ToUpperInvariant(),
            Target,
            Connections,
            MessageSize,
            ShortConnections ? " short connections" : Pipeline > 1 ? $" pipeline {Pipeline}" : string.Empty,
            RequestsPerSecond,
            MegabytesPerSecond,
            LatencyP99Ms,
            Errors);
    }
}
