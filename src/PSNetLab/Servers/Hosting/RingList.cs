using System;
using System.Collections;
using System.Collections.Generic;

namespace PSNetLab.Servers.Hosting
{
    /// <summary>
    /// A list stored as a ring, so removing the first item and appending are O(1). A full event log
    /// drops its oldest event on every new one: with a List that is a move of the whole log per event,
    /// which at 1,000 events and 200,000 events/s was the busiest server's largest managed cost.
    /// Not thread-safe: its owner (the server job's <see cref="LazilyWrappedList{T}"/>) locks around every call.
    /// </summary>
    internal sealed class RingList<T> : IList<T>
    {
        private T[] _items;
        private int _head;
        private int _count;

        public RingList(int initialCapacity = 16)
        {
            _items = new T[Math.Max(1, initialCapacity)];
        }

        public int Count => _count;

        public bool IsReadOnly => false;

        public T this[int index]
        {
            get => _items[Slot(CheckedIndex(index))];
            set => _items[Slot(CheckedIndex(index))] = value;
        }

        public void Add(T item) => Insert(_count, item);

        public void Insert(int index, T item)
        {
            if ((uint)index > (uint)_count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"Insert needs an index from 0 to {_count}.");
            }

            if (_count == _items.Length)
            {
                Grow();
            }

            if (index == 0)
            {
                _head = Slot(_items.Length - 1);
            }
            else
            {
                // Items after the insertion point move one slot on; only appends (index == Count) are common.
                for (int i = _count; i > index; i--)
                {
                    _items[Slot(i)] = _items[Slot(i - 1)];
                }
            }

            _items[Slot(index)] = item;
            _count++;
        }

        public void RemoveAt(int index)
        {
            CheckedIndex(index);
            if (index == 0)
            {
                _items[_head] = default!;
                _head = Slot(1);
            }
            else
            {
                for (int i = index; i < _count - 1; i++)
                {
                    _items[Slot(i)] = _items[Slot(i + 1)];
                }

                _items[Slot(_count - 1)] = default!;
            }

            _count--;
        }

        public bool Remove(T item)
        {
            int index = IndexOf(item);
            if (index < 0)
            {
                return false;
            }

            RemoveAt(index);
            return true;
        }

        public void Clear()
        {
            // Cleared slots let the collector have the events at once.
            Array.Clear(_items, 0, _items.Length);
            _head = 0;
            _count = 0;
        }

        public int IndexOf(T item)
        {
            EqualityComparer<T> comparer = EqualityComparer<T>.Default;
            for (int i = 0; i < _count; i++)
            {
                if (comparer.Equals(_items[Slot(i)], item))
                {
                    return i;
                }
            }

            return -1;
        }

        public bool Contains(T item) => IndexOf(item) >= 0;

        public void CopyTo(T[] array, int arrayIndex)
        {
            if (array == null)
            {
                throw new ArgumentNullException(nameof(array));
            }

            if (arrayIndex < 0 || array.Length - arrayIndex < _count)
            {
                throw new ArgumentException($"The array has no room for {_count} items from index {arrayIndex}.", nameof(arrayIndex));
            }

            int firstRun = Math.Min(_count, _items.Length - _head);
            Array.Copy(_items, _head, array, arrayIndex, firstRun);
            Array.Copy(_items, 0, array, arrayIndex + firstRun, _count - firstRun);
        }

        public IEnumerator<T> GetEnumerator()
        {
            for (int i = 0; i < _count; i++)
            {
                yield return _items[Slot(i)];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private int Slot(int index)
        {
            int slot = _head + index;
            return slot >= _items.Length ? slot - _items.Length : slot;
        }

        private int CheckedIndex(int index)
        {
            if ((uint)index >= (uint)_count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The list holds {_count} items.");
            }

            return index;
        }

        private void Grow()
        {
            var larger = new T[_items.Length * 2];
            CopyTo(larger, 0);
            _items = larger;
            _head = 0;
        }
    }
}
