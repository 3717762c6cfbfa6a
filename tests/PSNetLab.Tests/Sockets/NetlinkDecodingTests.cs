using System;
using System.Collections.Generic;
using System.Net.Sockets;
using PSNetLab.Errors;
using PSNetLab.Sockets;
using PSNetLab.Sockets.Linux;
using Xunit;

namespace PSNetLab.Tests.Sockets
{
    /// <summary>
    /// Replies captured from a real kernel (6.18, x86_64) with a known population: a TCP listener on
    /// 127.0.0.1:45971 with backlog 7, a UDP socket on [::1]:56812, a unix listener on
    /// /tmp/psnl-capture.sock with backlog 3.
    /// </summary>
    public class NetlinkDecodingTests
    {
        private const string TcpListener =
            "7c000000140002000100000054250000020a0000b39300007f00000100000000000000000000000000000000000000000000000000000000000000000b00000000000000000000000000000007000000000000004c4e0000050008000000000008000f00000000000c00150001000000000000000600160052000000";

        private const string Udp6Socket =
            "840000001400020001000000542500000a070000ddec00000000000000000000000000000000000100000000000000000000000000000000000000000c00000000000000000000000000000000000000000000004d4e0000050008000000000005000b000100000008000f00000000000c00150001000000000000000600160010000000";

        private const string UnixListener =
            "5800000014000200010000005425000001010a004e4e00000d000000000000001b0000002f746d702f70736e6c2d636170747572652e736f636b00000c000400000000000300000005000600000000000800070000000000";

        private const string Done = "1400000003000200010000005425000000000000";

        [Fact]
        public void DecodesATcpListenerWithItsBacklog()
        {
            SocketTableRow row = DecodeInet(TcpListener, SocketProtocol.Tcp);
            Assert.Equal(AddressFamily.InterNetwork, row.AddressFamily);
            Assert.Equal("127.0.0.1", row.LocalAddress);
            Assert.Equal(45971, row.LocalPort);
            Assert.Equal("0.0.0.0", row.RemoteAddress);
            Assert.Equal(0, row.RemotePort);
            Assert.Equal(SocketState.Listen, row.State);
            Assert.Equal(0, row.RecvQ);
            Assert.Equal(7, row.SendQ);   // a listener's Send-Q is its backlog, as ss shows it
            Assert.Equal(0, row.Uid);
            Assert.Equal(20044, row.Inode);
            Assert.Null(row.Timer);
        }

        [Fact]
        public void DecodesAnIPv6UdpSocketAsBound()
        {
            SocketTableRow row = DecodeInet(Udp6Socket, SocketProtocol.Udp);
            Assert.Equal(AddressFamily.InterNetworkV6, row.AddressFamily);
            Assert.Equal(SocketType.Dgram, row.SocketType);
            Assert.Equal("::1", row.LocalAddress);
            Assert.Equal(56812, row.LocalPort);
            Assert.Equal("::", row.RemoteAddress);
            Assert.Equal(SocketState.Bound, row.State);
            Assert.Equal(20045, row.Inode);
        }

        [Fact]
        public void DecodesAUnixListenerWithNameAndQueues()
        {
            byte[] message = Convert.FromHexString(UnixListener);
            SocketTableRow? row = UnixDiagCodec.Decode(message, NetlinkMessages.HeaderSize, message.Length - NetlinkMessages.HeaderSize);
            Assert.NotNull(row);
            Assert.Equal(SocketProtocol.Unix, row!.Protocol);
            Assert.Equal(AddressFamily.Unix, row.AddressFamily);
            Assert.Equal(SocketType.Stream, row.SocketType);
            Assert.Equal("/tmp/psnl-capture.sock", row.LocalAddress);
            Assert.Equal(SocketState.Listen, row.State);
            Assert.Equal(3, row.SendQ);
            Assert.Equal(0, row.Uid);
            Assert.Equal(20046, row.Inode);
        }

        [Fact]
        public void WalkHandsOverEveryMessageAndStopsAtDone()
        {
            byte[] read = Convert.FromHexString(TcpListener + Udp6Socket + Done);
            var lengths = new List<int>();
            bool done = NetlinkMessages.Walk(read, read.Length, (buffer, offset, length) => lengths.Add(length));
            Assert.True(done);
            Assert.Equal(new[] { 0x7c - 16, 0x84 - 16 }, lengths);
        }

        [Fact]
        public void WalkWithoutDoneAsksForAnotherRead()
        {
            byte[] read = Convert.FromHexString(TcpListener);
            Assert.False(NetlinkMessages.Walk(read, read.Length, (buffer, offset, length) => { }));
        }

        [Fact]
        public void AnErrorReplyBecomesNetlinkRefused()
        {
            // NLMSG_ERROR carrying -EPERM (-1), as a seccomp-filtered or unprivileged sandbox answers.
            byte[] read = Convert.FromHexString("24000000020000000100000054250000ffffffff" + "14000000140001030100000000000000");
            var e = Assert.Throws<NetLabException>(() => NetlinkMessages.Walk(read, read.Length, (b, o, l) => { }));
            Assert.Equal("SocketTableNetlinkRefused", e.ErrorId);
            Assert.Equal(1, e.Target);
        }

        [Fact]
        public void ATruncatedMessageIsMalformed()
        {
            byte[] read = Convert.FromHexString(TcpListener.Substring(0, 100));
            var e = Assert.Throws<NetLabException>(() => NetlinkMessages.Walk(read, read.Length, (b, o, l) => { }));
            Assert.Equal("SocketTableNetlinkMalformed", e.ErrorId);
        }

        [Fact]
        public void InetRequestCarriesFamilyProtocolAndStateMask()
        {
            byte[] request = InetDiagCodec.Request(InetDiagCodec.AF_INET6, InetDiagCodec.IPPROTO_TCP, 1u << 10, 7);
            Assert.Equal(72, request.Length);
            Assert.Equal(72u, BitConverter.ToUInt32(request, 0));
            Assert.Equal((ushort)20, BitConverter.ToUInt16(request, 4));       // SOCK_DIAG_BY_FAMILY
            Assert.Equal((ushort)0x301, BitConverter.ToUInt16(request, 6));    // NLM_F_REQUEST | NLM_F_DUMP
            Assert.Equal(7u, BitConverter.ToUInt32(request, 8));
            Assert.Equal(10, request[16]);
            Assert.Equal(6, request[17]);
            Assert.Equal(1u << 10, BitConverter.ToUInt32(request, 20));
        }

        [Fact]
        public void AbstractUnixNamesReadLikeSs()
        {
            byte[] name = { 0, (byte)'b', (byte)'u', (byte)'s' };
            Assert.Equal("@bus", UnixDiagCodec.SocketName(name, 0, name.Length));
        }

        [Fact]
        public void TimersKeepTheirKindAndTimeLeft()
        {
            SocketTimer? timer = InetDiagCodec.Timer(3, 59_250);
            Assert.Equal(SocketTimerKind.TimeWait, timer!.Kind);
            Assert.Equal(TimeSpan.FromMilliseconds(59_250), timer.Remaining);
            Assert.Equal("timewait,59.3s", timer.ToString());
            Assert.Null(InetDiagCodec.Timer(0, 0));
        }

        private static SocketTableRow DecodeInet(string hex, SocketProtocol protocol)
        {
            byte[] message = Convert.FromHexString(hex);
            SocketTableRow? row = new InetDiagCodec().Decode(message, NetlinkMessages.HeaderSize, message.Length - NetlinkMessages.HeaderSize, protocol);
            Assert.NotNull(row);
            return row!;
        }
    }
}
