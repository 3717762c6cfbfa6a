using System;
using System.Collections.Generic;
using PSNetLab.Sockets;
using PSNetLab.Sockets.MacOS;
using Xunit;

namespace PSNetLab.Tests.Sockets
{
    /// <summary>A pcblist_n buffer built from the xnu record layouts (macOS cannot run here).</summary>
    public class PcbListParserTests
    {
        [Fact]
        public void ReadsAListenerAndAConnectionWalkingRecordsByTheirOwnLength()
        {
            var buffer = new List<byte>();
            buffer.AddRange(Xinpgen());
            AddSocket(buffer, localPort: 8080, remotePort: 0, tcpState: 1, qlen: 2, qlimit: 128, pid: 501, socketRecordLength: 104);
            // A grown xsocket_n (a later release) must not shift the records after it.
            AddSocket(buffer, localPort: 8080, remotePort: 50000, tcpState: 4, qlen: 0, qlimit: 0, pid: 502, socketRecordLength: 120);
            buffer.AddRange(Xinpgen());

            List<SocketTableRow> rows = PcbListParser.Parse(buffer.ToArray(), buffer.Count, SocketProtocol.Tcp);
            Assert.Equal(2, rows.Count);
            Assert.Equal(SocketState.Listen, rows[0].State);
            Assert.Equal("127.0.0.1", rows[0].LocalAddress);
            Assert.Equal(8080, rows[0].LocalPort);
            Assert.Equal(2, rows[0].RecvQ);
            Assert.Equal(128, rows[0].SendQ);
            Assert.Equal(501, rows[0].OwningProcess);
            Assert.Equal(SocketState.Established, rows[1].State);
            Assert.Equal(50000, rows[1].RemotePort);
            Assert.Equal(502, rows[1].OwningProcess);
        }

        [Theory]
        [InlineData(0, SocketState.Closed)]
        [InlineData(1, SocketState.Listen)]
        [InlineData(5, SocketState.CloseWait)]
        [InlineData(6, SocketState.FinWait1)]
        [InlineData(9, SocketState.FinWait2)]
        [InlineData(10, SocketState.TimeWait)]
        public void MapsDarwinTcpStates(int state, SocketState expected) =>
            Assert.Equal(expected, PcbListParser.FromTcpState(state));

        private static byte[] Xinpgen()
        {
            var header = new byte[24];
            BitConverter.GetBytes(24u).CopyTo(header, 0);
            return header;
        }

        private static void AddSocket(List<byte> buffer, int localPort, int remotePort, int tcpState, short qlen, short qlimit, int pid, int socketRecordLength)
        {
            var inpcb = Record(0x10, 88);
            inpcb[16] = (byte)(remotePort >> 8);
            inpcb[17] = (byte)remotePort;
            inpcb[18] = (byte)(localPort >> 8);
            inpcb[19] = (byte)localPort;
            inpcb[48] = 0x1;                                  // INP_IPV4
            new byte[] { 127, 0, 0, 1 }.CopyTo(inpcb, 68 + 12); // in_addr_4in6: the address in the last 4 bytes
            if (remotePort != 0)
            {
                new byte[] { 127, 0, 0, 1 }.CopyTo(inpcb, 52 + 12);
            }

            var socket = Record(0x01, socketRecordLength);
            BitConverter.GetBytes(qlen).CopyTo(socket, 48);
            BitConverter.GetBytes(qlimit).CopyTo(socket, 52);
            BitConverter.GetBytes(501u).CopyTo(socket, 68);
            BitConverter.GetBytes(pid).CopyTo(socket, 72);

            var tcpcb = Record(0x20, 64);
            BitConverter.GetBytes(tcpState).CopyTo(tcpcb, 36);

            foreach (byte[] record in new[] { inpcb, socket, Record(0x02, 32), Record(0x04, 32), tcpcb })
            {
                buffer.AddRange(record);
                buffer.AddRange(new byte[((record.Length + 7) & ~7) - record.Length]);
            }
        }

        private static byte[] Record(uint kind, int length)
        {
            var record = new byte[length];
            BitConverter.GetBytes((uint)length).CopyTo(record, 0);
            BitConverter.GetBytes(kind).CopyTo(record, 4);
            return record;
        }
    }
}
