using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PSNetLab.Load;
using PSNetLab.Tests.Servers;
using Xunit;

namespace PSNetLab.Tests.Load
{
    /// <summary>
    /// The reader both load drivers use: replies that arrive in pieces, several in one receive
    /// (pipelining), CRLF endings, and echoes that are wrong or too long. Real loopback sockets.
    /// </summary>
    public sealed class ReplyReaderTests : IDisposable
    {
        private static readonly EchoMessage Lines = new EchoMessage(20, new byte[0], newline: true);
        private readonly Socket _client;
        private readonly Socket _server;

        public ReplyReaderTests()
        {
            using Socket listener = ServedConnection.Listen(IPAddress.Loopback, 1, null);
            _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = (int)LoopbackIO.Bound.TotalMilliseconds };
            try
            {
                _client.Connect(listener.LocalEndPoint!);
                _server = listener.Accept();
            }
            catch
            {
                _client.Dispose();   // xunit does not call Dispose when the constructor throws
                throw;
            }
        }

        public void Dispose()
        {
            _client.Dispose();
            _server.Dispose();
        }

        [Fact]
        public void VerifiesSeveralEchoesThatArriveInOneReceive()
        {
            var reader = new ReplyReader(Lines);
            _server.Send(Request(Lines, 0).Concat(Request(Lines, 1)).Concat(Request(Lines, 2)).ToArray());

            for (long sequence = 0; sequence < 3; sequence++)
            {
                reader.ReadAndVerify(_client, sequence);   // receives only when the echo is not buffered yet
            }

            Assert.False(reader.TryVerifyNext(3));
        }

        [Fact]
        public void WaitsForTheRestOfAnEchoThatArrivesInPieces()
        {
            var reader = new ReplyReader(Lines);
            byte[] echo = Request(Lines, 7);
            _server.Send(echo, 0, 5, SocketFlags.None);
            reader.ReceiveOnce(_client);
            Assert.False(reader.TryVerifyNext(7));

            _server.Send(echo, 5, echo.Length - 5, SocketFlags.None);
            reader.ReadAndVerify(_client, 7);
        }

        [Fact]
        public void AcceptsCrLfEndings()
        {
            var reader = new ReplyReader(Lines);
            byte[] echo = Request(Lines, 3);
            _server.Send(echo.Take(echo.Length - 1).Concat(Encoding.ASCII.GetBytes("\r\n")).ToArray());
            reader.ReadAndVerify(_client, 3);
        }

        [Fact]
        public void CallsAWrongEchoWrongBytes()
        {
            var reader = new ReplyReader(Lines);
            _server.Send(Request(Lines, 4));
            LoadFailure failure = Assert.Throws<LoadFailure>(() => reader.ReadAndVerify(_client, 5));
            Assert.Equal(LoadErrorKind.WrongBytes, failure.Kind);
        }

        [Fact]
        public void CallsALineLongerThanTheEchoWrongBytesWithoutWaitingForItsEnd()
        {
            var reader = new ReplyReader(Lines);
            _server.Send(Encoding.ASCII.GetBytes(new string('x', 40)));
            LoadFailure failure = Assert.Throws<LoadFailure>(() => reader.ReadAndVerify(_client, 0));
            Assert.Equal(LoadErrorKind.WrongBytes, failure.Kind);
        }

        [Fact]
        public void CallsTheEndOfTheStreamClosed()
        {
            var reader = new ReplyReader(Lines);
            _server.Shutdown(SocketShutdown.Send);
            LoadFailure failure = Assert.Throws<LoadFailure>(() => reader.ReadAndVerify(_client, 0));
            Assert.Equal(LoadErrorKind.Closed, failure.Kind);
        }

        [Fact]
        public void KeepsReadingPastTheBufferByCompactingIt()
        {
            // Raw echoes of 3,000 bytes through a 6,004-byte buffer: the unread part moves to the front.
            var raw = new EchoMessage(3000, new byte[0], newline: false);
            var reader = new ReplyReader(raw);
            for (long sequence = 0; sequence < 20; sequence++)
            {
                _server.Send(Request(raw, sequence));
                reader.ReadAndVerify(_client, sequence);
            }
        }

        private static byte[] Request(EchoMessage message, long sequence)
        {
            var request = new byte[message.RequestLength];
            message.Write(sequence, request);
            return request;
        }
    }
}
