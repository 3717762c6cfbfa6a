using System;
using System.Globalization;
using System.Net;
using PSNetLab.Servers;

namespace PSNetLab.Tcp
{
    /// <summary>One line Connect-TcpChat sent and the line that came back, with both ends of the connection.</summary>
    public sealed class TcpChatReply
    {
        public TcpChatReply(string sent, string reply, TimeSpan roundTripTime, IPEndPoint local, IPEndPoint remote)
        {
            Sent = sent;
            Reply = reply;
            RoundTripTime = roundTripTime;
            LocalAddress = local.Address;
            LocalPort = local.Port;
            RemoteAddress = remote.Address;
            RemotePort = remote.Port;
        }

        public string Sent { get; }

        public string Reply { get; }

        public TimeSpan RoundTripTime { get; }

        public IPAddress LocalAddress { get; }

        public int LocalPort { get; }

        public IPAddress RemoteAddress { get; }

        public int RemotePort { get; }

        public string Remote => ServerEvent.FormatEndPoint(RemoteAddress, RemotePort);

        public string Local => ServerEvent.FormatEndPoint(LocalAddress, LocalPort);

        public override string ToString() =>
            $"{Sent} -> {Reply} ({RoundTripTime.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)} ms)";
    }
}
