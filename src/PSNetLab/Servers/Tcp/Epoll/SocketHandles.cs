using System;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;

namespace PSNetLab.Servers.Tcp.Epoll
{
    /// <summary>
    /// Socket.SafeHandle (.NET Core 3.0+), found by reflection because this assembly targets
    /// netstandard2.0. The epoll engine only runs on PowerShell 7 on Linux, where it always exists.
    /// </summary>
    internal static class SocketHandles
    {
        private static readonly PropertyInfo? SafeHandleProperty = typeof(Socket).GetProperty("SafeHandle", BindingFlags.Public | BindingFlags.Instance);

        public static bool Available => SafeHandleProperty != null && typeof(SafeHandle).IsAssignableFrom(SafeHandleProperty.PropertyType);

        public static SafeHandle Of(Socket socket) =>
            (SafeHandle)(SafeHandleProperty ?? throw new PlatformNotSupportedException("Socket.SafeHandle is missing (needs .NET Core 3.0 or later)."))
                .GetValue(socket)!;
    }
}
