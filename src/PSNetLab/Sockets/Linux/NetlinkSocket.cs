using System;
using System.Runtime.InteropServices;
using PSNetLab.Errors;

namespace PSNetLab.Sockets.Linux
{
    /// <summary>A NETLINK_SOCK_DIAG socket: send one dump request, read the replies until NLMSG_DONE.</summary>
    internal sealed class NetlinkSocket : IDisposable
    {
        // The kernel builds each dump reply in one buffer of at most 32 KiB (netlink_recvmsg caps
        // max_recvmsg_len there), so larger reads bring nothing: 64 KiB leaves room to spare and
        // stays below the large-object heap, where every new buffer would be zeroed and kept to gen 2.
        private const int ReceiveBufferSize = 64 * 1024;

        private readonly int _fd;
        private readonly byte[] _buffer = new byte[ReceiveBufferSize];

        private NetlinkSocket(int fd) => _fd = fd;

        /// <summary>Null when netlink is refused (seccomp, some containers, no sock_diag): the caller falls back to /proc/net.</summary>
        public static NetlinkSocket? TryOpen(out int errno)
        {
            int fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_SOCK_DIAG);
            errno = fd < 0 ? Marshal.GetLastWin32Error() : 0;
            if (fd < 0)
            {
                return null;
            }

            int size = ReceiveBufferSize;
            LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, ref size, sizeof(int));
            return new NetlinkSocket(fd);
        }

        /// <summary>Sends a dump request and hands every reply payload to <paramref name="onMessage"/>.</summary>
        public void Dump(byte[] request, NetlinkMessages.Handler onMessage)
        {
            long sent;
            do
            {
                sent = LibC.send(_fd, request, (UIntPtr)request.Length, 0).ToInt64();
            }
            while (sent < 0 && Marshal.GetLastWin32Error() == LibC.EINTR);

            if (sent < 0)
            {
                throw Failure("send", Marshal.GetLastWin32Error());
            }

            while (true)
            {
                long received = LibC.recv(_fd, _buffer, (UIntPtr)_buffer.Length, LibC.MSG_TRUNC).ToInt64();
                if (received < 0)
                {
                    int errno = Marshal.GetLastWin32Error();
                    if (errno == LibC.EINTR)
                    {
                        continue;
                    }

                    throw Failure("recv", errno);
                }

                if (received > _buffer.Length)
                {
                    // Never seen (see ReceiveBufferSize); the rest of the datagram is lost, so the table would be incomplete.
                    throw new NetLabException(
                        "SocketTableNetlinkMalformed",
                        NetLabErrorKind.InvalidData,
                        $"The kernel sent a {received}-byte netlink reply; the read buffer holds {_buffer.Length}.");
                }

                if (NetlinkMessages.Walk(_buffer, (int)received, onMessage))
                {
                    return;
                }
            }
        }

        public void Dispose() => LibC.close(_fd);

        private static NetLabException Failure(string call, int errno) =>
            new NetLabException(
                "SocketTableNetlinkFailed",
                NetLabErrorKind.ResourceUnavailable,
                $"Reading the socket table over netlink failed: {call}() returned errno {errno}.",
                errno);
    }
}
