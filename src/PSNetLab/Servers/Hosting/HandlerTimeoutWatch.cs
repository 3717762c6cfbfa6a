using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace PSNetLab.Servers.Hosting
{
    /// <summary>
    /// -HandlerTimeout for every request of one handler with one timer: a few checks per timeout
    /// period instead of a Timer created and disposed per message. A request is stopped between
    /// its deadline and one check period later.
    /// </summary>
    internal sealed class HandlerTimeoutWatch : IDisposable
    {
        private static readonly TimeSpan ShortestPeriod = TimeSpan.FromMilliseconds(10);
        private static readonly TimeSpan LongestPeriod = TimeSpan.FromMilliseconds(250);

        private readonly Func<IReadOnlyList<ScriptLane>> _lanes;
        private readonly ScriptRequestQueue _queue;
        private readonly Func<Exception> _timedOut;
        private readonly Timer _timer;
        private int _checking;

        public HandlerTimeoutWatch(TimeSpan timeout, Func<IReadOnlyList<ScriptLane>> lanes, ScriptRequestQueue queue, Func<Exception> timedOut)
        {
            _lanes = lanes;
            _queue = queue;
            _timedOut = timedOut;
            TimeSpan period = TimeSpan.FromTicks(Math.Max(ShortestPeriod.Ticks, Math.Min(LongestPeriod.Ticks, timeout.Ticks / 8)));
            _timer = new Timer(_ => Check(), null, period, period);
        }

        public void Dispose() => _timer.Dispose();

        private void Check()
        {
            // A slow check (a machine under load) is not run twice at once.
            if (Interlocked.Exchange(ref _checking, 1) == 1)
            {
                return;
            }

            try
            {
                long now = Stopwatch.GetTimestamp();
                foreach (ScriptLane lane in _lanes())
                {
                    lane.StopIfOverdue(now, _timedOut);
                }

                List<ScriptRequest>? waited = _queue.TakeExpired(now);
                if (waited != null)
                {
                    foreach (ScriptRequest request in waited)
                    {
                        request.Abandon(_timedOut());
                    }
                }
            }
            finally
            {
                Volatile.Write(ref _checking, 0);
            }
        }
    }
}
