using System;

namespace PSNetLab.Load
{
    /// <summary>
    /// Latencies in microseconds, log-linear: exact below 64 µs, then 64 buckets per power of two
    /// (under 1.6 % error, like echoload's), up to 2^34 µs. Fixed size whatever the run length, and
    /// one per worker thread, so recording never locks; the run merges them at the end.
    /// </summary>
    public sealed class LatencyHistogram
    {
        private const int SubBucketBits = 6;
        private const int SubBuckets = 1 << SubBucketBits;
        private const int MaxExponent = 34;
        private const long MaxValue = (1L << MaxExponent) - 1;
        private readonly long[] _counts = new long[SubBuckets + ((MaxExponent - SubBucketBits) * SubBuckets)];

        public long Count { get; private set; }

        public long Max { get; private set; }

        public void Record(long microseconds)
        {
            long value = microseconds < 0 ? 0 : microseconds > MaxValue ? MaxValue : microseconds;
            _counts[IndexOf(value)]++;
            Count++;
            if (value > Max)
            {
                Max = value;
            }
        }

        public void Add(LatencyHistogram other)
        {
            for (int i = 0; i < _counts.Length; i++)
            {
                _counts[i] += other._counts[i];
            }

            Count += other.Count;
            Max = Math.Max(Max, other.Max);
        }

        /// <summary>The latency that <paramref name="fraction"/> of requests stayed under (the bucket's middle); 0 when empty.</summary>
        public long Percentile(double fraction)
        {
            if (Count == 0)
            {
                return 0;
            }

            long rank = Math.Max(1, (long)Math.Ceiling(fraction * Count));
            if (rank >= Count)
            {
                return Max;   // the slowest request is known exactly
            }

            long seen = 0;
            for (int i = 0; i < _counts.Length; i++)
            {
                seen += _counts[i];
                if (seen >= rank)
                {
                    return Math.Min(MiddleOf(i), Max);
                }
            }

            return Max;
        }

        internal static int IndexOf(long value)
        {
            if (value < SubBuckets)
            {
                return (int)value;
            }

            int exponent = HighestBit(value);
            int shift = exponent - SubBucketBits;
            int sub = (int)(value >> shift) - SubBuckets;
            return SubBuckets + (shift * SubBuckets) + sub;
        }

        internal static long MiddleOf(int index)
        {
            if (index < SubBuckets)
            {
                return index;
            }

            int shift = (index - SubBuckets) / SubBuckets;
            long low = (long)(SubBuckets + ((index - SubBuckets) % SubBuckets)) << shift;
            return low + ((1L << shift) >> 1);
        }

        private static int HighestBit(long value)
        {
            int bit = 0;
            while ((value >>= 1) != 0)
            {
                bit++;
            }

            return bit;
        }
    }
}
