using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using PSNetLab.Sockets.Linux;

namespace PSNetLab.Servers.Udp
{
    /// <summary>
    /// The libc calls behind <see cref="DatagramBatch"/>: recvmmsg/sendmmsg move up to a batch of
    /// datagrams per system call, which System.Net.Sockets has no API for. The structs are the
    /// kernel's mmsghdr/msghdr/iovec, blittable so arrays of them can be pinned and passed as is
    /// (IntPtr and UIntPtr give the right sizes and padding on 32- and 64-bit).
    /// </summary>
    internal static class LinuxDatagramCalls
    {
        /// <summary>recvmmsg: block for the first datagram only, then take what is already queued.</summary>
        public const int MSG_WAITFORONE = 0x10000;

        /// <summary>sizeof(struct sockaddr_in6), the largest address an AF_INET or AF_INET6 socket reports.</summary>
        public const int SocketAddressSize = 28;

        public const ushort AF_INET = 2;
        public const ushort AF_INET6 = 10;

        public const int EBADF = 9;
        public const int EFAULT = 14;
        public const int EINVAL = 22;
        public const int ENOTSOCK = 88;

        private static readonly Lazy<bool> Available = new Lazy<bool>(Probe);

        /// <summary>Whether this libc has recvmmsg and sendmmsg (glibc 2.14+, musl); checked once.</summary>
        public static bool IsAvailable => Available.Value;

        /// <summary>An errno from these calls as the SocketError (and message) the async path reports.</summary>
        public static SocketError ToSocketError(int errno)
        {
            switch (errno)
            {
                case LibC.EPERM: // a firewall rule refused the datagram
                case LibC.EACCES: // e.g. a broadcast address without SO_BROADCAST
                    return SocketError.AccessDenied;
                case LibC.EAGAIN: return SocketError.WouldBlock;
                case LibC.EINTR: return SocketError.Interrupted;
                case EBADF: return SocketError.OperationAborted;
                case EINVAL: return SocketError.InvalidArgument;
                case LibC.EPIPE: return SocketError.Shutdown;
                case ENOTSOCK: return SocketError.NotSocket;
                case 90: return SocketError.MessageSize; // EMSGSIZE
                case 97: return SocketError.AddressFamilyNotSupported; // EAFNOSUPPORT
                case 99: return SocketError.AddressNotAvailable; // EADDRNOTAVAIL
                case 100: return SocketError.NetworkDown; // ENETDOWN
                case 101: return SocketError.NetworkUnreachable; // ENETUNREACH
                case LibC.ECONNRESET: return SocketError.ConnectionReset;
                case 105: return SocketError.NoBufferSpaceAvailable; // ENOBUFS
                case 107: return SocketError.NotConnected; // ENOTCONN
                case 111: return SocketError.ConnectionRefused; // ECONNREFUSED
                case 113: return SocketError.HostUnreachable; // EHOSTUNREACH
                default: return SocketError.SocketError;
            }
        }

        /// <summary>"Permission denied (AccessDenied)", worded like the SocketException the async path reports.</summary>
        public static string Describe(int errno)
        {
            SocketError error = ToSocketError(errno);
            string message = error == SocketError.SocketError ? $"errno {errno}" : new SocketException((int)error).Message;
            return $"{message} ({error})";
        }

        [DllImport("libc", SetLastError = true)]
        public static extern int recvmmsg(int fd, IntPtr messages, uint count, int flags, IntPtr timeout);

        [DllImport("libc", SetLastError = true)]
        public static extern int sendmmsg(int fd, IntPtr messages, uint count, int flags);

        private static bool Probe()
        {
            try
            {
                // Invalid descriptors: each call fails with EBADF without doing anything, but binds the entry point.
                recvmmsg(-1, IntPtr.Zero, 0, 0, IntPtr.Zero);
                sendmmsg(-1, IntPtr.Zero, 0, 0);
                return true;
            }
            catch (Exception e) when (e is EntryPointNotFoundException || e is DllNotFoundException)
            {
                return false;
            }
        }

        [StructLayout(LayoutKind.Sequential)]
        public struct IoVector
        {
            public IntPtr Base;
            public UIntPtr Length;
        }

        /// <summary>struct msghdr.</summary>
        [StructLayout(LayoutKind.Sequential)]
        public struct MessageHeader
        {
            public IntPtr Name;
            public uint NameLength;
            public IntPtr Vectors;
            public UIntPtr VectorCount;
            public IntPtr Control;
            public UIntPtr ControlLength;
            public int Flags;
        }

        /// <summary>struct mmsghdr: a msghdr and the bytes the kernel moved for it.</summary>
        [StructLayout(LayoutKind.Sequential)]
        public struct MultiMessage
        {
            public MessageHeader Header;
            public uint Length;
        }
    }
}
