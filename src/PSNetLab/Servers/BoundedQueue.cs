using System;
using System.Collections.Generic;
using System.Threading;

namespace PSNetLab.Servers
{
    /// <summary>
    /// A queue between a socket thread and the pipeline thread that keeps the newest
    /// <see cref="Capacity"/> items: when full, the oldest is dropped and counted.
    /// </summary>
    public sealed class BoundedQueue<T> : IDisposable
    {
        private readonly T[] _items;
        private readonly object _gate = new object();
        private readonly SemaphoreSlim _available = new SemaphoreSlim(0, 1);
        private int _head;
        private int _count;
        private long _dropped;

        public BoundedQueue(int capacity)
        {
            if (capacity < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A bounded queue holds at least one item.");
            }

            _items = new T[capacity];
        }

        public int Capacity => _items.Length;

        public int Count
        {
            get { lock (_gate) { return _count; } }
        }

        public long Dropped => Interlocked.Read(ref _dropped);

        public void Add(T item)
        {
            lock (_gate)
            {
                int tail = (_head + _count) % _items.Length;
                _items[tail] = item;
                if (_count == _items.Length)
                {
                    _head = (_head + 1) % _items.Length;
                    Interlocked.Increment(ref _dropped);
                }
                else
                {
                    _count++;
                }
            }

            Signal();
        }

        /// <summary>Moves everything queued into <paramref name="into"/>, oldest first; returns how many.</summary>
        public int TakeAll(ICollection<T> into)
        {
            lock (_gate)
            {
                int taken = _count;
                for (; _count > 0; _count--)
                {
                    into.Add(_items[_head]);
                    _items[_head] = default!;
                    _head = (_head + 1) % _items.Length;
                }

                return taken;
            }
        }

        /// <summary>Waits until something is queued, the timeout passes or the token is cancelled; true when items are queued.</summary>
        public bool WaitForItems(TimeSpan timeout, CancellationToken cancellation)
        {
            if (Count > 0)
            {
                return true;
            }

            try
            {
                _available.Wait(timeout, cancellation);
            }
            catch (OperationCanceledException)
            {
                return Count > 0;
            }

            return Count > 0;
        }

        public void Dispose() => _available.Dispose();

        private void Signal()
        {
            // A binary semaphore: one pending release is enough to wake the single reader.
            try
            {
                if (_available.CurrentCount == 0)
                {
                    _available.Release();
                }
            }
            catch (SemaphoreFullException)
            {
                // Another writer released it between the check and the release: the reader wakes either way.
            }
            catch (ObjectDisposedException)
            {
                // The reader is gone; nobody is waiting.
            }
        }
    }
}
