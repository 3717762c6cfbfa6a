using System;
using System.Net;
using System.Text;
using System.Threading.Tasks;
using PSNetLab.Servers;
using Xunit;

namespace PSNetLab.Tests.Servers
{
    public class EventExcerptTests
    {
        private static readonly IPEndPoint Client = new IPEndPoint(IPAddress.Loopback, 50412);

        [Fact]
        public void ShortPayloadsAreKeptWholeAndDecodedWhenRead()
        {
            byte[] hello = Encoding.UTF8.GetBytes("你好");
            var payload = new ArraySegment<byte>(hello);
            Assert.Equal(hello, EventExcerpt.Bytes(payload));

            var received = new ServerEvent("s", 7, ServerEventKind.Received, Client, bytes: EventExcerpt.Bytes(payload), textEncoding: Encoding.UTF8);
            Assert.Equal("你好", received.Text);
            Assert.Same(received.Text, received.Text);
            Assert.Equal("127.0.0.1:50412# 你好", received.ToString());
        }

        [Fact]
        public void LongPayloadsKeepTheirFirstKibAndTheEventTheFullLength()
        {
            var payload = new ArraySegment<byte>(new byte[16384 + 10], 10, 16384);
            payload.Array![10] = (byte)'a';
            byte[] bytes = EventExcerpt.Bytes(payload);
            Assert.Equal(EventExcerpt.MaxBytes, bytes.Length);
            Assert.Equal((byte)'a', bytes[0]);

            // The handler's text of the whole payload is too long to keep: the event decodes its excerpt instead.
            Assert.Null(EventExcerpt.Text(payload, decoded: new string('a', 16384)));
            var received = new ServerEvent("s", 7, ServerEventKind.Received, Client, EventExcerpt.Text(payload, new string('a', 16384)), bytes, length: payload.Count, textEncoding: Encoding.ASCII);
            Assert.Equal(EventExcerpt.MaxBytes, received.Text!.Length);
            Assert.Equal(16384, received.Length);
            Assert.True(received.IsExcerpt);
            Assert.EndsWith("... (16,384 bytes)", received.ToString());
        }

        [Fact]
        public void AnExcerptCutInsideACharacterEndsWithTheReplacementCharacter()
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(new string('a', EventExcerpt.MaxBytes - 1) + "你");
            var received = new ServerEvent("s", 7, ServerEventKind.Received, Client, bytes: EventExcerpt.Bytes(new ArraySegment<byte>(utf8)), length: utf8.Length, textEncoding: Encoding.UTF8);
            Assert.EndsWith("a\uFFFD", received.Text);
        }

        [Fact]
        public void AHandlersOwnTextIsKeptAndNothingIsDecoded()
        {
            // ASCII cannot carry 你好: the bytes say "??", the handler's text is what it meant.
            var sent = new ServerEvent("s", 7, ServerEventKind.Sent, Client, "你好", Encoding.ASCII.GetBytes("你好"), textEncoding: Encoding.ASCII);
            Assert.Equal("你好", sent.Text);
        }

        [Fact]
        public void EventsWithoutAPayloadHaveNoText()
        {
            var accepted = new ServerEvent("s", 7, ServerEventKind.Accepted, Client, textEncoding: Encoding.UTF8);
            Assert.Null(accepted.Text);
            Assert.Null(new ServerEvent("s", 7, ServerEventKind.Received, Client, bytes: new byte[] { 104, 105 }).Text);
        }

        [Fact]
        public void ReadersOnSeveralThreadsAllGetTheText()
        {
            for (int round = 0; round < 200; round++)
            {
                var received = new ServerEvent("s", 7, ServerEventKind.Received, Client, bytes: Encoding.UTF8.GetBytes("hello 你好"), textEncoding: Encoding.UTF8);
                string?[] texts = new string?[4];
                Parallel.For(0, texts.Length, i => texts[i] = received.Text);
                Assert.All(texts, text => Assert.Equal("hello 你好", text));
            }
        }

        [Fact]
        public void AnEchoReusesItsRequestsExcerptAndAnyOtherReplyGetsItsOwn()
        {
            byte[] buffer = Encoding.UTF8.GetBytes("xhello world");
            var request = new ArraySegment<byte>(buffer, 1, 5);
            MessageExcerpt received = MessageExcerpt.Of(request);
            Assert.Null(received.Text);
            Assert.Equal(Encoding.UTF8.GetBytes("hello"), received.Bytes);

            MessageExcerpt echoed = MessageExcerpt.Of(new ArraySegment<byte>(buffer, 1, 5), "hello", earlier: received);
            Assert.Same(received.Bytes, echoed.Bytes);

            MessageExcerpt other = MessageExcerpt.Of(new ArraySegment<byte>(buffer, 7, 5), "world", earlier: received);
            Assert.Equal("world", other.Text);
            Assert.Equal(Encoding.UTF8.GetBytes("world"), other.Bytes);
            MessageExcerpt sameTextElsewhere = MessageExcerpt.Of(new ArraySegment<byte>(Encoding.UTF8.GetBytes("hello")), earlier: received);
            Assert.NotSame(received.Bytes, sameTextElsewhere.Bytes);
            Assert.NotSame(received.Bytes, MessageExcerpt.Of(request).Bytes);
        }

        [Fact]
        public void WholePayloadEventsReadAsTheSeedsPrintThem()
        {
            var received = new ServerEvent("s", 7, ServerEventKind.Received, Client, "hello", Encoding.ASCII.GetBytes("hello"));
            Assert.Equal(5, received.Length);
            Assert.False(received.IsExcerpt);
            Assert.Equal("127.0.0.1:50412# hello", received.ToString());
        }

        [Fact]
        public void ARecorderGetsTheExcerptsBytesWithTheEncodingAndAnEchoSharesThem()
        {
            var recorder = new LastEventRecorder();
            byte[] buffer = Encoding.UTF8.GetBytes("你好");
            MessageExcerpt received = recorder.RecordMessage(ServerEventKind.Received, Client, new ArraySegment<byte>(buffer), Encoding.UTF8);
            Assert.Null(recorder.LastText);
            Assert.Same(Encoding.UTF8, recorder.LastEncoding);

            recorder.RecordMessage(ServerEventKind.Sent, Client, new ArraySegment<byte>(buffer), Encoding.UTF8, "你好", received);
            Assert.Equal(2, recorder.Count);
            Assert.Same(received.Bytes, recorder.LastBytes);
            Assert.Equal(buffer, recorder.LastBytes);
        }

        private sealed class LastEventRecorder : IServerEventRecorder
        {
            public int Count { get; private set; }

            public string? LastText { get; private set; }

            public byte[]? LastBytes { get; private set; }

            public Encoding? LastEncoding { get; private set; }

            public bool Records(ServerEventKind kind) => true;

            public void Record(ServerEventKind kind, IPEndPoint? remote, string? text = null, byte[]? bytes = null, string? detail = null, int length = -1, DateTime? time = null, Encoding? textEncoding = null)
            {
                Count++;
                LastText = text;
                LastBytes = bytes;
                LastEncoding = textEncoding;
            }
        }
    }
}
