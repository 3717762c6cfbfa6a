using System;
using System.Net;
using PSNetLab.Servers;

namespace PSNetLab.Udp
{
    /// <summary>One message sent by Send-UdpMessage and the reply to it, with both ends' addresses.</summary>
    public sealed class UdpExchange
    {
        public UdpExchange(string? sent, byte[] sentBytes, IPEndPoint remote, IPEndPoint local, string? reply, byte[]? replyBytes, TimeSpan? roundTripTime)
        {
            Sent = sent;
            SentBytes = sentBytes;
            RemoteAddress = remote.Address;
            RemotePort = remote.Port;
            LocalAddress = local.Address;
            LocalPort = local.Port;
            Reply = reply;
            ReplyBytes = replyBytes;
            RoundTripTime = roundTripTime;
        }

        public string? Sent { get; }

        public byte[] SentBytes { get; }

        public string? Reply { get; }

        /// <summary>The reply exactly as it arrived (the text replaces bytes the encoding cannot read).</summary>
        public byte[]? ReplyBytes { get; }

        public IPAddress RemoteAddress { get; }

        public int RemotePort { get; }

        /// <summary>The address the OS chose for this client: a UDP client need not bind.</summary>
        public IPAddress LocalAddress { get; }

        /// <summary>The ephemeral port the OS picked on the first send.</summary>
        public int LocalPort { get; }

        public TimeSpan? RoundTripTime { get; }

        public string Remote => ServerEvent.FormatEndPoint(RemoteAddress, RemotePort);

        public string Local => ServerEvent.FormatEndPoint(LocalAddress, LocalPort);

        public override string ToString() => ReplyBytes == null ? $"sent {SentBytes.Length} bytes to {Remote}" : $"{Remote}# {Reply}";
    }
}
