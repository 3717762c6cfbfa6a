using System;
using PSNetLab.Load;
using Xunit;

namespace PSNetLab.Tests.Load
{
    public class LatencyHistogramTests
    {
        [Fact]
        public void IsExactBelow64Microseconds()
        {
            var histogram = new LatencyHistogram();
            for (int i = 1; i <= 50; i++)
            {
                histogram.Record(i);
            }

            Assert.Equal(25, histogram.Percentile(0.5));
            Assert.Equal(45, histogram.Percentile(0.9));
            Assert.Equal(50, histogram.Percentile(0.99));
            Assert.Equal(50, histogram.Max);
        }

        [Theory]
        [InlineData(64)]
        [InlineData(100)]
        [InlineData(12_345)]
        [InlineData(2_000_000)]
        [InlineData(123_456_789)]
        public void StaysWithinOnePointSixPercent(long microseconds)
        {
            long middle = LatencyHistogram.MiddleOf(LatencyHistogram.IndexOf(microseconds));
            Assert.InRange(Math.Abs(middle - microseconds) / (double)microseconds, 0, 0.016);
        }

        [Fact]
        public void BucketsAreInOrderAndCoverEveryValue()
        {
            int previous = -1;
            for (long value = 0; value < 1L << 20; value += 1 + (value / 50))
            {
                int index = LatencyHistogram.IndexOf(value);
                Assert.True(index >= previous, $"index of {value} went backwards");
                previous = index;
            }
        }

        [Fact]
        public void ClampsHugeAndNegativeValuesAndMerges()
        {
            var a = new LatencyHistogram();
            var b = new LatencyHistogram();
            a.Record(-5);
            b.Record(long.MaxValue);
            a.Add(b);
            Assert.Equal(2, a.Count);
            Assert.Equal(0, a.Percentile(0.5));
            Assert.Equal(a.Max, a.Percentile(1.0));
            Assert.Equal(0, new LatencyHistogram().Percentile(0.99));
        }
    }
}
