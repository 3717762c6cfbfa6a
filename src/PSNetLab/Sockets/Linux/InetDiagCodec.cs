using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace PSNetLab.Sockets.Linux
{
    /// <summary>
    /// Builds inet_diag_req_v2 dump requests and decodes inet_diag_msg replies
    /// (include/uapi/linux/inet_diag.h). Ports and addresses are big-endian on the wire,
    /// everything else is in host order.
    /// </summary>
    internal sealed class InetDiagCodec
    {
        public const int AF_INET = 2;
        public const int AF_INET6 = 10;
        public const int IPPROTO_TCP = 6;
        public const int IPPROTO_UDP = 17;

        private const int RequestSize = 56;     // family, protocol, ext, pad, states, inet_diag_sockid (48)
        private const int TcpBothFamiliesRequestSize = 60;   // family, src_len, dst_len, ext, inet_diag_sockid (48), states, dbs
        private const int MessageSize = 72;     // family..retrans (4), sockid (48), expires, rqueue, wqueue, uid, inode

        // Thousands of rows share a handful of addresses (127.0.0.1, ::, 0.0.0.0): format each once.
        private readonly Dictionary<(ulong, ulong), string> _addressText = new Dictionary<(ulong, ulong), string>();

        public static byte[] Request(int family, int protocol, uint states, uint sequence)
        {
            byte[] request = NetlinkMessages.NewDumpRequest(RequestSize, sequence);
            int p = NetlinkMessages.HeaderSize;
            request[p] = (byte)family;
            request[p + 1] = (byte)protocol;
            NetlinkMessages.WriteUInt32(request, p + 4, states);
            return request;
        }

        /// <summary>
        /// A TCPDIAG_GETSOCK dump (the older inet_diag_req, still served by every kernel with
        /// tcp_diag): the kernel answers it for IPv4 and IPv6 together (AF_UNSPEC), so it walks its
        /// TCP hash tables once where two SOCK_DIAG_BY_FAMILY requests walk them twice. The replies
        /// are the same inet_diag_msg, with each socket's own family.
        /// </summary>
        public static byte[] TcpBothFamiliesRequest(uint states, uint sequence)
        {
            byte[] request = NetlinkMessages.NewDumpRequest(TcpBothFamiliesRequestSize, sequence, NetlinkMessages.TCPDIAG_GETSOCK);
            NetlinkMessages.WriteUInt32(request, NetlinkMessages.HeaderSize + 52, states);
            return request;
        }

        /// <summary>Decodes one inet_diag_msg payload; null if it is too short to be one.</summary>
        public SocketTableRow? Decode(byte[] buffer, int offset, int length, SocketProtocol protocol)
        {
            if (length < MessageSize)
            {
                return null;
            }

            int family = buffer[offset];
            int state = buffer[offset + 1];
            int addressLength = family == AF_INET6 ? 16 : 4;
            var row = new SocketTableRow
            {
                Protocol = protocol,
                AddressFamily = family == AF_INET6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork,
                SocketType = protocol == SocketProtocol.Tcp ? SocketType.Stream : SocketType.Dgram,
                LocalPort = (buffer[offset + 4] << 8) | buffer[offset + 5],
                RemotePort = (buffer[offset + 6] << 8) | buffer[offset + 7],
                LocalAddress = AddressText(buffer, offset + 8, addressLength),
                RemoteAddress = AddressText(buffer, offset + 24, addressLength),
                State = protocol == SocketProtocol.Tcp ? LinuxSocketStates.FromTcp(state) : LinuxSocketStates.FromUdp(state),
                RecvQ = BitConverter.ToUInt32(buffer, offset + 56),
                SendQ = BitConverter.ToUInt32(buffer, offset + 60),
                Uid = (int)BitConverter.ToUInt32(buffer, offset + 64),
                Inode = BitConverter.ToUInt32(buffer, offset + 68),
                Timer = Timer(buffer[offset + 2], BitConverter.ToUInt32(buffer, offset + 52)),
            };
            return row;
        }

        // idiag_timer: 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 zero-window probe; idiag_expires in ms.
        internal static SocketTimer? Timer(int kind, uint expiresMs)
        {
            switch (kind)
            {
                case 1: return new SocketTimer(SocketTimerKind.Retransmit, TimeSpan.FromMilliseconds(expiresMs));
                case 2: return new SocketTimer(SocketTimerKind.KeepAlive, TimeSpan.FromMilliseconds(expiresMs));
                case 3: return new SocketTimer(SocketTimerKind.TimeWait, TimeSpan.FromMilliseconds(expiresMs));
                case 4: return new SocketTimer(SocketTimerKind.ZeroWindowProbe, TimeSpan.FromMilliseconds(expiresMs));
                default: return null;
            }
        }

        private string AddressText(byte[] buffer, int offset, int length)
        {
            ulong high = BitConverter.ToUInt64(buffer, offset);
            ulong low = length == 16 ? BitConverter.ToUInt64(buffer, offset + 8) : ulong.MaxValue;
            if (length == 4)
            {
                high &= 0xFFFFFFFF;
            }

            if (!_addressText.TryGetValue((high, low), out string? text))
            {
                var bytes = new byte[length];
                Buffer.BlockCopy(buffer, offset, bytes, 0, length);
                text = new IPAddress(bytes).ToString();
                _addressText[(high, low)] = text;
            }

            return text;
        }
    }
}
