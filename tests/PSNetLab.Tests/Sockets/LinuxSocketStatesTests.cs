using PSNetLab.Sockets;
using PSNetLab.Sockets.Linux;
using Xunit;

namespace PSNetLab.Tests.Sockets
{
    public class LinuxSocketStatesTests
    {
        [Theory]
        [InlineData(1, SocketState.Established)]
        [InlineData(2, SocketState.SynSent)]
        [InlineData(3, SocketState.SynReceived)]
        [InlineData(4, SocketState.FinWait1)]
        [InlineData(5, SocketState.FinWait2)]
        [InlineData(6, SocketState.TimeWait)]
        [InlineData(7, SocketState.Closed)]
        [InlineData(8, SocketState.CloseWait)]
        [InlineData(9, SocketState.LastAck)]
        [InlineData(10, SocketState.Listen)]
        [InlineData(11, SocketState.Closing)]
        [InlineData(12, SocketState.SynReceived)]
        [InlineData(13, SocketState.Bound)]
        public void MapsEveryTcpState(int kernel, SocketState expected) =>
            Assert.Equal(expected, LinuxSocketStates.FromTcp(kernel));

        [Fact]
        public void UdpAndUnixBorrowEstablishedAndClose()
        {
            Assert.Equal(SocketState.Bound, LinuxSocketStates.FromUdp(7));
            Assert.Equal(SocketState.Established, LinuxSocketStates.FromUdp(1));
            Assert.Equal(SocketState.Bound, LinuxSocketStates.FromUnix(7, hasName: true));
            Assert.Equal(SocketState.None, LinuxSocketStates.FromUnix(7, hasName: false));
            Assert.Equal(SocketState.Listen, LinuxSocketStates.FromUnix(10, hasName: true));
        }

        [Fact]
        public void KernelMaskAsksOnlyForTheWantedStates()
        {
            Assert.Equal(1u << 10, LinuxSocketStates.KernelMask(SocketProtocol.Tcp, new[] { SocketState.Listen }));
            Assert.Equal((1u << 3) | (1u << 12), LinuxSocketStates.KernelMask(SocketProtocol.Tcp, new[] { SocketState.SynReceived }));
            Assert.Equal(0u, LinuxSocketStates.KernelMask(SocketProtocol.Udp, new[] { SocketState.Listen }));
            Assert.Equal(1u << 7, LinuxSocketStates.KernelMask(SocketProtocol.Udp, new[] { SocketState.Bound }));
            Assert.Equal(0xFFFFFFFFu, LinuxSocketStates.KernelMask(SocketProtocol.Tcp, new SocketState[0]));
        }
    }
}
