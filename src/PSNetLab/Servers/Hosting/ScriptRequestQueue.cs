using System;
using System.Collections.Generic;
using System.Threading;

namespace PSNetLab.Servers.Hosting
{
    /// <summary>
    /// The requests waiting for a free lane, first come first served. Bounded: past
    /// <see cref="Capacity"/> a request is refused (and fails) instead of queueing without end.
    /// </summary>
    internal sealed class ScriptRequestQueue
    {
        private readonly Queue<ScriptRequest> _items = new Queue<ScriptRequest>();
        private readonly object _gate = new object();
        private int _waiting;
        private bool _closed;

        public ScriptRequestQueue(int capacity)
        {
            Capacity = capacity;
        }

        public int Capacity { get; }

        /// <summary>Requests that no waiting lane is about to take: more lanes would run them sooner.</summary>
        public bool HasBacklog
        {
            get
            {
                lock (_gate)
                {
                    return _items.Count > _waiting;
                }
            }
        }

        /// <summary>False when the queue is full or closed; <paramref name="backlog"/> as <see cref="HasBacklog"/> after adding.</summary>
        public bool TryAdd(ScriptRequest request, out bool backlog)
        {
            lock (_gate)
            {
                backlog = false;
                if (_closed || _items.Count >= Capacity)
                {
                    return false;
                }

                _items.Enqueue(request);
                if (_waiting > 0)
                {
                    Monitor.Pulse(_gate);
                }

                // A lane woken for an earlier request still counts as waiting until it takes it.
                backlog = _items.Count > _waiting;
                return true;
            }
        }

        /// <summary>
        /// The next request, waiting as long as it takes; null once the queue is closed or
        /// <paramref name="leave"/> says so (checked whenever <see cref="WakeAll"/> is called).
        /// </summary>
        public ScriptRequest? Take(Func<bool> leave)
        {
            lock (_gate)
            {
                while (true)
                {
                    if (_closed || leave())
                    {
                        return null;
                    }

                    if (_items.Count > 0)
                    {
                        return _items.Dequeue();
                    }

                    _waiting++;
                    try
                    {
                        Monitor.Wait(_gate);
                    }
                    finally
                    {
                        _waiting--;
                    }
                }
            }
        }

        /// <summary>Wakes every waiting lane, so one that must leave sees it.</summary>
        public void WakeAll()
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }

        /// <summary>Takes out the requests whose deadline passed while they waited, so they can fail now.</summary>
        public List<ScriptRequest>? TakeExpired(long now)
        {
            List<ScriptRequest>? expired = null;
            lock (_gate)
            {
                if (_items.Count == 0)
                {
                    return null;
                }

                foreach (ScriptRequest request in _items)
                {
                    if (request.Expired(now) && !request.IsFinished)
                    {
                        (expired ??= new List<ScriptRequest>()).Add(request);
                    }
                }
            }

            // They stay queued, finished: a lane that takes one skips it.
            return expired;
        }

        /// <summary>Wakes every waiting lane and hands back what was still queued.</summary>
        public List<ScriptRequest> Close()
        {
            lock (_gate)
            {
                _closed = true;
                var left = new List<ScriptRequest>(_items);
                _items.Clear();
                Monitor.PulseAll(_gate);
                return left;
            }
        }
    }
}
