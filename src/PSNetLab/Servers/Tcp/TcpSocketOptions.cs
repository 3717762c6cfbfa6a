using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PSNetLab.Servers.Tcp
{
    /// <summary>Options set on each accepted socket: Nagle (-NoDelay) and the keepalive timer (-KeepAlive).</summary>
    internal static class TcpSocketOptions
    {
        // SocketOptionName.TcpKeepAliveTime/Interval/RetryCount exist from .NET Core 3.0, not in
        // netstandard2.0; the runtime maps these values to TCP_KEEPIDLE/TCP_KEEPINTVL/TCP_KEEPCNT.
        private const SocketOptionName KeepAliveTime = (SocketOptionName)3;
        private const SocketOptionName KeepAliveInterval = (SocketOptionName)17;
        private const SocketOptionName KeepAliveRetryCount = (SocketOptionName)16;

        /// <summary>Applies the options; returns a warning when the keepalive timings could not be set here.</summary>
        public static string? Apply(Socket socket, TcpServerOptions options)
        {
            if (options.NoDelay)
            {
                socket.NoDelay = true;
            }

            TcpKeepAliveSettings? keepAlive = options.KeepAlive;
            if (keepAlive == null)
            {
                return null;
            }

            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            try
            {
                socket.SetSocketOption(SocketOptionLevel.Tcp, KeepAliveTime, Seconds(keepAlive.Time));
                socket.SetSocketOption(SocketOptionLevel.Tcp, KeepAliveInterval, Seconds(keepAlive.Interval));
                socket.SetSocketOption(SocketOptionLevel.Tcp, KeepAliveRetryCount, keepAlive.RetryCount);
                return null;
            }
            catch (Exception e) when (e is SocketException || e is ArgumentException || e is PlatformNotSupportedException)
            {
                return SetWindowsKeepAliveValues(socket, keepAlive) ? null : $"keepalive is on, but its timings could not be set here ({e.Message}); the OS defaults apply";
            }
        }

        private static int Seconds(TimeSpan value) => (int)Math.Max(1, Math.Min(int.MaxValue, Math.Round(value.TotalSeconds)));

        /// <summary>Windows PowerShell 5.1 (.NET Framework): SIO_KEEPALIVE_VALS sets time and interval (the retry count is fixed at 10).</summary>
        private static bool SetWindowsKeepAliveValues(Socket socket, TcpKeepAliveSettings keepAlive)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return false;
            }

            var values = new byte[12];
            BitConverter.GetBytes(1u).CopyTo(values, 0);
            BitConverter.GetBytes((uint)Math.Min(uint.MaxValue, keepAlive.Time.TotalMilliseconds)).CopyTo(values, 4);
            BitConverter.GetBytes((uint)Math.Min(uint.MaxValue, keepAlive.Interval.TotalMilliseconds)).CopyTo(values, 8);
            try
            {
                socket.IOControl(IOControlCode.KeepAliveValues, values, null);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }
    }
}
