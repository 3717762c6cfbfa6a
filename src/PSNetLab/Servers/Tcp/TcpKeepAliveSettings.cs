using System;

namespace PSNetLab.Servers.Tcp
{
    /// <summary>The TCP keepalive timer (the seeds' S17): probe after Time idle, every Interval, give up after RetryCount.</summary>
    public sealed class TcpKeepAliveSettings
    {
        public TimeSpan Time { get; set; } = TimeSpan.FromHours(2);

        public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(75);

        public int RetryCount { get; set; } = 10;
    }
}
