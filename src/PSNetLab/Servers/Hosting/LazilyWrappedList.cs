using System;
using System.Collections;
using System.Collections.Generic;

namespace PSNetLab.Servers.Hosting
{
    /// <summary>
    /// A list of <typeparamref name="T"/> stored as a <see cref="RingList{T}"/> whose items may also be
    /// appended unwrapped and are wrapped into a <typeparamref name="T"/> (and kept so) when first read.
    /// A server job's log takes its events this way while nobody watches it (<see cref="ServerJob.Record"/>):
    /// a busy server's log keeps its newest thousand events and drops the rest unread, and a PSObject
    /// plus PowerShell's Add per event was a tenth of a saturated server's throughput (bench/NOTES.md).
    /// Not thread-safe: its owner locks around every call, as for <see cref="RingList{T}"/>.
    /// </summary>
    internal sealed class LazilyWrappedList<T> : IList<T>
        where T : class
    {
        private readonly RingList<object> _slots = new RingList<object>();
        private readonly Func<object, T> _wrap;

        /// <param name="wrap">Makes the item an unwrapped value reads as; called at most once per value.</param>
        public LazilyWrappedList(Func<object, T> wrap)
        {
            _wrap = wrap;
        }

        public int Count => _slots.Count;

        public bool IsReadOnly => false;

        public T this[int index]
        {
            get => Wrapped(index);
            set => _slots[index] = value;
        }

        /// <summary>Appends <paramref name="unwrapped"/>, first dropping the oldest items while the list holds <paramref name="capacity"/> or more; returns how many it dropped.</summary>
        public int AppendUnwrapped(object unwrapped, int capacity)
        {
            int dropped = 0;
            while (_slots.Count >= capacity && _slots.Count > 0)
            {
                _slots.RemoveAt(0);
                dropped++;
            }

            _slots.Add(unwrapped);
            return dropped;
        }

        public void Add(T item) => _slots.Add(item);

        public void Insert(int index, T item) => _slots.Insert(index, item);

        public void RemoveAt(int index) => _slots.RemoveAt(index);

        public bool Remove(T item)
        {
            int index = IndexOf(item);
            if (index < 0)
            {
                return false;
            }

            _slots.RemoveAt(index);
            return true;
        }

        public void Clear() => _slots.Clear();

        /// <summary>Compares wrappers, as a List would (wrapping what was not read yet): a rare call, never on a server's path.</summary>
        public int IndexOf(T item)
        {
            EqualityComparer<T> comparer = EqualityComparer<T>.Default;
            for (int i = 0; i < Count; i++)
            {
                if (comparer.Equals(Wrapped(i), item))
                {
                    return i;
                }
            }

            return -1;
        }

        public bool Contains(T item) => IndexOf(item) >= 0;

        public void CopyTo(T[] array, int arrayIndex)
        {
            // Once every slot holds its wrapper, the ring checks the arguments and copies: a T[] is an object[].
            for (int i = 0; i < Count; i++)
            {
                Wrapped(i);
            }

            _slots.CopyTo(array, arrayIndex);
        }

        public IEnumerator<T> GetEnumerator()
        {
            for (int i = 0; i < Count; i++)
            {
                yield return Wrapped(i);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private T Wrapped(int index)
        {
            object slot = _slots[index];
            if (slot == null || slot is T)
            {
                // A null the collection's user put there reads as null, as in any list.
                return (T)slot!;
            }

            T wrapped = _wrap(slot);
            _slots[index] = wrapped;
            return wrapped;
        }
    }
}
