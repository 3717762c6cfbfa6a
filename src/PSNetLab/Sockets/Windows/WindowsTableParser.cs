using System;
using System.Net;
using System.Net.Sockets;
using System.Collections.Generic;

namespace PSNetLab.Sockets.Windows
{
    /// <summary>
    /// Decodes the MIB_*ROW_OWNER_PID tables (iprtrmib.h / tcpmib.h / udpmib.h) from the bytes the
    /// API filled, so the layouts are tested on any OS. A table is a DWORD row count, then rows.
    /// Ports sit in the low two bytes of a DWORD in network order; addresses are network order too.
    /// </summary>
    internal static class WindowsTableParser
    {
        private const int Tcp4RowSize = 24;  // state, local addr, local port, remote addr, remote port, pid
        private const int Tcp6RowSize = 56;  // local addr[16], scope, port, remote addr[16], scope, port, state, pid
        private const int Udp4RowSize = 12;  // local addr, local port, pid
        private const int Udp6RowSize = 28;  // local addr[16], scope, port, pid

        public static void ReadTcp(byte[] table, bool ipv6, List<SocketTableRow> rows)
        {
            int count = (int)BitConverter.ToUInt32(table, 0);
            int rowSize = ipv6 ? Tcp6RowSize : Tcp4RowSize;
            for (int i = 0; i < count && 4 + ((i + 1) * rowSize) <= table.Length; i++)
            {
                int p = 4 + (i * rowSize);
                SocketTableRow row = ipv6
                    ? Row(SocketProtocol.Tcp, table, p, 16, p + 20, p + 24, p + 44, BitConverter.ToUInt32(table, p + 48), p + 52)
                    : Row(SocketProtocol.Tcp, table, p + 4, 4, p + 8, p + 12, p + 16, BitConverter.ToUInt32(table, p), p + 20);
                rows.Add(row);
            }
        }

        public static void ReadUdp(byte[] table, bool ipv6, List<SocketTableRow> rows)
        {
            int count = (int)BitConverter.ToUInt32(table, 0);
            int rowSize = ipv6 ? Udp6RowSize : Udp4RowSize;
            for (int i = 0; i < count && 4 + ((i + 1) * rowSize) <= table.Length; i++)
            {
                int p = 4 + (i * rowSize);
                SocketTableRow row = ipv6
                    ? Row(SocketProtocol.Udp, table, p, 16, p + 20, -1, -1, 0, p + 24)
                    : Row(SocketProtocol.Udp, table, p, 4, p + 4, -1, -1, 0, p + 8);
                rows.Add(row);
            }
        }

        /// <summary>MIB_TCP_STATE: 1 CLOSED ... 12 DELETE_TCB.</summary>
        public static SocketState FromMibState(uint state)
        {
            switch (state)
            {
                case 2: return SocketState.Listen;
                case 3: return SocketState.SynSent;
                case 4: return SocketState.SynReceived;
                case 5: return SocketState.Established;
                case 6: return SocketState.FinWait1;
                case 7: return SocketState.FinWait2;
                case 8: return SocketState.CloseWait;
                case 9: return SocketState.Closing;
                case 10: return SocketState.LastAck;
                case 11: return SocketState.TimeWait;
                default: return SocketState.Closed;   // 1 CLOSED, 12 DELETE_TCB
            }
        }

        private static SocketTableRow Row(SocketProtocol protocol, byte[] t, int local, int addressLength, int localPort, int remote, int remotePort, uint state, int pid)
        {
            uint owner = BitConverter.ToUInt32(t, pid);
            bool ipv6 = addressLength == 16;
            return new SocketTableRow
            {
                Protocol = protocol,
                AddressFamily = ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork,
                SocketType = protocol == SocketProtocol.Tcp ? SocketType.Stream : SocketType.Dgram,
                LocalAddress = Address(t, local, addressLength),
                LocalPort = Port(t, localPort),
                RemoteAddress = remote < 0 ? (ipv6 ? "::" : "0.0.0.0") : Address(t, remote, addressLength),
                RemotePort = remotePort < 0 ? 0 : Port(t, remotePort),
                State = protocol == SocketProtocol.Tcp ? FromMibState(state) : SocketState.Bound,
                // PID 0 is the System Idle Process: Windows reports it for TIME_WAIT rows, which have no owner.
                OwningProcess = owner == 0 ? (int?)null : (int)owner,
            };
        }

        private static int Port(byte[] t, int offset) => (t[offset] << 8) | t[offset + 1];

        private static string Address(byte[] t, int offset, int length)
        {
            var bytes = new byte[length];
            Buffer.BlockCopy(t, offset, bytes, 0, length);
            return new IPAddress(bytes).ToString();
        }
    }
}
