using System.Net.Sockets;
using PSNetLab.Sockets;
using PSNetLab.Sockets.Linux;
using Xunit;

namespace PSNetLab.Tests.Sockets
{
    public class ProcNetParserTests
    {
        [Fact]
        public void ParsesATcpListenerLine()
        {
            SocketTableRow? row = ProcNetParser.ParseInet(
                "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000003 00:00000000 00000000  1000        0 1684 1 0000000050acdc6c 100 0 0 10 0",
                SocketProtocol.Tcp, ipv6: false);
            Assert.NotNull(row);
            Assert.Equal("127.0.0.1", row!.LocalAddress);
            Assert.Equal(8080, row.LocalPort);
            Assert.Equal("0.0.0.0", row.RemoteAddress);
            Assert.Equal(SocketState.Listen, row.State);
            Assert.Equal(3, row.RecvQ);
            Assert.Equal(1000, row.Uid);
            Assert.Equal(1684, row.Inode);
        }

        [Fact]
        public void ParsesATimeWaitLineWithItsTimer()
        {
            // tr 3 = TIME_WAIT timer, 0x1734 = 5940 clock ticks = 59.4 s; TIME_WAIT sockets have inode 0.
            SocketTableRow? row = ProcNetParser.ParseInet(
                "   3: 0100007F:B393 0100007F:C8E6 06 00000000:00000000 03:00001734 00000000     0        0 0 3 0000000000000000",
                SocketProtocol.Tcp, ipv6: false);
            Assert.Equal(SocketState.TimeWait, row!.State);
            Assert.Equal(45971, row.LocalPort);
            Assert.Equal(51430, row.RemotePort);
            Assert.Equal(0, row.Inode);
            Assert.Equal(SocketTimerKind.TimeWait, row.Timer!.Kind);
            Assert.Equal(59.4, row.Timer.Remaining.TotalSeconds, 3);
        }

        [Fact]
        public void ParsesIPv6AndIPv4MappedAddressesFaithfully()
        {
            SocketTableRow? loopback = ProcNetParser.ParseInet(
                "   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2001 1 0000000000000000 100 0 0 10 0",
                SocketProtocol.Tcp, ipv6: true);
            Assert.Equal("::1", loopback!.LocalAddress);
            Assert.Equal(AddressFamily.InterNetworkV6, loopback.AddressFamily);

            SocketTableRow? mapped = ProcNetParser.ParseInet(
                "   1: 0000000000000000FFFF00000100007F:EACC 0000000000000000FFFF00000100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 2002 1 0000000000000000 20 4 30 10 -1",
                SocketProtocol.Tcp, ipv6: true);
            Assert.Equal("::ffff:127.0.0.1", mapped!.LocalAddress);
            Assert.Equal(SocketState.Established, mapped.State);
        }

        [Fact]
        public void ParsesUdpAsBound()
        {
            SocketTableRow? row = ProcNetParser.ParseInet(
                " 1234: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 3003 2 0000000000000000 0",
                SocketProtocol.Udp, ipv6: false);
            Assert.Equal(SocketState.Bound, row!.State);
            Assert.Equal(53, row.LocalPort);
            Assert.Equal(SocketType.Dgram, row.SocketType);
        }

        [Fact]
        public void SkipsHeaderLines()
        {
            Assert.Null(ProcNetParser.ParseInet("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode", SocketProtocol.Tcp, false));
            Assert.Null(ProcNetParser.ParseUnix("Num       RefCount Protocol Flags    Type St Inode Path"));
        }

        [Fact]
        public void ParsesUnixListenersConnectionsAndAbstractNames()
        {
            SocketTableRow? listener = ProcNetParser.ParseUnix("0000000000000000: 00000002 00000000 00010000 0001 01 20046 /tmp/psnl.sock");
            Assert.Equal(SocketState.Listen, listener!.State);
            Assert.Equal("/tmp/psnl.sock", listener.LocalAddress);
            Assert.Equal(20046, listener.Inode);

            SocketTableRow? connected = ProcNetParser.ParseUnix("0000000000000000: 00000003 00000000 00000000 0001 03  1681");
            Assert.Equal(SocketState.Established, connected!.State);
            Assert.Equal(string.Empty, connected.LocalAddress);

            SocketTableRow? abstractDgram = ProcNetParser.ParseUnix("0000000000000000: 00000002 00000000 00000000 0002 01 4242 @/org/example");
            Assert.Equal(SocketState.Bound, abstractDgram!.State);
            Assert.Equal(SocketType.Dgram, abstractDgram.SocketType);
            Assert.Equal("@/org/example", abstractDgram.LocalAddress);
        }
    }
}
