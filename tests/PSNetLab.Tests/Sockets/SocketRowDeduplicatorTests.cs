using System.Collections.Generic;
using PSNetLab.Sockets;
using Xunit;

namespace PSNetLab.Tests.Sockets
{
    public class SocketRowDeduplicatorTests
    {
        [Fact]
        public void DropsARowTheDumpReturnedTwice()
        {
            SocketTableRow a = Row(8080, 51000, SocketState.Established, 100);
            SocketTableRow again = Row(8080, 51000, SocketState.Established, 100);
            List<SocketTableRow> result = SocketRowDeduplicator.Distinct(new[] { a, again });
            Assert.Single(result);
            Assert.Same(a, result[0]);
        }

        [Fact]
        public void KeepsSoReusePortListenersApartByInode()
        {
            List<SocketTableRow> result = SocketRowDeduplicator.Distinct(new[]
            {
                Row(8080, 0, SocketState.Listen, 100),
                Row(8080, 0, SocketState.Listen, 101),
            });
            Assert.Equal(2, result.Count);
        }

        [Fact]
        public void ASocketSeenTwiceInTwoStatesIsOneRow()
        {
            // The walk can meet a socket before and after a state change; the inode says it is one socket.
            List<SocketTableRow> result = SocketRowDeduplicator.Distinct(new[]
            {
                Row(8080, 51000, SocketState.Established, 100),
                Row(8080, 51000, SocketState.CloseWait, 100),
            });
            Assert.Single(result);
        }

        [Fact]
        public void InodeZeroRowsAreToldApartByState()
        {
            List<SocketTableRow> result = SocketRowDeduplicator.Distinct(new[]
            {
                Row(8080, 51000, SocketState.TimeWait, 0),
                Row(8080, 51000, SocketState.TimeWait, 0),
                Row(8080, 51000, SocketState.SynReceived, 0),
            });
            Assert.Equal(2, result.Count);
        }

        internal static SocketTableRow Row(int localPort, int remotePort, SocketState state, long inode, SocketProtocol protocol = SocketProtocol.Tcp) =>
            new SocketTableRow
            {
                Protocol = protocol,
                LocalAddress = "127.0.0.1",
                LocalPort = localPort,
                RemoteAddress = remotePort == 0 ? "0.0.0.0" : "127.0.0.1",
                RemotePort = remotePort,
                State = state,
                Inode = inode,
            };
    }
}
