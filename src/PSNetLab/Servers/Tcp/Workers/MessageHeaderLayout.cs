using System;
using System.Runtime.InteropServices;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>
    /// Where sendmsg/recvmsg expect each field of struct msghdr and struct cmsghdr, for the two
    /// 64-bit ABIs this module passes descriptors on. The structs are laid out by hand in
    /// unmanaged memory rather than as [StructLayout] structs because the two ABIs differ in the
    /// width of msg_iovlen, msg_controllen and cmsg_len and in the cmsg alignment (Linux aligns
    /// ancillary data to size_t, Darwin to 4 bytes), and one offset table is easier to check
    /// against the headers than two struct definitions.
    /// </summary>
    internal sealed class MessageHeaderLayout
    {
        /// <summary>
        /// glibc 64-bit &lt;bits/socket.h&gt;: name@0, namelen@8 (socklen_t, padded), iov@16, iovlen@24
        /// (size_t), control@32, controllen@40 (size_t), flags@48, 56 bytes; cmsghdr is
        /// {size_t len; int level; int type;} = 16 bytes, aligned to 8. musl pads int iovlen and
        /// socklen_t controllen to 8 bytes, which on little-endian CPUs is the same bytes as a
        /// size_t holding a small value, so the same layout serves both.
        /// </summary>
        public static MessageHeaderLayout Linux64 { get; } = new MessageHeaderLayout(
            size: 56, iovOffset: 16, iovLengthOffset: 24, iovLengthSize: 8, controlOffset: 32,
            controlLengthOffset: 40, controlLengthSize: 8, flagsOffset: 48,
            controlHeaderSize: 16, controlLengthFieldSize: 8, controlAlignment: 8,
            socketLevel: 1, rightsType: 1, controlTruncatedFlag: 0x8, wouldBlockError: 11);

        /// <summary>
        /// Darwin &lt;sys/socket.h&gt;: name@0, namelen@8, iov@16, iovlen@24 (int, padded),
        /// control@32, controllen@40 (socklen_t), flags@44, 48 bytes; cmsghdr is
        /// {socklen_t len; int level; int type;} = 12 bytes, data aligned to 4
        /// (__DARWIN_ALIGN32). SOL_SOCKET is 0xffff and MSG_CTRUNC 0x20 there.
        /// </summary>
        public static MessageHeaderLayout MacOS64 { get; } = new MessageHeaderLayout(
            size: 48, iovOffset: 16, iovLengthOffset: 24, iovLengthSize: 4, controlOffset: 32,
            controlLengthOffset: 40, controlLengthSize: 4, flagsOffset: 44,
            controlHeaderSize: 12, controlLengthFieldSize: 4, controlAlignment: 4,
            socketLevel: 0xffff, rightsType: 1, controlTruncatedFlag: 0x20, wouldBlockError: 35);

        private MessageHeaderLayout(
            int size, int iovOffset, int iovLengthOffset, int iovLengthSize, int controlOffset,
            int controlLengthOffset, int controlLengthSize, int flagsOffset,
            int controlHeaderSize, int controlLengthFieldSize, int controlAlignment,
            int socketLevel, int rightsType, int controlTruncatedFlag, int wouldBlockError)
        {
            Size = size;
            IovOffset = iovOffset;
            IovLengthOffset = iovLengthOffset;
            IovLengthSize = iovLengthSize;
            ControlOffset = controlOffset;
            ControlLengthOffset = controlLengthOffset;
            ControlLengthSize = controlLengthSize;
            FlagsOffset = flagsOffset;
            ControlHeaderSize = controlHeaderSize;
            ControlLengthFieldSize = controlLengthFieldSize;
            ControlAlignment = controlAlignment;
            SocketLevel = socketLevel;
            RightsType = rightsType;
            ControlTruncatedFlag = controlTruncatedFlag;
            WouldBlockError = wouldBlockError;
        }

        /// <summary>The layout of the running process, or null where descriptors are not passed this way (Windows, 32-bit).</summary>
        public static MessageHeaderLayout? Current
        {
            get
            {
                if (IntPtr.Size != 8 || !BitConverter.IsLittleEndian)
                {
                    return null;
                }

                if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
                {
                    return Linux64;
                }

                return RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? MacOS64 : null;
            }
        }

        /// <summary>sizeof(struct msghdr). msg_name/msg_namelen (offsets 0 and 8) stay zero: the socket is connected.</summary>
        public int Size { get; }

        public int IovOffset { get; }

        public int IovLengthOffset { get; }

        public int IovLengthSize { get; }

        public int ControlOffset { get; }

        public int ControlLengthOffset { get; }

        public int ControlLengthSize { get; }

        public int FlagsOffset { get; }

        /// <summary>sizeof(struct cmsghdr) rounded up to the alignment: where CMSG_DATA starts.</summary>
        public int ControlHeaderSize { get; }

        /// <summary>The width of cmsg_len: size_t on Linux, socklen_t on Darwin.</summary>
        public int ControlLengthFieldSize { get; }

        public int ControlAlignment { get; }

        /// <summary>SOL_SOCKET, the cmsg_level of SCM_RIGHTS.</summary>
        public int SocketLevel { get; }

        /// <summary>SCM_RIGHTS.</summary>
        public int RightsType { get; }

        /// <summary>MSG_CTRUNC: the kernel had more descriptors than the control buffer held (and closed them).</summary>
        public int ControlTruncatedFlag { get; }

        /// <summary>EAGAIN/EWOULDBLOCK.</summary>
        public int WouldBlockError { get; }

        /// <summary>sizeof(struct iovec) is {void*, size_t} on both ABIs.</summary>
        public int IovecSize => 16;

        public int LevelOffset => ControlLengthFieldSize;

        public int TypeOffset => ControlLengthFieldSize + 4;

        /// <summary>CMSG_LEN(n): the cmsg_len value for n bytes of data.</summary>
        public int ControlLength(int dataLength) => ControlHeaderSize + dataLength;

        /// <summary>CMSG_SPACE(n): the bytes one control message with n bytes of data occupies.</summary>
        public int ControlSpace(int dataLength) => ControlHeaderSize + Align(dataLength);

        /// <summary>CMSG_ALIGN.</summary>
        public int Align(int length) => (length + ControlAlignment - 1) & ~(ControlAlignment - 1);
    }
}
