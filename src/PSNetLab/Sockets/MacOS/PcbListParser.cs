using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace PSNetLab.Sockets.MacOS
{
    /// <summary>
    /// Decodes the net.inet.{tcp,udp}.pcblist_n sysctl (xnu bsd/netinet/in_pcblist.c): an xinpgen
    /// header, then per socket a run of records (xinpcb_n, xsocket_n, two xsockbuf_n, xsockstat_n,
    /// xtcpcb_n for TCP), each starting with its own length and kind and padded to 8 bytes, then an
    /// xinpgen trailer. Records are walked by their own length, never by a compiled-in size, because
    /// the record sizes changed between releases (Darwin 22 among them); only the leading fields,
    /// whose offsets have stayed put, are read.
    /// </summary>
    internal static class PcbListParser
    {
        private const int XinpgenSize = 24;        // xig_len, xig_count, xig_gen (8), xig_sogen (8)
        private const uint KindSocket = 0x001;
        private const uint KindRcvBuf = 0x002;
        private const uint KindSndBuf = 0x004;
        private const uint KindInpcb = 0x010;
        private const uint KindTcpcb = 0x020;

        // xinpcb_n
        private const int InpForeignPort = 16;
        private const int InpLocalPort = 18;
        private const int InpVersionFlag = 48;     // INP_IPV4 0x1, INP_IPV6 0x2
        private const int InpForeignAddress = 52;  // in6_addr, or in_addr_4in6 with the IPv4 address in its last 4 bytes
        private const int InpLocalAddress = 68;
        private const int InpMinimumLength = 84;

        // xsocket_n
        private const int SoQueueLength = 48;      // completed connections waiting for accept()
        private const int SoQueueLimit = 52;       // the backlog
        private const int SoUid = 68;
        private const int SoLastPid = 72;
        private const int SoMinimumLength = 76;

        private const int SbCount = 8;             // xsockbuf_n.sb_cc: bytes in the buffer
        private const int TcpState = 36;           // xtcpcb_n.t_state, after t_segq (8), t_dupacks, t_timer[4]

        public static List<SocketTableRow> Parse(byte[] data, int length, SocketProtocol protocol)
        {
            var rows = new List<SocketTableRow>();
            if (length < XinpgenSize * 2)
            {
                return rows;
            }

            int first = (int)BitConverter.ToUInt32(data, 0);
            int offset = Round8(Math.Max(first, XinpgenSize));
            int end = length - XinpgenSize;   // the trailing xinpgen
            SocketTableRow? current = null;
            int socketQueue = 0;
            int socketLimit = 0;
            bool listening = false;

            while (offset + 8 <= end)
            {
                int recordLength = (int)BitConverter.ToUInt32(data, offset);
                uint kind = BitConverter.ToUInt32(data, offset + 4);
                if (recordLength < 8 || offset + recordLength > length)
                {
                    break;
                }

                switch (kind)
                {
                    case KindInpcb when recordLength >= InpMinimumLength:
                        Finish(current, listening, socketQueue, socketLimit, rows);
                        current = FromInpcb(data, offset, protocol);
                        listening = false;
                        socketQueue = socketLimit = 0;
                        break;
                    case KindSocket when current != null && recordLength >= SoMinimumLength + 4:
                        socketQueue = BitConverter.ToInt16(data, offset + SoQueueLength);
                        socketLimit = BitConverter.ToInt16(data, offset + SoQueueLimit);
                        current.Uid = (int)BitConverter.ToUInt32(data, offset + SoUid);
                        int pid = BitConverter.ToInt32(data, offset + SoLastPid);
                        current.OwningProcess = pid > 0 ? pid : (int?)null;
                        break;
                    case KindRcvBuf when current != null && recordLength >= SbCount + 4:
                        current.RecvQ = BitConverter.ToUInt32(data, offset + SbCount);
                        break;
                    case KindSndBuf when current != null && recordLength >= SbCount + 4:
                        current.SendQ = BitConverter.ToUInt32(data, offset + SbCount);
                        break;
                    case KindTcpcb when current != null && recordLength >= TcpState + 4:
                        current.State = FromTcpState(BitConverter.ToInt32(data, offset + TcpState));
                        listening = current.State == SocketState.Listen;
                        break;
                }

                offset += Round8(recordLength);
            }

            Finish(current, listening, socketQueue, socketLimit, rows);
            return rows;
        }

        /// <summary>TCPS_* from xnu bsd/netinet/tcp_fsm.h.</summary>
        public static SocketState FromTcpState(int state)
        {
            switch (state)
            {
                case 1: return SocketState.Listen;
                case 2: return SocketState.SynSent;
                case 3: return SocketState.SynReceived;
                case 4: return SocketState.Established;
                case 5: return SocketState.CloseWait;
                case 6: return SocketState.FinWait1;
                case 7: return SocketState.Closing;
                case 8: return SocketState.LastAck;
                case 9: return SocketState.FinWait2;
                case 10: return SocketState.TimeWait;
                default: return SocketState.Closed;
            }
        }

        private static void Finish(SocketTableRow? row, bool listening, int queue, int limit, List<SocketTableRow> rows)
        {
            if (row == null)
            {
                return;
            }

            if (listening)
            {
                // As netstat -L and ss show a listener: accept-queue length and backlog.
                row.RecvQ = queue;
                row.SendQ = limit;
            }

            rows.Add(row);
        }

        private static SocketTableRow FromInpcb(byte[] data, int offset, SocketProtocol protocol)
        {
            bool ipv6 = (data[offset + InpVersionFlag] & 0x2) != 0;
            int remotePort = Port(data, offset + InpForeignPort);
            return new SocketTableRow
            {
                Protocol = protocol,
                AddressFamily = ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork,
                SocketType = protocol == SocketProtocol.Tcp ? SocketType.Stream : SocketType.Dgram,
                LocalAddress = Address(data, offset + InpLocalAddress, ipv6),
                LocalPort = Port(data, offset + InpLocalPort),
                RemoteAddress = Address(data, offset + InpForeignAddress, ipv6),
                RemotePort = remotePort,
                // UDP has no state machine: connected if it has a peer.
                State = protocol == SocketProtocol.Udp && remotePort != 0 ? SocketState.Established
                    : protocol == SocketProtocol.Udp ? SocketState.Bound : SocketState.Closed,
            };
        }

        private static int Port(byte[] data, int offset) => (data[offset] << 8) | data[offset + 1];

        private static string Address(byte[] data, int offset, bool ipv6)
        {
            var bytes = new byte[ipv6 ? 16 : 4];
            Buffer.BlockCopy(data, ipv6 ? offset : offset + 12, bytes, 0, bytes.Length);
            return new IPAddress(bytes).ToString();
        }

        private static int Round8(int length) => (length + 7) & ~7;
    }
}
