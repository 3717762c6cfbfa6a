using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using PSNetLab.Sockets;
using PSNetLab.Sockets.Linux;
using Xunit;

namespace PSNetLab.Tests.Sockets
{
    /// <summary>Both Linux sources against a real loopback listener: they must agree.</summary>
    public class LinuxSourceLiveTests
    {
        [Fact]
        public void NetlinkAndProcNetSeeTheSameListener()
        {
            if (!OperatingSystem.IsLinux())
            {
                return;
            }

            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start(5);
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var query = new SocketTableQuery { IncludeOwners = true };

            SocketTableRow fromNetlink = new LinuxSocketTableSource(useNetlink: true).Read(query).Single(r => r.LocalPort == port && r.State == SocketState.Listen && r.LocalAddress == "127.0.0.1");
            SocketTableRow fromProc = new LinuxSocketTableSource(useNetlink: false).Read(query).Single(r => r.LocalPort == port && r.State == SocketState.Listen && r.LocalAddress == "127.0.0.1");

            foreach (SocketTableRow row in new[] { fromNetlink, fromProc })
            {
                Assert.Equal("127.0.0.1", row.LocalAddress);
                Assert.Equal(Environment.ProcessId, row.OwningProcess);
                Assert.False(string.IsNullOrEmpty(row.ProcessName));
            }

            Assert.Equal(fromNetlink.Inode, fromProc.Inode);
            Assert.Equal(5, fromNetlink.SendQ);   // the backlog: netlink only
        }

        [Fact]
        public void OwnerLookupCanBeLimitedToOneProcess()
        {
            if (!OperatingSystem.IsLinux())
            {
                return;
            }

            using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            int port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            var query = new SocketTableQuery { IncludeOwners = true, OwnerProcessIds = new System.Collections.Generic.HashSet<int> { Environment.ProcessId } };
            SocketTableRow row = new LinuxSocketTableSource().Read(query)
                .Single(r => r.LocalPort == port && r.Protocol == SocketProtocol.Udp && r.LocalAddress == "::1");
            Assert.Equal(Environment.ProcessId, row.OwningProcess);
        }
    }
}
