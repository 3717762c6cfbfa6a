using System;
using PSNetLab.Text;
using Xunit;

namespace PSNetLab.Tests.Text
{
    public class StrftimeTests
    {
        private static readonly DateTimeOffset Time = new DateTimeOffset(2024, 3, 7, 14, 5, 9, TimeSpan.FromHours(8));

        [Theory]
        [InlineData("%Y-%m-%d %X", "2024-03-07 14:05:09")]
        [InlineData("", "2024-03-07 14:05:09")]
        [InlineData("%H:%M:%S", "14:05:09")]
        [InlineData("%I:%M %p", "02:05 PM")]
        [InlineData("%a %A %b %B", "Thu Thursday Mar March")]
        [InlineData("%c", "Thu Mar  7 14:05:09 2024")]
        [InlineData("%F %T", "2024-03-07 14:05:09")]
        [InlineData("%x", "03/07/24")]
        [InlineData("%j %u %w %y %C", "067 4 4 24 20")]
        [InlineData("%z", "+0800")]
        [InlineData("100%%", "100%")]
        [InlineData("%q stays", "%q stays")]
        [InlineData("trailing %", "trailing %")]
        public void FormatsLikeC(string format, string expected) => Assert.Equal(expected, Strftime.Format(format, Time));

        [Fact]
        public void UnixSeconds() => Assert.Equal(Time.ToUnixTimeSeconds().ToString(), Strftime.Format("%s", Time));
    }
}
