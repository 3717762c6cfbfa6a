using System;
using System.Collections.Generic;
using System.Net;
using System.Text;
using PSNetLab.Errors;
using PSNetLab.Servers;
using PSNetLab.Servers.Handlers;
using PSNetLab.Text;
using Xunit;

namespace PSNetLab.Tests.Servers
{
    public class HandlerTests
    {
        private static HandlerRequest Request(string text, Encoding? encoding = null)
        {
            Encoding e = encoding ?? TextEncodings.Utf8;
            return new HandlerRequest(new ArraySegment<byte>(e.GetBytes(text)), new IPEndPoint(IPAddress.Loopback, 50412), new IPEndPoint(IPAddress.Loopback, 9000), e, ServerProtocol.Udp);
        }

        private static string ReplyText(HandlerReply reply) => TextEncodings.Utf8.GetString(reply.Bytes.Array!, reply.Bytes.Offset, reply.Bytes.Count);

        [Fact]
        public void EchoPutsThePrefixAndMessageInOneBuffer()
        {
            HandlerReply reply = new EchoHandler("server get!->").Handle(Request("hello"));
            Assert.Equal("server get!->hello", ReplyText(reply));
        }

        [Fact]
        public void EchoWithoutPrefixSendsTheReceivedBytes()
        {
            HandlerRequest request = Request("abc");
            HandlerReply reply = new EchoHandler(null).Handle(request);
            Assert.Same(request.Payload.Array, reply.Bytes.Array);
        }

        [Theory]
        [InlineData("hello", "你好")]
        [InlineData("World\n", "世界")]
        [InlineData("LOVE", "爱")]
        [InlineData("cat", "cat")]
        public void DictionaryTranslatesTheSeedsWords(string word, string expected) =>
            Assert.Equal(expected, ReplyText(new DictionaryHandler().Handle(Request(word))));

        [Fact]
        public void DictionaryTakesUserWords()
        {
            var handler = new DictionaryHandler(new[] { new KeyValuePair<string, string>("cat", "猫") });
            Assert.Equal("猫", ReplyText(handler.Handle(Request("cat"))));
            Assert.Equal("hello", ReplyText(handler.Handle(Request("hello"))));
        }

        [Fact]
        public void TimeFormatsTheRequestWithStrftime()
        {
            var handler = new TimeHandler(() => new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));
            Assert.Equal("2024-01-02 03:04:05", ReplyText(handler.Handle(Request(""))));
            Assert.Equal("2024", ReplyText(handler.Handle(Request("%Y\n"))));
        }

        [Fact]
        public void DiscardNeverReplies() => Assert.True(new DiscardHandler().Handle(Request("x")).IsNone);

        [Fact]
        public void BuiltInsAreFoundByNameAndUnknownNamesFail()
        {
            Assert.IsType<TimeHandler>(BuiltInHandlers.Create("time"));
            NetLabException e = Assert.Throws<NetLabException>(() => BuiltInHandlers.Create("nope"));
            Assert.Equal("ServerHandlerNotFound", e.ErrorId);
        }

        [Fact]
        public void RequestKeepsBytesWhenTextHasReplacementCharacters()
        {
            var request = new HandlerRequest(new ArraySegment<byte>(new byte[] { 0xFF, 0x41 }), new IPEndPoint(IPAddress.Loopback, 1), new IPEndPoint(IPAddress.Loopback, 2), TextEncodings.Utf8, ServerProtocol.Udp);
            Assert.Equal("\uFFFDA", request.Text);
            Assert.Equal(new byte[] { 0xFF, 0x41 }, request.Bytes);
            Assert.Equal("127.0.0.1:1# \uFFFDA", request.ToString());
        }
    }
}
