using System;
using System.Runtime.InteropServices;

namespace PSNetLab.Servers.Tcp.Epoll
{
    /// <summary>
    /// The epoll engine's own libc calls (those Linux code shares are in Sockets.Linux.LibC). The
    /// constants are Linux's, the same on x86-64 and arm64; only struct epoll_event differs (packed,
    /// 12 bytes, on x86-64; 16 bytes elsewhere).
    /// </summary>
    internal static unsafe class EpollInterop
    {
        private const string Lib = "libc";

        public const int EPOLL_CLOEXEC = 0x80000;
        public const int EPOLL_CTL_ADD = 1;
        public const int EPOLL_CTL_DEL = 2;
        public const int EPOLL_CTL_MOD = 3;
        public const uint EPOLLIN = 0x1;
        public const uint EPOLLOUT = 0x4;

        public const int EFD_NONBLOCK = 0x800;
        public const int EFD_CLOEXEC = 0x80000;

        // A send to a peer that reset must fail with EPIPE, never raise SIGPIPE.
        public const int MSG_NOSIGNAL = 0x4000;

        public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

        public static readonly int EventDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

        [DllImport(Lib, SetLastError = true)]
        public static extern int epoll_create1(int flags);

        [DllImport(Lib, SetLastError = true)]
        public static extern int epoll_ctl(int epoll, int operation, int descriptor, byte* epollEvent);

        [DllImport(Lib, SetLastError = true)]
        public static extern int epoll_wait(int epoll, byte* events, int maxEvents, int timeoutMilliseconds);

        [DllImport(Lib, SetLastError = true)]
        public static extern int eventfd(uint initialValue, int flags);

        [DllImport(Lib, SetLastError = true)]
        public static extern IntPtr read(int descriptor, byte* buffer, UIntPtr count);

        [DllImport(Lib, SetLastError = true)]
        public static extern IntPtr write(int descriptor, byte* buffer, UIntPtr count);

        [DllImport(Lib, SetLastError = true)]
        public static extern IntPtr recv(int descriptor, byte* buffer, UIntPtr length, int flags);

        [DllImport(Lib, SetLastError = true)]
        public static extern IntPtr send(int descriptor, byte* buffer, UIntPtr length, int flags);

        /// <summary>Adds, changes or removes the events <paramref name="descriptor"/> is watched for; <paramref name="token"/> comes back with each event.</summary>
        public static int Control(int epoll, int operation, int descriptor, uint events, ulong token)
        {
            byte* epollEvent = stackalloc byte[16];
            *(uint*)epollEvent = events;
            *(ulong*)(epollEvent + EventDataOffset) = token;
            return epoll_ctl(epoll, operation, descriptor, epollEvent);
        }

        public static ulong TokenAt(byte* events, int index) => *(ulong*)(events + (index * EventSize) + EventDataOffset);

        public static string Describe(int errno) => new System.ComponentModel.Win32Exception(errno).Message;
    }
}
