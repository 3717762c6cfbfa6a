using System.Text;
using PSNetLab.Load;
using Xunit;

namespace PSNetLab.Tests.Load
{
    public class EchoMessageTests
    {
        [Fact]
        public void WritesEcholoadsLayout()
        {
            var message = new EchoMessage(20, new byte[0], newline: true);
            var buffer = new byte[message.RequestLength];
            message.Write(0x1f, buffer);
            // 16 hex digits of the sequence, then letters from seq % 26 (31 % 26 = 5: 'f') offset by 16.
            Assert.Equal("000000000000001fvwxy\n", Encoding.ASCII.GetString(buffer));
        }

        [Fact]
        public void ShortMessagesKeepTheLeadingDigits()
        {
            var message = new EchoMessage(4, new byte[0], newline: false);
            var buffer = new byte[4];
            message.Write(7, buffer);
            Assert.Equal("0000", Encoding.ASCII.GetString(buffer));
        }

        [Fact]
        public void MatchesOnlyTheExactEchoWithItsPrefix()
        {
            byte[] prefix = Encoding.ASCII.GetBytes("server get!->");
            var message = new EchoMessage(40, prefix, newline: false);
            var request = new byte[40];
            message.Write(42, request);
            byte[] reply = new byte[prefix.Length + 40];
            prefix.CopyTo(reply, 0);
            request.CopyTo(reply, prefix.Length);

            Assert.True(message.Matches(42, reply, 0, reply.Length));
            Assert.False(message.Matches(43, reply, 0, reply.Length));
            Assert.False(message.Matches(42, reply, 0, reply.Length - 1));

            reply[reply.Length - 1] ^= 1;
            Assert.False(message.Matches(42, reply, 0, reply.Length));
            Assert.True(message.CarriesSequence(42, reply, 0, reply.Length));

            reply[0] = (byte)'S';
            Assert.False(message.CarriesSequence(42, reply, 0, reply.Length));
        }
    }
}
