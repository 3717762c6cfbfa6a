using System.Text;
using PSNetLab.Errors;
using PSNetLab.Text;
using Xunit;

namespace PSNetLab.Tests.Text
{
    public class TextEncodingsTests
    {
        [Theory]
        [InlineData("utf-8")]
        [InlineData("UTF8")]
        [InlineData("gbk")]
        [InlineData("big5")]
        [InlineData("latin1")]
        public void ResolvesNames(string name) => Assert.NotNull(TextEncodings.Resolve(name));

        [Fact]
        public void GbkEncodesTheSeedsWords() =>
            Assert.Equal(new byte[] { 0xC4, 0xE3, 0xBA, 0xC3 }, TextEncodings.Resolve("gbk").GetBytes("你好"));

        [Fact]
        public void UnknownNameIsEncodingNotFound()
        {
            NetLabException e = Assert.Throws<NetLabException>(() => TextEncodings.Resolve("no-such"));
            Assert.Equal("EncodingNotFound", e.ErrorId);
        }

        [Fact]
        public void InvalidBytesBecomeReplacementCharacters() =>
            Assert.Equal("\uFFFD\uFFFDA", TextEncodings.Resolve("utf-8").GetString(new byte[] { 0xFF, 0xFE, 0x41 }));

        [Fact]
        public void StrictEncodingsAreMadeTolerant()
        {
            Encoding tolerant = TextEncodings.Tolerant(new UTF8Encoding(false, throwOnInvalidBytes: true));
            Assert.Equal("\uFFFD", tolerant.GetString(new byte[] { 0xFF }));
        }
    }
}
