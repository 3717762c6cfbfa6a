using System;
using System.Runtime.InteropServices;

namespace PSNetLab.Sockets.Linux
{
    /// <summary>
    /// The libc calls and constants the Linux code shares (the socket table, the epoll engine, the UDP
    /// batches). System.Net.Sockets cannot open AF_NETLINK sockets, and .NET's directory enumeration
    /// stats every /proc/*/fd symlink, which is what makes owner lookups slow; readdir + readlink do not.
    /// The epoll and recvmmsg/sendmmsg calls stay beside their only users (EpollInterop, LinuxDatagramCalls).
    /// </summary>
    internal static class LibC
    {
        private const string Lib = "libc";

        public const int AF_NETLINK = 16;
        public const int SOCK_RAW = 3;
        public const int SOCK_CLOEXEC = 0x80000;
        public const int NETLINK_SOCK_DIAG = 4;
        public const int SOL_SOCKET = 1;
        public const int SO_RCVBUF = 8;

        // recv() then returns the datagram's real length, so a read that did not fit is detected.
        public const int MSG_TRUNC = 0x20;

        public const int SHUT_WR = 1;
        public const int SHUT_RDWR = 2;

        public const int EPERM = 1;
        public const int EINTR = 4;
        public const int EAGAIN = 11;
        public const int EACCES = 13;
        public const int EPIPE = 32;
        public const int ECONNRESET = 104;

        private const int F_GETFL = 3;
        private const int F_SETFL = 4;
        private const int O_NONBLOCK = 0x800;

        [DllImport(Lib, SetLastError = true)]
        public static extern int socket(int domain, int type, int protocol);

        [DllImport(Lib, SetLastError = true)]
        public static extern int close(int fd);

        /// <summary>Also wakes a thread blocked in recvmmsg on the socket, which close() alone would not (Linux).</summary>
        [DllImport(Lib, SetLastError = true)]
        public static extern int shutdown(int fd, int how);

        /// <summary>Sets or clears O_NONBLOCK; negative (errno set) when fcntl failed.</summary>
        public static int SetNonBlocking(int fd, bool nonBlocking)
        {
            int flags = fcntl(fd, F_GETFL, 0);
            if (flags < 0 || ((flags & O_NONBLOCK) != 0) == nonBlocking)
            {
                return flags;
            }

            return fcntl(fd, F_SETFL, nonBlocking ? flags | O_NONBLOCK : flags & ~O_NONBLOCK);
        }

        [DllImport(Lib, SetLastError = true)]
        private static extern int fcntl(int fd, int command, int argument);

        [DllImport(Lib, SetLastError = true)]
        public static extern IntPtr send(int fd, byte[] buffer, UIntPtr length, int flags);

        [DllImport(Lib, SetLastError = true)]
        public static extern IntPtr recv(int fd, byte[] buffer, UIntPtr length, int flags);

        [DllImport(Lib, SetLastError = true)]
        public static extern int setsockopt(int fd, int level, int name, ref int value, int length);

        [DllImport(Lib, SetLastError = true)]
        public static extern IntPtr opendir(byte[] path);

        [DllImport(Lib, SetLastError = true)]
        public static extern IntPtr readdir(IntPtr dir);

        [DllImport(Lib, SetLastError = true)]
        public static extern int closedir(IntPtr dir);

        [DllImport(Lib, SetLastError = true)]
        public static extern int dirfd(IntPtr dir);

        /// <summary>
        /// Relative to an open /proc/&lt;pid&gt;/fd: the kernel looks up one name instead of
        /// walking /proc, the pid and "fd" again for every link (measured ~25% less per link).
        /// </summary>
        [DllImport(Lib, SetLastError = true)]
        public static extern IntPtr readlinkat(int directory, byte[] name, byte[] buffer, UIntPtr size);

        // glibc and musl on 64-bit Linux share struct dirent: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name.
        public const int DirentNameOffset = 19;

        public static bool DirentLayoutKnown => IntPtr.Size == 8;
    }
}
