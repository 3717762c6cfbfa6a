using System.Net.Sockets;

namespace PSNetLab.Udp
{
    /// <summary>
    /// The largest UDP payload: 65,535 (the IP length field) minus the 8-byte UDP header, minus the
    /// 20-byte IPv4 header; IPv6's 40-byte header is not counted in its payload length.
    /// </summary>
    public static class UdpLimits
    {
        public const int MaxIPv4Payload = 65507;
        public const int MaxIPv6Payload = 65527;

        public static int MaxPayload(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? MaxIPv6Payload : MaxIPv4Payload;
    }
}
