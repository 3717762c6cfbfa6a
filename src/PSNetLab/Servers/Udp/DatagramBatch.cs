using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using PSNetLab.Sockets.Linux;
using static PSNetLab.Servers.Udp.LinuxDatagramCalls;

namespace PSNetLab.Servers.Udp
{
    /// <summary>
    /// Up to <see cref="Capacity"/> datagrams received with one recvmmsg and their replies sent
    /// with one sendmmsg, as the C epoll server does. Everything the kernel reads or writes is pinned
    /// for the batch's lifetime: one arena with a 64 KiB slot per datagram (any UDP payload fits, so
    /// nothing is truncated), the sender addresses, and the mmsghdr/iovec arrays. A reply is sent
    /// from where it lies: in the arena (Echo answers with the request's own bytes) or, for a
    /// handler's new array, pinned until the replies are cleared. Used by one thread at a time.
    /// </summary>
    internal sealed class DatagramBatch : IDisposable
    {
        public const int Capacity = 32;

        private const int SlotSize = BufferPool.BufferSize;

        private static readonly int MessageSize = Marshal.SizeOf(typeof(MultiMessage));
        private static readonly int VectorSize = Marshal.SizeOf(typeof(IoVector));

        private readonly byte[] _arena = new byte[Capacity * SlotSize];
        private readonly byte[] _addresses = new byte[Capacity * SocketAddressSize];
        private readonly MultiMessage[] _received = new MultiMessage[Capacity];
        private readonly IoVector[] _receiveVectors = new IoVector[Capacity];
        private readonly MultiMessage[] _replies = new MultiMessage[Capacity];
        private readonly IoVector[] _replyVectors = new IoVector[Capacity];
        private readonly int[] _replyResults = new int[Capacity];
        private readonly List<GCHandle> _pins = new List<GCHandle>();
        private readonly List<GCHandle> _replyPins = new List<GCHandle>();
        private readonly IntPtr _arenaAddress;
        private readonly IntPtr _addressesAddress;
        private readonly IntPtr _receivedAddress;
        private readonly IntPtr _repliesAddress;
        private readonly IntPtr _replyVectorsAddress;

        public DatagramBatch()
        {
            _arenaAddress = Pin(_arena);
            _addressesAddress = Pin(_addresses);
            _receivedAddress = Pin(_received);
            _repliesAddress = Pin(_replies);
            _replyVectorsAddress = Pin(_replyVectors);
            IntPtr receiveVectorsAddress = Pin(_receiveVectors);
            for (int slot = 0; slot < Capacity; slot++)
            {
                _receiveVectors[slot].Base = _arenaAddress + (slot * SlotSize);
                _receiveVectors[slot].Length = (UIntPtr)SlotSize;
                _received[slot].Header.Vectors = receiveVectorsAddress + (slot * VectorSize);
                _received[slot].Header.VectorCount = (UIntPtr)1;
                _received[slot].Header.Name = _addressesAddress + (slot * SocketAddressSize);
            }
        }

        /// <summary>How many datagrams the last <see cref="Receive"/> took.</summary>
        public int Count { get; private set; }

        public int ReplyCount { get; private set; }

        /// <summary>
        /// Blocks until at least one datagram is queued on the socket, then takes up to
        /// <see cref="Capacity"/>; returns how many, or -1 with <paramref name="errno"/>. After a
        /// shutdown() of the socket it returns at once, with slots that have no sender.
        /// </summary>
        public int Receive(int fd, out int errno)
        {
            for (int slot = 0; slot < Capacity; slot++)
            {
                _received[slot].Header.NameLength = SocketAddressSize;
            }

            int count = recvmmsg(fd, _receivedAddress, Capacity, MSG_WAITFORONE, IntPtr.Zero);
            errno = count < 0 ? Marshal.GetLastWin32Error() : 0;
            Count = Math.Max(count, 0);
            return count;
        }

        /// <summary>False for the empty "datagram" a shutdown() wake-up reports: a real one always has a sender.</summary>
        public bool HasSender(int slot) => _received[slot].Header.NameLength > 0;

        /// <summary>The received bytes; valid until the next <see cref="Receive"/>.</summary>
        public ArraySegment<byte> Payload(int slot) => new ArraySegment<byte>(_arena, slot * SlotSize, (int)_received[slot].Length);

        /// <summary>The sender's sockaddr as the kernel wrote it; a reply to this slot goes to exactly this address.</summary>
        public ArraySegment<byte> SenderAddress(int slot) =>
            new ArraySegment<byte>(_addresses, slot * SocketAddressSize, (int)Math.Min(_received[slot].Header.NameLength, SocketAddressSize));

        /// <summary>Queues <paramref name="reply"/> to the sender of <paramref name="slot"/>; returns its index among the replies.</summary>
        public int AddReply(int slot, ArraySegment<byte> reply)
        {
            int index = ReplyCount++;
            IntPtr bytes;
            if (ReferenceEquals(reply.Array, _arena))
            {
                bytes = _arenaAddress + reply.Offset;
            }
            else
            {
                GCHandle pin = GCHandle.Alloc(reply.Array, GCHandleType.Pinned);
                _replyPins.Add(pin);
                bytes = pin.AddrOfPinnedObject() + reply.Offset;
            }

            _replyVectors[index].Base = bytes;
            _replyVectors[index].Length = (UIntPtr)reply.Count;
            _replies[index].Header.Name = _addressesAddress + (slot * SocketAddressSize);
            _replies[index].Header.NameLength = _received[slot].Header.NameLength;
            _replies[index].Header.Vectors = _replyVectorsAddress + (index * VectorSize);
            _replies[index].Header.VectorCount = (UIntPtr)1;
            _replyResults[index] = 0;
            return index;
        }

        /// <summary>
        /// Sends every queued reply, as few sendmmsg calls as the kernel allows: a reply it refuses
        /// is marked with its errno and the rest are still sent. Read the outcome with <see cref="ReplyResult"/>.
        /// </summary>
        public void SendReplies(int fd)
        {
            int next = 0;
            while (next < ReplyCount)
            {
                // sendmmsg stops at the first reply that fails and reports how many went before it;
                // called again from that reply, it returns -1 with that reply's own errno.
                int sent = sendmmsg(fd, _repliesAddress + (next * MessageSize), (uint)(ReplyCount - next), 0);
                if (sent > 0)
                {
                    for (int i = next; i < next + sent; i++)
                    {
                        _replyResults[i] = (int)_replies[i].Length;
                    }

                    next += sent;
                    continue;
                }

                // 0 sent for a non-empty batch should not happen; counted as a refusal so the loop always advances.
                int errno = sent < 0 ? Marshal.GetLastWin32Error() : EINVAL;
                if (errno == LibC.EINTR)
                {
                    continue;
                }

                _replyResults[next++] = -errno;
            }
        }

        /// <summary>The bytes sent for reply <paramref name="index"/>, or minus the errno the kernel refused it with.</summary>
        public int ReplyResult(int index) => _replyResults[index];

        /// <summary>Forgets the queued replies (after <see cref="SendReplies"/>, or to drop them unsent).</summary>
        public void ClearReplies()
        {
            ReleaseReplyPins();
            ReplyCount = 0;
        }

        public void Dispose()
        {
            ReleaseReplyPins();
            foreach (GCHandle pin in _pins)
            {
                pin.Free();
            }

            _pins.Clear();
        }

        private IntPtr Pin(object array)
        {
            GCHandle pin = GCHandle.Alloc(array, GCHandleType.Pinned);
            _pins.Add(pin);
            return pin.AddrOfPinnedObject();
        }

        private void ReleaseReplyPins()
        {
            foreach (GCHandle pin in _replyPins)
            {
                pin.Free();
            }

            _replyPins.Clear();
        }
    }
}
