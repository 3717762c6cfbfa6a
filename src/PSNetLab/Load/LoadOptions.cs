using System;
using System.Net;
using PSNetLab.Errors;

namespace PSNetLab.Load
{
    /// <summary>What to measure and how hard. Validated once, so workers never check.</summary>
    public sealed class LoadOptions
    {
        /// <summary>A thread per connection: 1024 threads is already far more than a lab needs.</summary>
        public const int MaxConnections = 1024;
        public const int MaxMessageSize = 1024 * 1024;
        public const int MaxPipeline = 64;
        public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);

        public LoadOptions(IPEndPoint target, bool udp)
        {
            Target = target;
            Udp = udp;
        }

        public IPEndPoint Target { get; }

        public bool Udp { get; }

        public int Connections { get; set; } = 16;

        public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(10);

        public int MessageSize { get; set; } = 64;

        public LoadFraming Framing { get; set; } = LoadFraming.Line;

        public bool ShortConnections { get; set; }

        public int Pipeline { get; set; } = 1;

        public byte[] ExpectPrefix { get; set; } = new byte[0];

        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

        public void Validate()
        {
            Check(Connections >= 1 && Connections <= MaxConnections, "Connections", $"-Connections {Connections} is out of range: 1 to {MaxConnections} (a thread each).");
            Check(Duration > TimeSpan.Zero && Duration <= MaxDuration, "Duration", $"-Duration {Duration.TotalSeconds} s is out of range: more than 0 and at most {MaxDuration.TotalHours} hours.");
            Check(Timeout > TimeSpan.Zero, "Timeout", "-Timeout must be more than 0 seconds.");
            Check(Pipeline >= 1 && Pipeline <= MaxPipeline, "Pipeline", $"-Pipeline {Pipeline} is out of range: 1 to {MaxPipeline} requests outstanding per connection.");
            int maxSize = Udp ? PSNetLab.Udp.UdpLimits.MaxPayload(Target.AddressFamily) - ExpectPrefix.Length : MaxMessageSize;
            Check(MessageSize >= 1 && MessageSize <= maxSize, "MessageSize", $"-MessageSize {MessageSize} is out of range: 1 to {maxSize} bytes" + (Udp ? " (one datagram, with the prefix)." : "."));
            Check(!(Framing == LoadFraming.Line && Array.IndexOf(ExpectPrefix, (byte)'\n') >= 0), "ExpectPrefix", "-ExpectPrefix contains a newline, which cannot be told from the end of a line with -Framing Line.");
        }

        private static void Check(bool ok, string parameter, string message)
        {
            if (!ok)
            {
                throw new NetLabException("LoadOptionOutOfRange", NetLabErrorKind.InvalidArgument, message, parameter);
            }
        }
    }
}
