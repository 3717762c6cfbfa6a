using System;
using System.Net;
using PSNetLab.Servers;

namespace PSNetLab.Udp
{
    /// <summary>A datagram that arrived, shown as the seeds' receiver prints it: <c>127.0.0.1:50412# hello</c>.</summary>
    public sealed class UdpDatagram
    {
        public UdpDatagram(IPEndPoint remote, IPEndPoint local, byte[] bytes, string text, string? peer = null)
        {
            Time = DateTime.Now;
            RemoteAddress = remote.Address;
            RemotePort = remote.Port;
            LocalAddress = local.Address;
            LocalPort = local.Port;
            Bytes = bytes;
            Text = text;
            Peer = peer;
        }

        public DateTime Time { get; }

        public IPAddress RemoteAddress { get; }

        public int RemotePort { get; }

        public IPAddress LocalAddress { get; }

        public int LocalPort { get; }

        /// <summary>The sender's name in Connect-UdpChat's name book, when it is there.</summary>
        public string? Peer { get; }

        /// <summary>Decoded with -Encoding; invalid bytes become U+FFFD.</summary>
        public string Text { get; }

        /// <summary>Exactly what arrived.</summary>
        public byte[] Bytes { get; }

        public int Length => Bytes.Length;

        public string Remote => ServerEvent.FormatEndPoint(RemoteAddress, RemotePort);

        // A peer named by its own address (-Peer host:port) would print the address twice.
        public override string ToString() => Peer == null || Peer == Remote ? $"{Remote}# {Text}" : $"{Peer} {Remote}# {Text}";
    }
}
