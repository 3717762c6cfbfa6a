using System;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>
    /// The .NET 5+ socket APIs the Unix worker path needs, found by reflection: this assembly is
    /// netstandard2.0 so that one dll loads in Windows PowerShell 5.1 and PowerShell 7, and
    /// netstandard2.0 has neither SafeSocketHandle nor UnixDomainSocketEndPoint. Process mode on
    /// Unix only ever runs on PowerShell 7 (.NET 8+), where both types exist; on Windows the
    /// worker path uses Socket.DuplicateAndClose and never comes here.
    /// </summary>
    internal static class SocketAdoption
    {
        private static readonly Assembly Sockets = typeof(Socket).Assembly;

        private static readonly Lazy<ConstructorInfo> SafeHandleConstructor = new Lazy<ConstructorInfo>(() =>
            Require(Sockets.GetType("System.Net.Sockets.SafeSocketHandle")?.GetConstructor(new[] { typeof(IntPtr), typeof(bool) }), "SafeSocketHandle(IntPtr, bool)"));

        private static readonly Lazy<ConstructorInfo> SocketFromHandle = new Lazy<ConstructorInfo>(() =>
            Require(typeof(Socket).GetConstructor(new[] { SafeHandleConstructor.Value.DeclaringType! }), "Socket(SafeSocketHandle)"));

        private static readonly Lazy<ConstructorInfo> UnixEndPointConstructor = new Lazy<ConstructorInfo>(() =>
            Require(Sockets.GetType("System.Net.Sockets.UnixDomainSocketEndPoint")?.GetConstructor(new[] { typeof(string) }), "UnixDomainSocketEndPoint(string)"));

        /// <summary>A Socket that owns <paramref name="descriptor"/> (closing the Socket closes it): new Socket(new SafeSocketHandle(fd, true)).</summary>
        public static Socket Adopt(int descriptor)
        {
            object handle = SafeHandleConstructor.Value.Invoke(new object[] { new IntPtr(descriptor), true });
            try
            {
                return (Socket)SocketFromHandle.Value.Invoke(new[] { handle });
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                ((IDisposable)handle).Dispose();
                throw e.InnerException;
            }
        }

        /// <summary>new UnixDomainSocketEndPoint(path).</summary>
        public static EndPoint UnixEndPoint(string path) => (EndPoint)UnixEndPointConstructor.Value.Invoke(new object[] { path });

        private static ConstructorInfo Require(ConstructorInfo? constructor, string what) =>
            constructor ?? throw new PlatformNotSupportedException($"{what} is missing: Process concurrency on Linux and macOS needs PowerShell 7 (.NET 5 or later).");
    }
}
