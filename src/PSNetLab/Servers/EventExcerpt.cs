using System;
using System.Text;

namespace PSNetLab.Servers
{
    /// <summary>
    /// What a Received or Sent event keeps of a payload: its first KiB, bytes and text, while the
    /// event's Length stays the full size. A lab still reads <c>127.0.0.1:50412# hello</c>, and a flood
    /// of 16 KiB messages no longer copies and decodes every byte twice per message only to fill a log
    /// that keeps the newest thousand events (measured: 16 KiB echo 3-5x slower with full copies).
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

        /// <summary>The excerpt decoded; <paramref name="decoded"/> (the whole payload's text, when a handler already has it) is reused when the payload is short.</summary>
        public static string Text(ArraySegment<byte> payload, Encoding encoding, string? decoded = null)
        {
            if (decoded != null && payload.Count <= MaxBytes)
            {
                return decoded;
            }

            // A multi-byte character cut at the end decodes as U+FFFD: an excerpt, not a corruption.
            return encoding.GetString(payload.Array!, payload.Offset, Math.Min(payload.Count, MaxBytes));
        }
    }

    /// <summary>
    /// An excerpt taken once, with the payload it was taken from. An echo's reply is its request's
    /// own bytes, so its Sent event reuses the Received event's excerpt (the two events then share
    /// their Text and Bytes) instead of copying and decoding the same KiB again per message.
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

        public string? Text { get; }

        public byte[]? Bytes { get; }

        /// <summary>
        /// <paramref name="earlier"/> when it was taken from this very payload, else a new excerpt;
        /// without <paramref name="encoding"/>, bytes only (for a recorder whose events are decoded where they are read).
        /// </summary>
        public static MessageExcerpt Of(ArraySegment<byte> payload, Encoding? encoding, string? decoded = null, MessageExcerpt earlier = default)
        {
            if (earlier.IsOf(payload))
            {
                return earlier;
            }

            return new MessageExcerpt(payload, encoding == null ? null : EventExcerpt.Text(payload, encoding, decoded), EventExcerpt.Bytes(payload));
        }

        private bool IsOf(ArraySegment<byte> payload) =>
            Bytes != null && _source.Array == payload.Array && _source.Offset == payload.Offset && _source.Count == payload.Count;
    }
}
