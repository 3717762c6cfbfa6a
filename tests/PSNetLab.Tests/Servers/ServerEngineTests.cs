using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PSNetLab.Errors;
using PSNetLab.Servers;
using PSNetLab.Servers.Handlers;
using PSNetLab.Servers.Udp;
using Xunit;

namespace PSNetLab.Tests.Servers
{
    public class ServerEngineTests
    {
        [Theory]
        [InlineData(ServerEventKind.Error, EventLevel.Errors)]
        [InlineData(ServerEventKind.Started, EventLevel.Connections)]
        [InlineData(ServerEventKind.Accepted, EventLevel.Connections)]
        [InlineData(ServerEventKind.Received, EventLevel.Messages)]
        [InlineData(ServerEventKind.Sent, EventLevel.Messages)]
        public void EachKindHasItsLevel(ServerEventKind kind, EventLevel level) => Assert.Equal(level, EventLevels.Of(kind));

        [Fact]
        public void EventsReadLikeTheSeeds()
        {
            var received = new ServerEvent("s", 9000, ServerEventKind.Received, new IPEndPoint(IPAddress.Loopback, 50412), "hello", new byte[5]);
            Assert.Equal("127.0.0.1:50412# hello", received.ToString());
            var v6 = new ServerEvent("s", 9000, ServerEventKind.Received, new IPEndPoint(IPAddress.IPv6Loopback, 7), "hi", new byte[2]);
            Assert.Equal("[::1]:7# hi", v6.ToString());
        }

        [Theory]
        [InlineData("Loopback", "127.0.0.1")]
        [InlineData("any", "0.0.0.0")]
        [InlineData("IPv6Any", "::")]
        [InlineData("::1", "::1")]
        [InlineData("[::1]", "::1")]
        [InlineData("10.1.2.3", "10.1.2.3")]
        public void ParsesLocalAddresses(string text, string expected) =>
            Assert.Equal(IPAddress.Parse(expected), EndPoints.ParseLocalAddress(text, "LocalAddress"));

        [Theory]
        [InlineData("nope")]
        [InlineData("12345")]
        [InlineData("1.2.3.4.5")]
        public void RejectsNonAddresses(string text) =>
            Assert.Equal("AddressInvalid", Assert.Throws<NetLabException>(() => EndPoints.ParseLocalAddress(text, "LocalAddress")).ErrorId);

        [Fact]
        public void ParsesPeers()
        {
            Assert.Equal(new IPEndPoint(IPAddress.Loopback, 7891), EndPoints.ParsePeer("127.0.0.1:7891", "Peer"));
            Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 7891), EndPoints.ParsePeer("[::1]:7891", "Peer"));
            Assert.Equal("PortOutOfRange", Assert.Throws<NetLabException>(() => EndPoints.ParsePeer("127.0.0.1:70000", "Peer")).ErrorId);
            Assert.Equal("AddressInvalid", Assert.Throws<NetLabException>(() => EndPoints.ParsePeer("::1:80", "Peer")).ErrorId);
        }

        [Fact]
        public void SocketErrorsMapOnce()
        {
            Assert.Equal(NetLabErrorKind.ResourceUnavailable, SocketErrors.KindOf(SocketError.AddressAlreadyInUse));
            Assert.Equal(NetLabErrorKind.ConnectionError, SocketErrors.KindOf(SocketError.ConnectionRefused));
            Assert.Equal(NetLabErrorKind.ConnectionError, SocketErrors.KindOf(SocketError.ConnectionReset));
            Assert.Equal(NetLabErrorKind.ConnectionError, SocketErrors.KindOf(SocketError.HostUnreachable));
            Assert.Equal(NetLabErrorKind.OperationTimeout, SocketErrors.KindOf(SocketError.TimedOut));
            Assert.Equal(NetLabErrorKind.PermissionDenied, SocketErrors.KindOf(SocketError.AccessDenied));
        }

        [Fact]
        public void UdpServerEchoesRecordsAndStopsOnce()
        {
            using var log = new ServerEventLog(100);
            var server = new UdpServer(new ServerOptions(new EchoHandler("> ")) { Name = "t" });
            server.Start(log);
            int port = server.LocalEndPoint.Port;
            using (var client = new UdpClient())
            {
                client.Client.ReceiveTimeout = 5000;
                client.Send(Encoding.UTF8.GetBytes("hi"), 2, new IPEndPoint(IPAddress.Loopback, port));
                var from = new IPEndPoint(IPAddress.Any, 0);
                Assert.Equal("> hi", Encoding.UTF8.GetString(client.Receive(ref from)));
            }

            server.Stop();
            server.Stop();
            Assert.Equal(ServerStatus.Stopped, server.Status);
            Assert.Equal(1, server.Counters.MessagesReceived);
            var events = new List<ServerEvent>();
            log.Queue.TakeAll(events);
            Assert.Equal(new[] { ServerEventKind.Started, ServerEventKind.Received, ServerEventKind.Sent, ServerEventKind.Stopped }, events.ConvertAll(e => e.Kind));
            using var rebind = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
        }

        [Fact]
        public void BindingAPortInUseSaysSo()
        {
            using var holder = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)holder.Client.LocalEndPoint!).Port;
            var server = new UdpServer(new ServerOptions(new DiscardHandler()) { Port = port });
            NetLabException e = Assert.Throws<NetLabException>(() => server.Bind());
            Assert.Equal("UdpServerAddressInUse", e.ErrorId);
            Assert.Contains($"port {port} is in use", e.Message);
        }
    }
}
