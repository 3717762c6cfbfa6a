using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using PSNetLab.Sockets;
using PSNetLab.Sockets.Windows;
using Xunit;

namespace PSNetLab.Tests.Sockets
{
    /// <summary>Tables laid out as the MIB_*ROW_OWNER_PID documentation describes them (Windows cannot run here).</summary>
    public class WindowsTableParserTests
    {
        [Fact]
        public void ReadsIPv4TcpRowsWithOwners()
        {
            var table = new List<byte>();
            table.AddRange(BitConverter.GetBytes(2u));
            table.AddRange(Tcp4Row(state: 2, "0.0.0.0", 445, "0.0.0.0", 0, pid: 4));
            table.AddRange(Tcp4Row(state: 11, "127.0.0.1", 8080, "127.0.0.1", 51000, pid: 0));
            var rows = new List<SocketTableRow>();
            WindowsTableParser.ReadTcp(table.ToArray(), ipv6: false, rows);

            Assert.Equal(2, rows.Count);
            Assert.Equal(SocketState.Listen, rows[0].State);
            Assert.Equal(445, rows[0].LocalPort);
            Assert.Equal(4, rows[0].OwningProcess);
            Assert.Equal(SocketState.TimeWait, rows[1].State);
            Assert.Equal("127.0.0.1", rows[1].RemoteAddress);
            Assert.Equal(51000, rows[1].RemotePort);
            Assert.Null(rows[1].OwningProcess);   // pid 0 in TIME_WAIT means no owner
        }

        [Fact]
        public void ReadsIPv6TcpAndUdpRows()
        {
            var tcp = new List<byte>();
            tcp.AddRange(BitConverter.GetBytes(1u));
            tcp.AddRange(IPAddress.IPv6Loopback.GetAddressBytes());
            tcp.AddRange(BitConverter.GetBytes(0u));          // scope
            tcp.AddRange(PortDword(9000));
            tcp.AddRange(IPAddress.IPv6Loopback.GetAddressBytes());
            tcp.AddRange(BitConverter.GetBytes(0u));
            tcp.AddRange(PortDword(60000));
            tcp.AddRange(BitConverter.GetBytes(5u));          // ESTAB
            tcp.AddRange(BitConverter.GetBytes(1234u));
            var rows = new List<SocketTableRow>();
            WindowsTableParser.ReadTcp(tcp.ToArray(), ipv6: true, rows);
            SocketTableRow row = Assert.Single(rows);
            Assert.Equal("::1", row.LocalAddress);
            Assert.Equal(9000, row.LocalPort);
            Assert.Equal(60000, row.RemotePort);
            Assert.Equal(SocketState.Established, row.State);
            Assert.Equal(1234, row.OwningProcess);

            var udp = new List<byte>();
            udp.AddRange(BitConverter.GetBytes(1u));
            udp.AddRange(IPAddress.Parse("127.0.0.1").GetAddressBytes());
            udp.AddRange(PortDword(53));
            udp.AddRange(BitConverter.GetBytes(77u));
            rows.Clear();
            WindowsTableParser.ReadUdp(udp.ToArray(), ipv6: false, rows);
            Assert.Equal(SocketState.Bound, Assert.Single(rows).State);
            Assert.Equal(53, rows[0].LocalPort);
            Assert.Equal(77, rows[0].OwningProcess);
        }

        private static IEnumerable<byte> Tcp4Row(uint state, string local, int localPort, string remote, int remotePort, uint pid) =>
            BitConverter.GetBytes(state)
                .Concat(IPAddress.Parse(local).GetAddressBytes()).Concat(PortDword(localPort))
                .Concat(IPAddress.Parse(remote).GetAddressBytes()).Concat(PortDword(remotePort))
                .Concat(BitConverter.GetBytes(pid));

        // The port in network order in the DWORD's first two bytes, the rest unused.
        private static byte[] PortDword(int port) => new[] { (byte)(port >> 8), (byte)port, (byte)0, (byte)0 };
    }
}
