using System;
using System.Net;
using System.Text;
using PSNetLab.Servers;
using Xunit;

namespace PSNetLab.Tests.Servers
{
    public class EventExcerptTests
    {
        [Fact]
        public void ShortPayloadsAreKeptWhole()
        {
            byte[] hello = Encoding.UTF8.GetBytes("你好");
            var payload = new ArraySegment<byte>(hello);
            Assert.Equal(hello, EventExcerpt.Bytes(payload));
            Assert.Equal("你好", EventExcerpt.Text(payload, Encoding.UTF8));
        }

        [Fact]
        public void LongPayloadsKeepTheirFirstKibAndTheEventTheFullLength()
        {
            var payload = new ArraySegment<byte>(new byte[16384 + 10], 10, 16384);
            payload.Array![10] = (byte)'a';
            byte[] bytes = EventExcerpt.Bytes(payload);
            string text = EventExcerpt.Text(payload, Encoding.ASCII, decoded: new string('a', 16384));
            Assert.Equal(EventExcerpt.MaxBytes, bytes.Length);
            Assert.Equal((byte)'a', bytes[0]);
            Assert.Equal(EventExcerpt.MaxBytes, text.Length);

            var received = new ServerEvent("s", 7, ServerEventKind.Received, new IPEndPoint(IPAddress.Loopback, 50412), text, bytes, length: payload.Count);
            Assert.Equal(16384, received.Length);
            Assert.True(received.IsExcerpt);
            Assert.EndsWith("... (16,384 bytes)", received.ToString());
        }

        [Fact]
        public void AnEchoReusesItsRequestsExcerptAndAnyOtherReplyGetsItsOwn()
        {
            byte[] buffer = Encoding.UTF8.GetBytes("xhello world");
            var request = new ArraySegment<byte>(buffer, 1, 5);
            MessageExcerpt received = MessageExcerpt.Of(request, Encoding.UTF8);
            Assert.Equal("hello", received.Text);

            MessageExcerpt echoed = MessageExcerpt.Of(new ArraySegment<byte>(buffer, 1, 5), Encoding.UTF8, earlier: received);
            Assert.Same(received.Bytes, echoed.Bytes);
            Assert.Same(received.Text, echoed.Text);

            MessageExcerpt other = MessageExcerpt.Of(new ArraySegment<byte>(buffer, 7, 5), Encoding.UTF8, earlier: received);
            Assert.Equal("world", other.Text);
            MessageExcerpt sameTextElsewhere = MessageExcerpt.Of(new ArraySegment<byte>(Encoding.UTF8.GetBytes("hello")), Encoding.UTF8, earlier: received);
            Assert.NotSame(received.Bytes, sameTextElsewhere.Bytes);
            Assert.NotSame(received.Bytes, MessageExcerpt.Of(request, Encoding.UTF8).Bytes);
        }

        [Fact]
        public void WholePayloadEventsReadAsTheSeedsPrintThem()
        {
            var received = new ServerEvent("s", 7, ServerEventKind.Received, new IPEndPoint(IPAddress.Loopback, 50412), "hello", Encoding.ASCII.GetBytes("hello"));
            Assert.Equal(5, received.Length);
            Assert.False(received.IsExcerpt);
            Assert.Equal("127.0.0.1:50412# hello", received.ToString());
        }

        [Fact]
        public void ARecorderOfBytesOnlyGetsNoTextAndAnEchoStillSharesItsExcerpt()
        {
            var recorder = new BytesOnlyRecorder();
            byte[] buffer = Encoding.UTF8.GetBytes("你好");
            var remote = new IPEndPoint(IPAddress.Loopback, 50412);
            MessageExcerpt received = recorder.RecordMessage(ServerEventKind.Received, remote, new ArraySegment<byte>(buffer), Encoding.UTF8);
            recorder.RecordMessage(ServerEventKind.Sent, remote, new ArraySegment<byte>(buffer), Encoding.UTF8, "你好", received);

            Assert.Equal(2, recorder.Count);
            Assert.Null(recorder.LastText);
            Assert.Same(received.Bytes, recorder.LastBytes);
            Assert.Equal(buffer, recorder.LastBytes);
        }

        private sealed class BytesOnlyRecorder : IServerEventRecorder
        {
            public int Count { get; private set; }

            public string? LastText { get; private set; }

            public byte[]? LastBytes { get; private set; }

            public bool RecordsBytesOnly => true;

            public bool Records(ServerEventKind kind) => true;

            public void Record(ServerEventKind kind, IPEndPoint? remote, string? text = null, byte[]? bytes = null, string? detail = null, int length = -1, DateTime? time = null)
            {
                Count++;
                LastText = text;
                LastBytes = bytes;
            }
        }
    }
}
