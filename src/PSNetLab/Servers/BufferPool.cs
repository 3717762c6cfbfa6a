using Microsoft.Extensions.ObjectPool;

namespace PSNetLab.Servers
{
    /// <summary>Receive buffers shared by every server, so a busy server allocates none per message.</summary>
    public static class BufferPool
    {
        /// <summary>Large enough for any UDP datagram (65,535 bytes including headers).</summary>
        public const int BufferSize = 64 * 1024;

        public static ObjectPool<byte[]> Shared { get; } =
            new DefaultObjectPool<byte[]>(new BufferPolicy(), maximumRetained: 64);

        private sealed class BufferPolicy : PooledObjectPolicy<byte[]>
        {
            public override byte[] Create() => new byte[BufferSize];

            public override bool Return(byte[] buffer) => buffer.Length == BufferSize;
        }
    }
}
