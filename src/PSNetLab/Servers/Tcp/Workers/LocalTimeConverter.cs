using System;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>
    /// Turns the UTC times of a worker's events into local times. DateTime.ToLocalTime looks the
    /// zone's rules up on every call (about 55 ns, twice per message a busy worker serves); an
    /// offset changes only at a whole minute (daylight saving, a zone's new rules), so the offset
    /// of the minute last seen is reused. One instance per reading thread: it is not thread-safe.
    /// </summary>
    internal sealed class LocalTimeConverter
    {
        private readonly TimeZoneInfo _zone;
        private long _minute = -1;
        private long _offsetTicks;

        public LocalTimeConverter(TimeZoneInfo? zone = null)
        {
            _zone = zone ?? TimeZoneInfo.Local;
        }

        public DateTime ToLocal(DateTime utc)
        {
            long minute = utc.Ticks / TimeSpan.TicksPerMinute;
            if (minute != _minute)
            {
                _offsetTicks = _zone.GetUtcOffset(utc).Ticks;
                _minute = minute;
            }

            return new DateTime(utc.Ticks + _offsetTicks, DateTimeKind.Local);
        }
    }
}
