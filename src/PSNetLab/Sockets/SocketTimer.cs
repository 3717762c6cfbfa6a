using System;
using System.Globalization;

namespace PSNetLab.Sockets
{
    /// <summary>A running TCP timer and the time left on it, e.g. how long a TimeWait row will stay.</summary>
    public sealed class SocketTimer
    {
        public SocketTimer(SocketTimerKind kind, TimeSpan remaining)
        {
            Kind = kind;
            Remaining = remaining;
        }

        public SocketTimerKind Kind { get; }

        public TimeSpan Remaining { get; }

        // Reads like ss -o: "timewait,59.2s".
        public override string ToString() =>
            Kind.ToString().ToLowerInvariant() + "," + Remaining.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";
    }
}
