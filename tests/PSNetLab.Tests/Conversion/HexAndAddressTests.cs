using System.Net;
using PSNetLab.Conversion;
using PSNetLab.Errors;
using Xunit;

namespace PSNetLab.Tests.Conversion
{
    public class HexAndAddressTests
    {
        [Theory]
        [InlineData("00 01 23 45")]
        [InlineData("00-01-23-45")]
        [InlineData("00:01:23:45")]
        [InlineData("0x00,0x01,0x23,0x45")]
        [InlineData("0x00012345")]
        [InlineData("00012345")]
        [InlineData("0 1 23 45")]
        public void HexTextInCommonFormsIsRead(string text)
        {
            Assert.Equal(new byte[] { 0x00, 0x01, 0x23, 0x45 }, HexBytes.Parse(text));
        }

        [Theory]
        [InlineData("zz")]
        [InlineData("123")]
        [InlineData("0012 34")]
        [InlineData("   ")]
        public void MalformedHexIsRejected(string text)
        {
            Assert.Equal("NetworkOrderHexInvalid", Assert.Throws<NetLabException>(() => HexBytes.Parse(text)).ErrorId);
        }

        [Fact]
        public void HexFormatsTwoDigitsAByte()
        {
            Assert.Equal("00 01 23 45", HexBytes.Format(new byte[] { 0, 1, 0x23, 0x45 }));
        }

        [Theory]
        [InlineData("192.168.1.1")]
        [InlineData("::1")]
        [InlineData("fe80::1")]
        [InlineData("::ffff:127.0.0.1")]
        public void AddressesParse(string text)
        {
            Assert.Equal(IPAddress.Parse(text), NetworkAddress.Parse(text));
        }

        [Theory]
        [InlineData("192.168.1")]
        [InlineData("3232235777")]
        [InlineData("256.1.1.1")]
        [InlineData("1.2.3.-4")]
        [InlineData("not.an.ip.address")]
        [InlineData("1::2::3")]
        public void NonAddressesAreRejected(string text)
        {
            Assert.Equal("IPAddressInvalid", Assert.Throws<NetLabException>(() => NetworkAddress.Parse(text)).ErrorId);
        }

        [Fact]
        public void InetAddrGivesTheNetworkOrderInteger()
        {
            NetworkOrderResult result = NetworkOrderResult.FromAddress(IPAddress.Parse("192.168.1.1"));

            Assert.Equal(0xC0A80101UL, result.Value);
            Assert.Equal(new byte[] { 192, 168, 1, 1 }, result.NetworkBytes);
#pragma warning disable CS0618 // IPAddress.Address is obsolete, but it is exactly inet_addr's result.
            Assert.Equal((ulong)IPAddress.Parse("192.168.1.1").Address, result.NetworkValue);
#pragma warning restore CS0618
        }

        [Fact]
        public void Ipv6GivesSixteenBytesAndNoInteger()
        {
            NetworkOrderResult result = NetworkOrderResult.FromAddress(IPAddress.IPv6Loopback);

            Assert.Equal(128, result.Width);
            Assert.Equal(16, result.NetworkBytes.Length);
            Assert.Null(result.Value);
            Assert.Null(result.ValueHex);
        }

        [Fact]
        public void AnAddressIsFourOrSixteenBytes()
        {
            Assert.Equal("NetworkOrderByteCountInvalid", Assert.Throws<NetLabException>(() => NetworkAddress.FromBytes(new byte[5])).ErrorId);
        }

        [Fact]
        public void ResultReadsWellAsText()
        {
            if (!System.BitConverter.IsLittleEndian)
            {
                return;
            }

            Assert.Equal(
                "0x00012345 (32-bit): host bytes 45 23 01 00 -> network bytes 00 01 23 45",
                NetworkOrderResult.FromHostValue(0x12345, 32).ToString());
        }
    }
}
