using System;

namespace PSNetLab.Servers
{
    /// <summary>
    /// What a Received or Sent event keeps of a payload: its first KiB, while the event's Length stays
    /// the full size, and its text is those bytes decoded when it is read (<see cref="ServerEvent"/>).
    /// A lab still reads <c>127.0.0.1:50412# hello</c>, and a flood of 16 KiB messages no longer copies
    /// and decodes every byte twice per message only to fill a log that keeps the newest thousand
    /// events (measured: 16 KiB echo 3-5x slower with full copies).
    /// </summary>
    public static class EventExcerpt
    {
        public const int MaxBytes = 1024;

        public static byte[] Bytes(ArraySegment<byte> payload)
        {
            var copy = new byte[Math.Min(payload.Count, MaxBytes)];
            Buffer.BlockCopy(payload.Array!, payload.Offset, copy, 0, copy.Length);
            return copy;
        }

        /// <summary>
        /// A handler's own text for the payload (<paramref name="decoded"/>), when the payload is whole
        /// in the excerpt; null otherwise, and the event decodes the excerpt's bytes when read.
        /// </summary>
        public static string? Text(ArraySegment<byte> payload, string? decoded) => payload.Count <= MaxBytes ? decoded : null;
    }

    /// <summary>
    /// An excerpt taken once, with the payload it was taken from. An echo's reply is its request's
    /// own bytes, so its Sent event reuses the Received event's excerpt (the two events then share
    /// their Bytes) instead of copying the same KiB again per message.
    /// </summary>
    public readonly struct MessageExcerpt
    {
        private readonly ArraySegment<byte> _source;

        private MessageExcerpt(ArraySegment<byte> source, string? text, byte[] bytes)
        {
            _source = source;
            Text = text;
            Bytes = bytes;
        }

        /// <summary>The handler's own text for a whole payload; null when the event is to decode <see cref="Bytes"/>.</summary>
        public string? Text { get; }

        public byte[]? Bytes { get; }

        /// <summary><paramref name="earlier"/> when it was taken from this very payload, else a new excerpt.</summary>
        public static MessageExcerpt Of(ArraySegment<byte> payload, string? decoded = null, MessageExcerpt earlier = default)
        {
            if (earlier.IsOf(payload))
            {
                return earlier;
            }

            return new MessageExcerpt(payload, EventExcerpt.Text(payload, decoded), EventExcerpt.Bytes(payload));
        }

        private bool IsOf(ArraySegment<byte> payload) =>
            Bytes != null && _source.Array == payload.Array && _source.Offset == payload.Offset && _source.Count == payload.Count;
    }
}
