using System;
using System.Collections.Generic;
using System.Linq;
using PSNetLab.Servers.Hosting;
using Xunit;

namespace PSNetLab.Tests.Servers
{
    public class RingListTests
    {
        [Fact]
        public void DroppingTheOldestAndAppendingKeepsOrderAcrossTheWrap()
        {
            var ring = new RingList<int>(4);
            for (int i = 1; i <= 10; i++)
            {
                if (ring.Count == 4)
                {
                    ring.RemoveAt(0);
                }

                ring.Add(i);
            }

            Assert.Equal(new[] { 7, 8, 9, 10 }, ring.ToArray());
            Assert.Equal(new[] { 7, 8, 9, 10 }, Enumerable.Range(0, ring.Count).Select(i => ring[i]));
        }

        [Fact]
        public void GrowsPastItsFirstCapacityWithoutLosingOrder()
        {
            var ring = new RingList<int>(2);
            ring.Add(0);
            ring.Add(1);
            ring.RemoveAt(0);
            for (int i = 2; i < 40; i++)
            {
                ring.Add(i);
            }

            Assert.Equal(Enumerable.Range(1, 39), ring);
        }

        [Fact]
        public void InsertsAndRemovesInTheMiddleLikeAList()
        {
            var ring = new RingList<string>(3);
            var list = new List<string>();
            foreach (IList<string> target in new IList<string>[] { ring, list })
            {
                target.Add("b");
                target.Add("d");
                target.Insert(0, "a");
                target.Insert(2, "c");
                target.Insert(4, "e");
                target.RemoveAt(3);
                target.Remove("a");
                target[0] = "B";
            }

            Assert.Equal(list, ring);
            Assert.Equal(list.IndexOf("e"), ring.IndexOf("e"));
            bool stillHoldsRemovedItem = ring.Contains("a");
            Assert.False(stillHoldsRemovedItem);
        }

        [Fact]
        public void CopyToAndClearHandleAWrappedRing()
        {
            var ring = new RingList<int>(4);
            for (int i = 0; i < 4; i++)
            {
                ring.Add(i);
            }

            ring.RemoveAt(0);
            ring.RemoveAt(0);
            ring.Add(4);
            ring.Add(5);

            var copy = new int[6];
            ring.CopyTo(copy, 2);
            Assert.Equal(new[] { 0, 0, 2, 3, 4, 5 }, copy);

            ring.Clear();
            Assert.Empty(ring);
            ring.Add(9);
            Assert.Equal(new[] { 9 }, ring);
        }

        [Fact]
        public void OutOfRangeIndexesThrow()
        {
            var ring = new RingList<int>();
            ring.Add(1);
            Assert.Throws<ArgumentOutOfRangeException>(() => ring[1]);
            Assert.Throws<ArgumentOutOfRangeException>(() => ring.RemoveAt(-1));
            Assert.Throws<ArgumentOutOfRangeException>(() => ring.Insert(2, 0));
            Assert.Throws<ArgumentException>(() => ring.CopyTo(new int[1], 1));
        }
    }
}
