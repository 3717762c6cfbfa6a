using System;

namespace PSNetLab.Load
{
    /// <summary>A run's counters so far, for Write-Progress.</summary>
    public sealed class LoadProgress
    {
        internal LoadProgress(TimeSpan elapsed, TimeSpan duration, long requests, long errors)
        {
            Elapsed = elapsed;
            Duration = duration;
            Requests = requests;
            Errors = errors;
        }

        public TimeSpan Elapsed { get; }

        public TimeSpan Duration { get; }

        public long Requests { get; }

        public long Errors { get; }

        public double RequestsPerSecond => Elapsed.TotalSeconds > 0 ? Requests / Elapsed.TotalSeconds : 0;

        public int PercentComplete => (int)Math.Min(100, 100 * Elapsed.TotalSeconds / Duration.TotalSeconds);

        public int SecondsRemaining => (int)Math.Max(0, Math.Ceiling((Duration - Elapsed).TotalSeconds));
    }
}
