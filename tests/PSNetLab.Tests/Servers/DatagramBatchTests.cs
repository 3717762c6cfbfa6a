using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using PSNetLab.Servers.Udp;
using PSNetLab.Sockets.Linux;
using Xunit;

namespace PSNetLab.Tests.Servers
{
    /// <summary>recvmmsg/sendmmsg batches against real loopback sockets (Linux only).</summary>
    public class DatagramBatchTests
    {
        [Theory]
        [InlineData("127.0.0.1")]
        [InlineData("::1")]
        public void AnswersEverySenderOfABatchAtItsOwnAddress(string address)
        {
            if (!OperatingSystem.IsLinux())
            {
                return;
            }

            using Socket server = BoundServer(IPAddress.Parse(address));
            var clients = new[] { Client(server), Client(server), Client(server) };
            try
            {
                for (int i = 0; i < clients.Length; i++)
                {
                    // Loopback delivers during sendto: all three are queued before the batch is read.
                    clients[i].Send(Encoding.ASCII.GetBytes($"from {i}"));
                }

                using var batch = new DatagramBatch();
                var senders = new SenderEndPoints();
                AssertReadable(server);
                Assert.Equal(3, batch.Receive(server.Handle.ToInt32(), out _));
                for (int slot = 0; slot < batch.Count; slot++)
                {
                    Assert.True(batch.HasSender(slot));
                    IPEndPoint sender = senders.Get(batch.SenderAddress(slot))!;
                    Assert.Equal(clients[slot].LocalEndPoint, sender);
                    Assert.Same(sender, senders.Get(batch.SenderAddress(slot)));
                    string text = Encoding.ASCII.GetString(batch.Payload(slot).ToArray());
                    Assert.Equal($"from {slot}", text);
                    // Slot 0 answers from the arena itself (as Echo does); the others from arrays of their own.
                    batch.AddReply(slot, slot == 0 ? batch.Payload(slot) : new ArraySegment<byte>(Encoding.ASCII.GetBytes($"to {slot}")));
                }

                batch.SendReplies(server.Handle.ToInt32());
                Assert.Equal(new[] { 6, 4, 4 }, new[] { batch.ReplyResult(0), batch.ReplyResult(1), batch.ReplyResult(2) });
                Assert.Equal("from 0", Receive(clients[0]));
                Assert.Equal("to 1", Receive(clients[1]));
                Assert.Equal("to 2", Receive(clients[2]));
            }
            finally
            {
                Array.ForEach(clients, c => c.Dispose());
            }
        }

        [Fact]
        public void AReplyTheKernelRefusesIsMarkedAndTheOthersAreStillSent()
        {
            if (!OperatingSystem.IsLinux())
            {
                return;
            }

            using Socket server = BoundServer(IPAddress.Loopback);
            var clients = new[] { Client(server), Client(server), Client(server) };
            try
            {
                foreach (Socket client in clients)
                {
                    client.Send(new byte[] { 1 });
                }

                using var batch = new DatagramBatch();
                AssertReadable(server);
                Assert.Equal(3, batch.Receive(server.Handle.ToInt32(), out _));

                // Port 0 is no destination: udp_sendmsg refuses it with EINVAL, in the middle of the batch.
                ArraySegment<byte> middle = batch.SenderAddress(1);
                middle.Array![middle.Offset + 2] = 0;
                middle.Array![middle.Offset + 3] = 0;
                for (int slot = 0; slot < 3; slot++)
                {
                    batch.AddReply(slot, new ArraySegment<byte>(new byte[] { (byte)(10 + slot) }));
                }

                batch.SendReplies(server.Handle.ToInt32());
                Assert.Equal(1, batch.ReplyResult(0));
                Assert.Equal(-22, batch.ReplyResult(1));
                Assert.Equal(1, batch.ReplyResult(2));
                Assert.Equal(10, ReceiveBytes(clients[0])[0]);
                Assert.Equal(12, ReceiveBytes(clients[2])[0]);
                Assert.Equal("Invalid argument (InvalidArgument)", LinuxDatagramCalls.Describe(22));
            }
            finally
            {
                Array.ForEach(clients, c => c.Dispose());
            }
        }

        [Fact]
        public void ShutdownWakesAThreadBlockedInReceive()
        {
            if (!OperatingSystem.IsLinux())
            {
                return;
            }

            using Socket server = BoundServer(IPAddress.Loopback);
            int fd = server.Handle.ToInt32();
            var batch = new DatagramBatch();
            using var entered = new ManualResetEventSlim();
            int received = -2;
            var receiver = new Thread(() =>
            {
                entered.Set();
                received = batch.Receive(fd, out _);
            }) { IsBackground = true };
            receiver.Start();
            try
            {
                Assert.True(entered.Wait(TimeSpan.FromSeconds(10)));

                LibC.shutdown(fd, LibC.SHUT_RDWR);

                Assert.True(receiver.Join(TimeSpan.FromSeconds(10)), "recvmmsg still blocked after shutdown()");
                Assert.True(received >= 0);
                for (int slot = 0; slot < batch.Count; slot++)
                {
                    Assert.False(batch.HasSender(slot));
                }
            }
            finally
            {
                // A receiver still in recvmmsg writes into the batch's memory: it is freed only once the thread is out.
                if (!receiver.IsAlive)
                {
                    batch.Dispose();
                }
            }
        }

        private static Socket BoundServer(IPAddress address)
        {
            var server = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            server.Bind(new IPEndPoint(address, 0));
            LibC.SetNonBlocking(server.Handle.ToInt32(), false);
            return server;
        }

        /// <summary>The socket is blocking (as the batch thread's is): a datagram that never came must fail the test, not hang it.</summary>
        private static void AssertReadable(Socket server) =>
            Assert.True(server.Poll((int)TimeSpan.FromSeconds(10).TotalMicroseconds, SelectMode.SelectRead), "no datagram arrived");

        private static Socket Client(Socket server)
        {
            var client = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 10000 };
            client.Connect(server.LocalEndPoint!);
            return client;
        }

        private static byte[] ReceiveBytes(Socket client)
        {
            var buffer = new byte[100];
            int count = client.Receive(buffer);
            return buffer.AsSpan(0, count).ToArray();
        }

        private static string Receive(Socket client) => Encoding.ASCII.GetString(ReceiveBytes(client));
    }
}
