using System;
using System.Collections.Generic;
using System.Linq;
using PSNetLab.Sockets;
using Xunit;
using static PSNetLab.Tests.Sockets.SocketRowDeduplicatorTests;

namespace PSNetLab.Tests.Sockets
{
    public class SocketTableWatcherTests
    {
        private static readonly DateTime T0 = new DateTime(2024, 1, 1, 12, 0, 0);

        [Fact]
        public void FirstLookReportsExistingSockets()
        {
            var watcher = new SocketTableWatcher();
            List<SocketTableChange> changes = watcher.Next(new[] { Row(9000, 0, SocketState.Listen, 1) }, T0);
            Assert.Equal(SocketChangeType.Existing, Assert.Single(changes).ChangeType);
            Assert.Equal(T0, changes[0].Time);
        }

        [Fact]
        public void FollowsAConnectionFromHandshakeToRemoval()
        {
            var watcher = new SocketTableWatcher();
            watcher.Next(new[] { Row(9000, 0, SocketState.Listen, 1) }, T0);

            List<SocketTableChange> opened = watcher.Next(new[] { Row(9000, 0, SocketState.Listen, 1), Row(9000, 50000, SocketState.Established, 2) }, T0.AddSeconds(1));
            Assert.Equal(SocketChangeType.Added, Assert.Single(opened).ChangeType);

            // TIME_WAIT has inode 0, yet it is the same connection: a state change, not remove + add.
            List<SocketTableChange> closed = watcher.Next(new[] { Row(9000, 0, SocketState.Listen, 1), Row(9000, 50000, SocketState.TimeWait, 0) }, T0.AddSeconds(2));
            SocketTableChange change = Assert.Single(closed);
            Assert.Equal(SocketChangeType.StateChanged, change.ChangeType);
            Assert.Equal(SocketState.Established, change.PreviousState);
            Assert.Equal(SocketState.TimeWait, change.State);

            List<SocketTableChange> gone = watcher.Next(new[] { Row(9000, 0, SocketState.Listen, 1) }, T0.AddSeconds(3));
            Assert.Equal(SocketChangeType.Removed, Assert.Single(gone).ChangeType);
            Assert.Equal(50000, gone[0].RemotePort);
        }

        [Fact]
        public void NothingChangedMeansNoRows()
        {
            var watcher = new SocketTableWatcher();
            SocketTableRow[] table = { Row(9000, 0, SocketState.Listen, 1), Row(53, 0, SocketState.Bound, 3, SocketProtocol.Udp) };
            watcher.Next(table, T0);
            Assert.Empty(watcher.Next(table.Select(r => r).ToArray(), T0.AddSeconds(1)));
        }
    }
}
