using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.InteropServices;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>
    /// Sends a socket descriptor to another process over a connected Unix domain socket
    /// (SCM_RIGHTS), the one way a Unix process can give another an open socket it did not
    /// inherit. The descriptor travels with the first byte of the data it is sent with, so the
    /// receiver always holds it by the time it has read that message.
    /// </summary>
    internal static class UnixDescriptorPassing
    {
        /// <summary>The most descriptors one receive accepts; more would mean a confused peer, and the kernel closes the excess.</summary>
        public const int MaxDescriptorsPerReceive = 8;

        private const int EINTR = 4;
        private const int F_SETFD = 2;
        private const int FD_CLOEXEC = 1;
        private const short POLLIN = 0x1;
        private const short POLLOUT = 0x4;

        /// <summary>Writes a msghdr (no name, one iovec, optional control buffer) at <paramref name="header"/>.</summary>
        public static void WriteHeader(MessageHeaderLayout layout, IntPtr header, IntPtr iovec, IntPtr data, int dataLength, IntPtr control, int controlLength)
        {
            for (int i = 0; i < layout.Size; i++)
            {
                Marshal.WriteByte(header, i, 0);
            }

            Marshal.WriteIntPtr(iovec, 0, data);
            Marshal.WriteInt64(iovec, 8, dataLength);
            Marshal.WriteIntPtr(header, layout.IovOffset, iovec);
            WriteSized(header, layout.IovLengthOffset, layout.IovLengthSize, 1);
            Marshal.WriteIntPtr(header, layout.ControlOffset, control);
            WriteSized(header, layout.ControlLengthOffset, layout.ControlLengthSize, controlLength);
        }

        /// <summary>Writes one SCM_RIGHTS control message carrying <paramref name="descriptor"/>; returns its CMSG_SPACE.</summary>
        public static int WriteRights(MessageHeaderLayout layout, IntPtr control, int descriptor)
        {
            int space = layout.ControlSpace(sizeof(int));
            for (int i = 0; i < space; i++)
            {
                Marshal.WriteByte(control, i, 0);
            }

            WriteSized(control, 0, layout.ControlLengthFieldSize, layout.ControlLength(sizeof(int)));
            Marshal.WriteInt32(control, layout.LevelOffset, layout.SocketLevel);
            Marshal.WriteInt32(control, layout.TypeOffset, layout.RightsType);
            Marshal.WriteInt32(control, layout.ControlHeaderSize, descriptor);
            return space;
        }

        /// <summary>Walks the control messages recvmsg returned (CMSG_FIRSTHDR/CMSG_NXTHDR) and collects the SCM_RIGHTS descriptors.</summary>
        public static void ReadRights(MessageHeaderLayout layout, IntPtr control, int controlLength, ICollection<int> descriptors)
        {
            int offset = 0;
            while (offset + layout.ControlHeaderSize <= controlLength)
            {
                long length = ReadSized(control, offset, layout.ControlLengthFieldSize);
                if (length < layout.ControlHeaderSize || offset + length > controlLength)
                {
                    return;
                }

                int level = Marshal.ReadInt32(control, offset + layout.LevelOffset);
                int type = Marshal.ReadInt32(control, offset + layout.TypeOffset);
                if (level == layout.SocketLevel && type == layout.RightsType)
                {
                    int count = (int)(length - layout.ControlHeaderSize) / sizeof(int);
                    for (int i = 0; i < count; i++)
                    {
                        descriptors.Add(Marshal.ReadInt32(control, offset + layout.ControlHeaderSize + (i * sizeof(int))));
                    }
                }

                offset += layout.Align((int)length);
            }
        }

        /// <summary>Sends all of <paramref name="data"/> on <paramref name="channel"/>, with <paramref name="descriptor"/> attached to its first byte.</summary>
        public static void Send(MessageHeaderLayout layout, int channel, byte[] data, int descriptor)
        {
            int controlSpace = layout.ControlSpace(sizeof(int));
            IntPtr block = Marshal.AllocHGlobal(layout.Size + layout.IovecSize + controlSpace);
            GCHandle pinned = GCHandle.Alloc(data, GCHandleType.Pinned);
            try
            {
                IntPtr header = block;
                IntPtr iovec = block + layout.Size;
                IntPtr control = iovec + layout.IovecSize;
                int sent = 0;
                while (sent < data.Length)
                {
                    // Only the first sendmsg carries the descriptor; a short write sends the rest plainly.
                    bool first = sent == 0;
                    int space = first ? WriteRights(layout, control, descriptor) : 0;
                    WriteHeader(layout, header, iovec, pinned.AddrOfPinnedObject() + sent, data.Length - sent, first ? control : IntPtr.Zero, space);
                    long result = sendmsg(channel, header, 0).ToInt64();
                    if (result < 0)
                    {
                        WaitOrThrow(layout, channel, POLLOUT, "sendmsg");
                        continue;
                    }

                    sent += (int)result;
                }
            }
            finally
            {
                pinned.Free();
                Marshal.FreeHGlobal(block);
            }
        }

        /// <summary>
        /// Receives up to <paramref name="count"/> bytes and any descriptors that came with them
        /// (marked close-on-exec, so a handler's child processes never inherit a connection);
        /// returns 0 when the peer closed the channel.
        /// </summary>
        public static int Receive(MessageHeaderLayout layout, int channel, byte[] buffer, int offset, int count, ICollection<int> descriptors)
        {
            int controlSpace = layout.ControlSpace(sizeof(int) * MaxDescriptorsPerReceive);
            IntPtr block = Marshal.AllocHGlobal(layout.Size + layout.IovecSize + controlSpace);
            GCHandle pinned = GCHandle.Alloc(buffer, GCHandleType.Pinned);
            try
            {
                IntPtr header = block;
                IntPtr iovec = block + layout.Size;
                IntPtr control = iovec + layout.IovecSize;
                while (true)
                {
                    WriteHeader(layout, header, iovec, pinned.AddrOfPinnedObject() + offset, count, control, controlSpace);
                    long received = recvmsg(channel, header, 0).ToInt64();
                    if (received < 0)
                    {
                        WaitOrThrow(layout, channel, POLLIN, "recvmsg");
                        continue;
                    }

                    int controlLength = (int)ReadSized(header, layout.ControlLengthOffset, layout.ControlLengthSize);
                    var arrived = new List<int>();
                    ReadRights(layout, control, controlLength, arrived);
                    foreach (int descriptor in arrived)
                    {
                        fcntl(descriptor, F_SETFD, FD_CLOEXEC);
                        descriptors.Add(descriptor);
                    }

                    int flags = Marshal.ReadInt32(header, layout.FlagsOffset);
                    if ((flags & layout.ControlTruncatedFlag) != 0)
                    {
                        throw new InvalidOperationException("recvmsg truncated the control data: the peer sent more descriptors than one message carries.");
                    }

                    return (int)received;
                }
            }
            finally
            {
                pinned.Free();
                Marshal.FreeHGlobal(block);
            }
        }

        /// <summary>Closes a descriptor that was received but will not be adopted by a Socket.</summary>
        public static void Close(int descriptor) => close(descriptor);

        private static void WaitOrThrow(MessageHeaderLayout layout, int channel, short events, string call)
        {
            int error = Marshal.GetLastWin32Error();
            if (error == EINTR)
            {
                return;
            }

            if (error != layout.WouldBlockError)
            {
                throw new Win32Exception(error, $"{call} on the worker control channel failed: {new Win32Exception(error).Message}");
            }

            // The channel is non-blocking (the runtime made it so): wait until it is ready, then retry.
            var poll = new PollDescriptor { Descriptor = channel, Events = events };
            PollOnce(ref poll, (UIntPtr)1, 1000);
        }

        private static void WriteSized(IntPtr target, int offset, int size, long value)
        {
            if (size == 8)
            {
                Marshal.WriteInt64(target, offset, value);
            }
            else
            {
                Marshal.WriteInt32(target, offset, checked((int)value));
            }
        }

        private static long ReadSized(IntPtr source, int offset, int size) =>
            size == 8 ? Marshal.ReadInt64(source, offset) : Marshal.ReadInt32(source, offset);

        [StructLayout(LayoutKind.Sequential)]
        private struct PollDescriptor
        {
            public int Descriptor;
            public short Events;
            public short ReturnedEvents;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr sendmsg(int socket, IntPtr message, int flags);

        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr recvmsg(int socket, IntPtr message, int flags);

        [DllImport("libc", SetLastError = true)]
        private static extern int fcntl(int descriptor, int command, int argument);

        [DllImport("libc", SetLastError = true)]
        private static extern int close(int descriptor);

        [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
        private static extern int PollOnce(ref PollDescriptor descriptors, UIntPtr count, int timeoutMilliseconds);
    }
}
