using System;
using PSNetLab.Conversion;
using PSNetLab.Errors;
using Xunit;

namespace PSNetLab.Tests.Conversion
{
    public class ByteOrderTests
    {
        public static TheoryData<ulong, int> EdgeValues()
        {
            var data = new TheoryData<ulong, int>();
            foreach (int width in ByteOrder.Widths)
            {
                ulong max = ByteOrder.MaxValue(width);
                foreach (ulong value in new[] { 0UL, 1UL, 0x80UL, 0xFFUL, 0x100UL, max >> 1, (max >> 1) + 1, max - 1, max })
                {
                    data.Add(value, width);
                }
            }

            data.Add(0x12345UL, 32);
            data.Add(0x0102030405060708UL, 64);
            return data;
        }

        [Theory]
        [MemberData(nameof(EdgeValues))]
        public void HostToNetworkRoundTripsAtEveryWidth(ulong value, int width)
        {
            ulong network = ByteOrder.HostToNetwork(value, width);

            Assert.Equal(value, ByteOrder.NetworkToHost(network, width));
            Assert.True(network <= ByteOrder.MaxValue(width));
        }

        [Theory]
        [MemberData(nameof(EdgeValues))]
        public void NetworkBytesRoundTripAtEveryWidth(ulong value, int width)
        {
            byte[] bytes = ByteOrder.ToNetworkBytes(value, width);

            Assert.Equal(width / 8, bytes.Length);
            Assert.Equal(value, ByteOrder.FromNetworkBytes(bytes));
        }

        [Fact]
        public void TheTutorialExampleSwapsAsHtonlDoes()
        {
            Assert.Equal(new byte[] { 0x00, 0x01, 0x23, 0x45 }, ByteOrder.ToNetworkBytes(0x12345, 32));
            if (BitConverter.IsLittleEndian)
            {
                Assert.Equal(0x45230100UL, ByteOrder.HostToNetwork(0x12345, 32));
                Assert.Equal(new byte[] { 0x45, 0x23, 0x01, 0x00 }, ByteOrder.ToHostBytes(0x12345, 32));
            }
        }

        [Fact]
        public void HostBytesOfTheNetworkValueAreTheNetworkBytes()
        {
            ulong network = ByteOrder.HostToNetwork(0xC0A80101, 32);

            Assert.Equal(new byte[] { 192, 168, 1, 1 }, ByteOrder.ToHostBytes(network, 32));
        }

        [Theory]
        [InlineData(16, 0x1234UL, 0x3412UL)]
        [InlineData(32, 0x12345678UL, 0x78563412UL)]
        [InlineData(64, 0x0102030405060708UL, 0x0807060504030201UL)]
        public void SwapReversesBytesWithinTheWidth(int width, ulong value, ulong swapped)
        {
            Assert.Equal(swapped, ByteOrder.Swap(value, width));
        }

        [Theory]
        [InlineData(0x10000UL, 16)]
        [InlineData(0x100000000UL, 32)]
        public void ValueTooLargeForWidthIsRejected(ulong value, int width)
        {
            NetLabException e = Assert.Throws<NetLabException>(() => ByteOrder.EnsureFits(value, width, value));

            Assert.Equal("NetworkOrderValueTooLarge", e.ErrorId);
        }

        [Theory]
        [InlineData(8)]
        [InlineData(24)]
        [InlineData(128)]
        public void OtherWidthsAreRejected(int width)
        {
            NetLabException e = Assert.Throws<NetLabException>(() => ByteOrder.Swap(1, width));

            Assert.Equal("NetworkOrderWidthInvalid", e.ErrorId);
        }

        [Fact]
        public void ThreeBytesAreNotAnInteger()
        {
            NetLabException e = Assert.Throws<NetLabException>(() => ByteOrder.FromNetworkBytes(new byte[3]));

            Assert.Equal("NetworkOrderWidthInvalid", e.ErrorId);
        }
    }
}
