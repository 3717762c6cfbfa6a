using System;
using System.Runtime.InteropServices;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>
    /// Where one starting worker connects back to its server: a fresh Unix socket path or pipe
    /// name per worker, accepted once and then removed, so nothing stays listening for others.
    /// </summary>
    public abstract class ControlListener : IDisposable
    {
        /// <summary>The path or pipe name the worker is told on its command line.</summary>
        public abstract string Address { get; }

        public static ControlListener Create() =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? new PipeControlListener() : (ControlListener)new UnixControlListener();

        /// <summary>Waits up to <paramref name="timeout"/> for the worker; null on timeout or when <paramref name="givenUp"/> says the worker is gone.</summary>
        public abstract ControlChannel? Accept(TimeSpan timeout, Func<bool> givenUp);

        public abstract void Dispose();

        /// <summary>A name no other worker or server uses: the server's PID and random bits.</summary>
        protected static string UniqueName() =>
            $"psnetlab-{System.Diagnostics.Process.GetCurrentProcess().Id}-{Guid.NewGuid().ToString("N").Substring(0, 12)}";
    }
}
