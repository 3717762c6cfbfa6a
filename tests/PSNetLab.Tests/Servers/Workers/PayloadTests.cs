using System;
using System.IO;
using System.Linq;
using System.Text;
using PSNetLab.Servers.Tcp.Workers;
using Xunit;

namespace PSNetLab.Tests.Servers.Workers
{
    public class PayloadTests
    {
        private static readonly string LongText = string.Concat(Enumerable.Repeat("你好, lab ", 40));

        [Fact]
        public void TheWriterWritesWhatBinaryWriterWrites()
        {
            var expected = new MemoryStream();
            using (var binary = new BinaryWriter(expected, new UTF8Encoding(false, true)))
            {
                binary.Write(-2);
                binary.Write(long.MinValue + 5);
                binary.Write((byte)200);
                binary.Write(true);
                binary.Write(false);
                binary.Write(true);
                binary.Write("hi");
                binary.Write(true);
                binary.Write(LongText);
                binary.Write(-1);
                binary.Write(3);
                binary.Write(new byte[] { 1, 2, 3 });
            }

            using (var writer = new PayloadWriter())
            {
                writer.Int(-2).Long(long.MinValue + 5).Byte(200).Bool(true).Text(null).Text("hi").Text(LongText).Bytes(null).Bytes(new byte[] { 1, 2, 3 });
                Assert.Equal(expected.ToArray(), writer.ToFrame(ControlMessageKind.Done).Payload);
            }
        }

        [Fact]
        public void TheReaderReadsBackEveryField()
        {
            var writer = new PayloadWriter();
            writer.Int(int.MinValue).Long(-1).Byte(7).Bool(false).Text(null).Text(string.Empty).Text(LongText).Bytes(null).Bytes(new byte[0]).Duration(TimeSpan.FromMilliseconds(1.5));
            (int, long, byte, bool, string?, string?, string?, byte[]?, byte[]?, TimeSpan, bool) read = PayloadReader.Decode(
                writer.ToFrame(ControlMessageKind.Done),
                ControlMessageKind.Done,
                r => (r.Int(), r.Long(), r.Byte(), r.Bool(), r.Text(), r.Text(), r.Text(), r.Bytes(), r.Bytes(), r.Duration(), r.AtEnd));
            Assert.Equal((int.MinValue, -1L, (byte)7, false, (string?)null, string.Empty, LongText), (read.Item1, read.Item2, read.Item3, read.Item4, read.Item5, read.Item6, read.Item7));
            Assert.Null(read.Item8);
            Assert.Empty(read.Item9!);
            Assert.Equal(TimeSpan.FromMilliseconds(1.5), read.Item10);
            Assert.True(read.Item11);
        }

        [Fact]
        public void AClearedWriterWritesTheNextMessageFromTheStart()
        {
            var writer = new PayloadWriter();
            writer.Text(LongText).Bytes(new byte[5000]);
            writer.Clear();
            writer.Int(1).Text("x");
            Assert.Equal(new PayloadWriter().Int(1).Text("x").ToFrame(ControlMessageKind.Done).Payload, writer.ToFrame(ControlMessageKind.Done).Payload);
        }

        [Theory]
        [InlineData(new byte[] { 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
        [InlineData(new byte[] { 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
        [InlineData(new byte[] { 1, 5, (byte)'a', (byte)'b' })]
        [InlineData(new byte[] { 1 })]
        public void AStringWithAMalformedOrOverlongLengthIsRefused(byte[] payload)
        {
            Assert.Throws<InvalidDataException>(() => PayloadReader.Decode(new ControlFrame(ControlMessageKind.Done, payload), ControlMessageKind.Done, r => r.Text()));
        }

        [Fact]
        public void LocalTimesMatchTheZonesRulesAcrossDaylightSavingChanges()
        {
            // A zone of its own, so the test does not depend on the machine's: +1 h, +2 h from the last Sunday of March to the last of October.
            TimeZoneInfo.AdjustmentRule rule = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
                DateTime.MinValue.Date,
                DateTime.MaxValue.Date,
                TimeSpan.FromHours(1),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 3, 5, DayOfWeek.Sunday),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 3, 0, 0), 10, 5, DayOfWeek.Sunday));
            TimeZoneInfo zone = TimeZoneInfo.CreateCustomTimeZone("PSNetLab test zone", TimeSpan.FromHours(1), "test", "test", "test dst", new[] { rule });
            var converter = new LocalTimeConverter(zone);
            var changes = new[] { new DateTime(2026, 3, 29, 1, 0, 0, DateTimeKind.Utc), new DateTime(2026, 10, 25, 1, 0, 0, DateTimeKind.Utc) };
            foreach (DateTime change in changes)
            {
                for (long ticks = -TimeSpan.TicksPerMinute * 3; ticks <= TimeSpan.TicksPerMinute * 3; ticks += TimeSpan.TicksPerSecond * 7)
                {
                    DateTime utc = change.AddTicks(ticks);
                    Assert.Equal(TimeZoneInfo.ConvertTimeFromUtc(utc, zone), converter.ToLocal(utc));
                }
            }

            Assert.Equal(DateTimeKind.Local, converter.ToLocal(DateTime.UtcNow).Kind);
        }
    }
}
