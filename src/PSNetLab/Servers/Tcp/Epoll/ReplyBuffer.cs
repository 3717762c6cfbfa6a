using System;

namespace PSNetLab.Servers.Tcp.Epoll
{
    /// <summary>A loop's replies to one batch of messages, gathered so they leave in one send().</summary>
    internal sealed class ReplyBuffer
    {
        /// <summary>A buffer grown for one huge batch goes back to this size, so it is not held forever.</summary>
        private const int KeptSize = 64 * 1024;

        private byte[] _bytes = new byte[KeptSize];

        public byte[] Bytes => _bytes;

        public int Count { get; private set; }

        public void Append(ArraySegment<byte> part)
        {
            if (Count + part.Count > _bytes.Length)
            {
                var larger = new byte[Math.Max(_bytes.Length * 2, Count + part.Count)];
                Buffer.BlockCopy(_bytes, 0, larger, 0, Count);
                _bytes = larger;
            }

            Buffer.BlockCopy(part.Array!, part.Offset, _bytes, Count, part.Count);
            Count += part.Count;
        }

        public void Clear()
        {
            Count = 0;
            if (_bytes.Length > KeptSize)
            {
                _bytes = new byte[KeptSize];
            }
        }
    }
}
