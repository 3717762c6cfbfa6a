using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using PSNetLab.Servers.Handlers;

namespace PSNetLab.Servers.Hosting
{
    /// <summary>
    /// One request on its way through a ScriptBlock handler: queued, then run by a lane, finished
    /// exactly once by whoever gets there first (the lane, the timeout watch or the server's stop).
    /// The lane completes it inline: the connection goes on (sends the reply, starts the next
    /// receive) on the lane's thread instead of waking a thread-pool thread for that. Other
    /// threads use <see cref="Abandon"/>, which never runs the connection's code on them.
    /// </summary>
    internal sealed class ScriptRequest
    {
        private const int Queued = 0;
        private const int Running = 1;
        private const int Finished = 2;

        private readonly TaskCompletionSource<HandlerReply> _reply = new TaskCompletionSource<HandlerReply>();
        private CancellationTokenRegistration _cancelled;
        private int _state;

        public ScriptRequest(HandlerRequest request, long deadline)
        {
            Request = request;
            Deadline = deadline;
        }

        public HandlerRequest Request { get; }

        /// <summary>A <see cref="Stopwatch"/> timestamp: counted from the call, time spent waiting for a lane included.</summary>
        public long Deadline { get; }

        public Task<HandlerReply> Task => _reply.Task;

        public bool IsFinished => Volatile.Read(ref _state) == Finished;

        public static long DeadlineAfter(TimeSpan timeout)
        {
            long now = Stopwatch.GetTimestamp();
            double ticks = timeout.TotalSeconds * Stopwatch.Frequency;
            return ticks >= long.MaxValue - now ? long.MaxValue : now + (long)ticks;
        }

        /// <summary>Finishes the request when the token fires; <paramref name="stopped"/> then stops it if a lane is running it.</summary>
        public void CancelWith(CancellationToken cancellation, Action<ScriptRequest> stopped)
        {
            if (cancellation.CanBeCanceled)
            {
                _cancelled = cancellation.Register(() =>
                {
                    if (Abandon(new OperationCanceledException("the server stopped")))
                    {
                        stopped(this);
                    }
                });
            }
        }

        /// <summary>A lane takes the request; false when it was finished while it waited.</summary>
        public bool TryStart() => Interlocked.CompareExchange(ref _state, Running, Queued) == Queued;

        /// <summary>From the lane's thread, holding no lock: the caller's continuation may run right here.</summary>
        public bool Complete(HandlerReply reply)
        {
            if (!TryFinish())
            {
                return false;
            }

            _reply.TrySetResult(reply);
            return true;
        }

        /// <summary>As <see cref="Complete"/>: from the lane's thread, holding no lock.</summary>
        public bool Fail(Exception why)
        {
            if (!TryFinish())
            {
                return false;
            }

            _reply.TrySetException(why);
            return true;
        }

        /// <summary>Fails the request from any thread (the timeout watch, a stop, under a lock too): the caller goes on on the thread pool.</summary>
        public bool Abandon(Exception why)
        {
            if (!TryFinish())
            {
                return false;
            }

            ThreadPool.QueueUserWorkItem(state => ((TaskCompletionSource<HandlerReply>)state!).TrySetException(why), _reply);
            return true;
        }

        public bool Expired(long now) => now >= Deadline;

        private bool TryFinish()
        {
            if (Interlocked.Exchange(ref _state, Finished) == Finished)
            {
                return false;
            }

            _cancelled.Dispose();
            return true;
        }
    }
}
