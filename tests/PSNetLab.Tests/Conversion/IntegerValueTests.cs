using System.Numerics;
using PSNetLab.Conversion;
using PSNetLab.Errors;
using Xunit;

namespace PSNetLab.Tests.Conversion
{
    public class IntegerValueTests
    {
        [Fact]
        public void NegativeInt32IsItsBitPattern()
        {
            // PowerShell parses the literal 0xFFFFFFFF as the Int32 -1.
            IntegerValue value = IntegerValue.From(-1);

            Assert.Equal(0xFFFFFFFFUL, value.Bits);
            Assert.Equal(32, value.NaturalWidth);
        }

        [Fact]
        public void NegativeInt16AndInt64KeepTheirOwnSize()
        {
            Assert.Equal(0xFFFFUL, IntegerValue.From((short)-1).Bits);
            Assert.Equal(ulong.MaxValue, IntegerValue.From(-1L).Bits);
        }

        [Theory]
        [InlineData("74565", 0x12345UL)]
        [InlineData("0x12345", 0x12345UL)]
        [InlineData("0XFFFFFFFF", 0xFFFFFFFFUL)]
        [InlineData("12345h", 0x12345UL)]
        [InlineData(" 0x_FFFF_FFFF ", 0xFFFFFFFFUL)]
        [InlineData("18446744073709551615", ulong.MaxValue)]
        public void TextIsDecimalOrHex(string text, ulong expected)
        {
            Assert.Equal(expected, IntegerValue.Parse(text).Bits);
        }

        [Theory]
        [InlineData("hello")]
        [InlineData("0x")]
        [InlineData("1.5")]
        [InlineData("")]
        public void NonIntegersAreRejected(string text)
        {
            NetLabException e = Assert.Throws<NetLabException>(() => IntegerValue.Parse(text));

            Assert.Equal("NetworkOrderValueInvalid", e.ErrorId);
        }

        [Fact]
        public void FractionalDoublesAreRejected()
        {
            Assert.Equal("NetworkOrderValueInvalid", Assert.Throws<NetLabException>(() => IntegerValue.From(1.5)).ErrorId);
            Assert.Equal(3UL, IntegerValue.From(3.0).Bits);
        }

        [Fact]
        public void ValuesBeyond64BitsAreTooLarge()
        {
            BigInteger huge = BigInteger.Pow(2, 64);

            Assert.Equal("NetworkOrderValueTooLarge", Assert.Throws<NetLabException>(() => IntegerValue.From(huge)).ErrorId);
            Assert.Equal("NetworkOrderValueTooLarge", Assert.Throws<NetLabException>(() => IntegerValue.Parse("18446744073709551616")).ErrorId);
        }

        [Theory]
        [InlineData(0xFFFFFFFFUL, 32)]
        [InlineData(0x100000000UL, 64)]
        public void NaturalWidthIs32WhenTheValueFits(ulong bits, int width)
        {
            Assert.Equal(width, new IntegerValue(bits, 64).NaturalWidth);
        }
    }
}
