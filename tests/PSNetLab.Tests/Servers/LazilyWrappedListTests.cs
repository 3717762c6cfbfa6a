using System;
using System.Collections.Generic;
using System.Linq;
using PSNetLab.Servers.Hosting;
using Xunit;

namespace PSNetLab.Tests.Servers
{
    /// <summary>The store of a server job's log: events appended unwrapped get their wrapper when first read, once.</summary>
    public class LazilyWrappedListTests
    {
        private int _wraps;

        [Fact]
        public void UnwrappedItemsReadAsWrappersMadeOnceOnFirstRead()
        {
            LazilyWrappedList<string> list = NewList();
            list.AppendUnwrapped(1, capacity: 10);
            list.AppendUnwrapped(2, capacity: 10);
            Assert.Equal(0, _wraps);

            string first = list[0];
            Assert.Equal("#1", first);
            Assert.Same(first, list[0]);
            Assert.Equal(1, _wraps);

            Assert.Equal(new[] { "#1", "#2" }, list.ToArray());
            Assert.Equal(2, _wraps);
        }

        [Fact]
        public void AddedAndUnwrappedItemsKeepTheirOrder()
        {
            LazilyWrappedList<string> list = NewList();
            list.Add("a");
            list.AppendUnwrapped(1, capacity: 10);
            list.Add("b");
            list.AppendUnwrapped(2, capacity: 10);

            Assert.Equal(new[] { "a", "#1", "b", "#2" }, list);

            var copy = new string[5];
            list.CopyTo(copy, 1);
            Assert.Equal(new[] { null, "a", "#1", "b", "#2" }, copy);
        }

        [Fact]
        public void AFullListDropsItsOldestItemsAndSaysHowMany()
        {
            LazilyWrappedList<string> list = NewList();
            list.Add("a");
            list.Add("b");
            list.Add("c");

            Assert.Equal(2, list.AppendUnwrapped(1, capacity: 2));
            Assert.Equal(0, list.AppendUnwrapped(2, capacity: 3));
            Assert.Equal(1, list.AppendUnwrapped(3, capacity: 3));

            Assert.Equal(new[] { "#1", "#2", "#3" }, list);
            Assert.Equal(3, list.AppendUnwrapped(4, capacity: 1));
            Assert.Equal(new[] { "#4" }, list);
        }

        [Fact]
        public void AnItemIsFoundOnlyOnceItHasItsWrapper()
        {
            LazilyWrappedList<string> list = NewList();
            list.AppendUnwrapped(1, capacity: 10);
            list.Add("b");

            Assert.Equal(1, list.IndexOf("b"));
            Assert.True(list.Remove("b"));
            string one = list[0];
            Assert.Equal(0, list.IndexOf(one));
            Assert.Contains(one, list);

            list.Clear();
            Assert.Empty(list);
        }

        [Fact]
        public void FindsAnItemNotReadYetByEquality()
        {
            LazilyWrappedList<string> list = NewList();
            list.AppendUnwrapped(1, capacity: 10);
            list.AppendUnwrapped(2, capacity: 10);

            Assert.Equal(1, list.IndexOf(new string("#2".ToCharArray())));
            Assert.True(list.Remove("#1"));
            Assert.Equal(new[] { "#2" }, list);
        }

        [Fact]
        public void ANullItemReadsAsNull()
        {
            LazilyWrappedList<string> list = NewList();
            list.AppendUnwrapped(1, capacity: 10);
            list.Add(null!);
            list.AppendUnwrapped(2, capacity: 10);

            Assert.Equal(new[] { "#1", null, "#2" }, list);
            Assert.Null(list[1]);
            Assert.Equal(1, list.IndexOf(null!));
        }

        [Fact]
        public void WorksAsTheListPowerShellsCollectionCallsIt()
        {
            IList<string> list = NewList();
            list.Insert(0, "b");
            list.Insert(0, "a");
            list[1] = "B";
            list.RemoveAt(0);

            Assert.Equal(new[] { "B" }, list);
            Assert.False(list.IsReadOnly);
            Assert.Throws<ArgumentOutOfRangeException>(() => list[1]);
            Assert.Throws<ArgumentException>(() => list.CopyTo(new string[1], 1));
        }

        private LazilyWrappedList<string> NewList() => new LazilyWrappedList<string>(unwrapped =>
        {
            _wraps++;
            return "#" + unwrapped;
        });
    }
}
