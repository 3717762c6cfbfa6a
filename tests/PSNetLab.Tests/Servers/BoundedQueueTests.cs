using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSNetLab.Servers;
using Xunit;

namespace PSNetLab.Tests.Servers
{
    public class BoundedQueueTests
    {
        [Fact]
        public void KeepsTheNewestAndCountsDrops()
        {
            using var queue = new BoundedQueue<int>(3);
            for (int i = 1; i <= 10; i++)
            {
                queue.Add(i);
            }

            var items = new List<int>();
            Assert.Equal(3, queue.TakeAll(items));
            Assert.Equal(new[] { 8, 9, 10 }, items);
            Assert.Equal(7, queue.Dropped);
            Assert.Equal(0, queue.Count);
        }

        [Fact]
        public void WaitReturnsWhenAnItemArrives()
        {
            using var queue = new BoundedQueue<string>(4);
            Task.Run(async () =>
            {
                await Task.Delay(50);
                queue.Add("x");
            });
            Assert.True(queue.WaitForItems(TimeSpan.FromSeconds(5), CancellationToken.None));
        }

        [Fact]
        public void WaitEndsOnTimeoutAndCancellation()
        {
            using var queue = new BoundedQueue<string>(4);
            Assert.False(queue.WaitForItems(TimeSpan.FromMilliseconds(20), CancellationToken.None));
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            Assert.False(queue.WaitForItems(TimeSpan.FromSeconds(5), cancelled.Token));
        }

        [Fact]
        public void StaysBoundedUnderConcurrentWriters()
        {
            using var queue = new BoundedQueue<int>(100);
            Parallel.For(0, 100_000, i => queue.Add(i));
            Assert.Equal(100, queue.Count);
            Assert.Equal(100_000 - 100, queue.Dropped);
        }

        [Fact]
        public void RejectsZeroCapacity() => Assert.Throws<ArgumentOutOfRangeException>(() => new BoundedQueue<int>(0));
    }
}
