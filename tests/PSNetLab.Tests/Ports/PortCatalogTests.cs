using System.Linq;
using PSNetLab.Errors;
using PSNetLab.Ports;
using Xunit;

namespace PSNetLab.Tests.Ports
{
    public class PortCatalogTests
    {
        [Fact]
        public void ServicesLinesParseWithAliasesAndComments()
        {
            WellKnownPort? entry = ServicesFile.ParseLine("http\t\t80/tcp\t\twww\t\t# WorldWideWeb HTTP");

            Assert.NotNull(entry);
            Assert.Equal("http", entry!.Name);
            Assert.Equal(80, entry.Port);
            Assert.Equal(PortProtocol.Tcp, entry.Protocol);
            Assert.Equal(new[] { "www" }, entry.Aliases);
            Assert.Equal("WorldWideWeb HTTP", entry.Description);
            Assert.Equal(PortSource.System, entry.Source);
        }

        [Theory]
        [InlineData("# a comment")]
        [InlineData("")]
        [InlineData("ddp 2/ddp")]
        [InlineData("bad 99999/tcp")]
        [InlineData("bad x/tcp")]
        [InlineData("lonely")]
        public void OtherLinesAreIgnored(string line)
        {
            Assert.Null(ServicesFile.ParseLine(line));
        }

        [Fact]
        public void BuiltInNamesBecomeAliasesOfSystemEntries()
        {
            var system = ServicesFile.Parse(new[] { "domain 53/udp", "ssh 22/tcp" });

            var merged = PortCatalog.Merge(system, BuiltInPorts.Entries);

            WellKnownPort dns = merged.Single(e => e.Port == 53 && e.Protocol == PortProtocol.Udp);
            Assert.Equal(PortSource.System, dns.Source);
            Assert.Contains("DNS", dns.Aliases);
            Assert.Contains(merged, e => e.Port == 3306 && e.Source == PortSource.BuiltIn);
            Assert.Single(merged, e => e.Port == 22 && e.Protocol == PortProtocol.Tcp);
        }

        [Fact]
        public void WithoutASystemFileTheSeedsTableIsThere()
        {
            var merged = PortCatalog.Merge(new WellKnownPort[0], BuiltInPorts.Entries);

            foreach (int port in new[] { 20, 21, 22, 23, 25, 53, 69, 80, 3306 })
            {
                Assert.Contains(merged, e => e.Port == port);
            }

            Assert.Equal(merged.OrderBy(e => e.Port).Select(e => e.Port), merged.Select(e => e.Port));
        }

        [Theory]
        [InlineData(0, PortRange.WellKnown)]
        [InlineData(1023, PortRange.WellKnown)]
        [InlineData(1024, PortRange.Registered)]
        [InlineData(49151, PortRange.Registered)]
        [InlineData(49152, PortRange.Dynamic)]
        [InlineData(65535, PortRange.Dynamic)]
        public void RangesFollowIana(int port, PortRange range)
        {
            Assert.Equal(range, PortNumber.RangeOf(port));
        }

        [Theory]
        [InlineData(-1)]
        [InlineData(65536)]
        public void PortsOutsideTheRangeAreRejected(int port)
        {
            Assert.Equal("PortOutOfRange", Assert.Throws<NetLabException>(() => PortNumber.Validate(port, "Port")).ErrorId);
        }
    }
}
