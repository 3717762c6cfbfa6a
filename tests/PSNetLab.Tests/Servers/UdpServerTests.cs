using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSNetLab.Servers;
using PSNetLab.Servers.Handlers;
using PSNetLab.Servers.Udp;
using Xunit;

namespace PSNetLab.Tests.Servers
{
    /// <summary>
    /// The UDP server's behaviour, the same on both serving paths: batches (built-in handlers on
    /// Linux) and the async receive loop (batchesAllowed: false, and every other platform).
    /// </summary>
    public class UdpServerTests
    {
        [Theory]
        [InlineData(true, "127.0.0.1")]
        [InlineData(true, "::1")]
        [InlineData(false, "127.0.0.1")]
        [InlineData(false, "::1")]
        public void BurstsFromSeveralSendersAreAllAnsweredToTheirSender(bool batches, string address)
        {
            const int Senders = 8;
            const int PerSender = 8;
            using var log = new ServerEventLog(10000);
            var server = new UdpServer(new ServerOptions(new EchoHandler("> ")) { Name = "burst", LocalAddress = IPAddress.Parse(address) }, batches);
            var clients = new List<Socket>();
            try
            {
                server.Start(log);
                Assert.Equal(batches && OperatingSystem.IsLinux(), server.ServesInBatches);
                for (int c = 0; c < Senders; c++)
                {
                    var client = new Socket(server.LocalEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 10000 };
                    client.Connect(server.LocalEndPoint);
                    clients.Add(client);
                }

                // Every sender fires its whole burst before anyone reads: the server sees interleaved
                // datagrams from all of them, many per recvmmsg.
                for (int m = 0; m < PerSender; m++)
                {
                    for (int c = 0; c < Senders; c++)
                    {
                        clients[c].Send(Encoding.ASCII.GetBytes($"{c}:{m}"));
                    }
                }

                var buffer = new byte[100];
                for (int c = 0; c < Senders; c++)
                {
                    for (int m = 0; m < PerSender; m++)
                    {
                        int count = clients[c].Receive(buffer);
                        Assert.Equal($"> {c}:{m}", Encoding.ASCII.GetString(buffer, 0, count));
                    }
                }

                server.Stop();
                Assert.Equal(Senders * PerSender, server.Counters.MessagesReceived);
                Assert.Equal(Senders * PerSender, server.Counters.MessagesSent);
                Assert.Equal(Senders * PerSender * 2, server.Counters.BytesSent - server.Counters.BytesReceived);
                Assert.Equal(0, server.Counters.Errors);

                var events = new List<ServerEvent>();
                log.Queue.TakeAll(events);
                List<ServerEvent> received = events.Where(e => e.Kind == ServerEventKind.Received).ToList();
                List<ServerEvent> sent = events.Where(e => e.Kind == ServerEventKind.Sent).ToList();
                Assert.Equal(Senders * PerSender, received.Count);
                Assert.Equal(Senders * PerSender, sent.Count);
                foreach (ServerEvent e in received)
                {
                    int c = int.Parse(e.Text!.Split(':')[0]);
                    Assert.Equal(clients[c].LocalEndPoint, new IPEndPoint(e.RemoteAddress!, e.RemotePort));
                }

                foreach (ServerEvent e in sent)
                {
                    int c = int.Parse(e.Text!.Substring(2).Split(':')[0]);
                    Assert.Equal(clients[c].LocalEndPoint, new IPEndPoint(e.RemoteAddress!, e.RemotePort));
                }
            }
            finally
            {
                server.Stop();
                clients.ForEach(c => c.Dispose());
            }
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void StopWhileIdleFreesThePortAndStopsOnce(bool batches)
        {
            using var log = new ServerEventLog(100);
            using var server = new UdpServer(new ServerOptions(new EchoHandler(null)) { StopTimeout = TimeSpan.FromSeconds(30) }, batches);
            server.Start(log);
            int port = server.LocalEndPoint.Port;
            Assert.Equal(batches && OperatingSystem.IsLinux(), server.ServesInBatches);
            Assert.Equal("hi", EchoOnce(server, "hi"));

            server.Stop();

            Assert.Equal(ServerStatus.Stopped, server.Status);
            Assert.True(server.WaitForStop(TimeSpan.Zero));
            using var rebind = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
            server.Stop();
        }

        [Fact]
        public void StopRightAfterStartFreesThePort()
        {
            for (int i = 0; i < 20; i++)
            {
                using var log = new ServerEventLog(10);
                using var server = new UdpServer(new ServerOptions(new DiscardHandler()));
                server.Start(log);
                int port = server.LocalEndPoint.Port;
                server.Stop();
                using var rebind = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
            }
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void AHandlerFailureOrAnOversizedReplyIsAnErrorEventAndServingGoesOn(bool batches)
        {
            using var log = new ServerEventLog(100);
            var server = new UdpServer(new ServerOptions(new PickyHandler()), batches);
            try
            {
                server.Start(log);
                using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 10000 };
                client.Connect(server.LocalEndPoint);
                client.Send(Encoding.ASCII.GetBytes("bad"));
                client.Send(Encoding.ASCII.GetBytes("huge"));
                client.Send(Encoding.ASCII.GetBytes("fine"));

                var buffer = new byte[100];
                int count = client.Receive(buffer);
                Assert.Equal("ok fine", Encoding.ASCII.GetString(buffer, 0, count));
                server.Stop();

                Assert.Equal(3, server.Counters.MessagesReceived);
                Assert.Equal(1, server.Counters.MessagesSent);
                Assert.Equal(2, server.Counters.Errors);
                var events = new List<ServerEvent>();
                log.Queue.TakeAll(events);
                string[] errors = events.Where(e => e.Kind == ServerEventKind.Error).Select(e => e.Detail!).ToArray();
                Assert.Equal("handler Picky failed: not this one", errors[0]);
                Assert.Contains("(70000 bytes) is larger than a UDP datagram can carry (65507 bytes)", errors[1]);
                Assert.All(events.Where(e => e.Kind == ServerEventKind.Error), e => Assert.Equal(client.LocalEndPoint, new IPEndPoint(e.RemoteAddress!, e.RemotePort)));
            }
            finally
            {
                server.Stop();
            }
        }

        [Fact]
        public void EventLevelNoneRecordsNothingButStillCounts()
        {
            using var log = new ServerEventLog(100);
            var server = new UdpServer(new ServerOptions(new EchoHandler(null)) { EventLevel = EventLevel.None });
            try
            {
                server.Start(log);
                Assert.Equal("quiet", EchoOnce(server, "quiet"));
                server.Stop();
                Assert.Equal(1, server.Counters.MessagesSent);
                Assert.Equal(0, log.Queue.Count);
            }
            finally
            {
                server.Stop();
            }
        }

        [Fact]
        public void AHandlerThatAnswersLaterKeepsTheAsyncPath()
        {
            using var log = new ServerEventLog(100);
            var server = new UdpServer(new ServerOptions(new LaterHandler()));
            try
            {
                server.Start(log);
                Assert.False(server.ServesInBatches);
                Assert.Equal("later", EchoOnce(server, "later"));
            }
            finally
            {
                server.Stop();
            }
        }

        private static string EchoOnce(NetLabServer server, string text)
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 10000 };
            client.Connect(server.LocalEndPoint);
            client.Send(Encoding.ASCII.GetBytes(text));
            var buffer = new byte[100];
            return Encoding.ASCII.GetString(buffer, 0, client.Receive(buffer));
        }

        /// <summary>Answers on a thread-pool thread, as a ScriptBlock handler's runspace does.</summary>
        private sealed class LaterHandler : IMessageHandler
        {
            public string Name => "Later";

            public int MaxConcurrency => 2;

            public Task<HandlerReply> HandleAsync(HandlerRequest request, CancellationToken cancellation)
            {
                request.Detach();
                return Task.Run(() => HandlerReply.FromBytes(request.Payload));
            }

            public void Dispose()
            {
            }
        }

        /// <summary>Throws for "bad", answers "huge" with more than a datagram holds, "ok ..." otherwise.</summary>
        private sealed class PickyHandler : SynchronousHandler
        {
            public override string Name => "Picky";

            public override HandlerReply Handle(HandlerRequest request)
            {
                switch (request.Text)
                {
                    case "bad":
                        throw new InvalidOperationException("not this one");
                    case "huge":
                        return HandlerReply.FromBytes(new ArraySegment<byte>(new byte[70000]));
                    default:
                        return HandlerReply.FromText("ok " + request.Text, request.Encoding);
                }
            }
        }
    }
}
