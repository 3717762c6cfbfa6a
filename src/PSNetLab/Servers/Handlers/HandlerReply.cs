using System;
using System.Text;

namespace PSNetLab.Servers.Handlers
{
    /// <summary>What to send back: bytes (and the text they came from, for the Sent event), or nothing.</summary>
    public sealed class HandlerReply
    {
        private HandlerReply(ArraySegment<byte> bytes, string? text)
        {
            Bytes = bytes;
            Text = text;
        }

        /// <summary>No reply: Discard, or a ScriptBlock that returned nothing.</summary>
        public static HandlerReply None { get; } = new HandlerReply(default, null);

        public ArraySegment<byte> Bytes { get; }

        public string? Text { get; }

        public bool IsNone => Bytes.Array == null;

        public static HandlerReply FromText(string text, Encoding encoding) => new HandlerReply(new ArraySegment<byte>(encoding.GetBytes(text)), text);

        /// <summary>Bytes as they are; <paramref name="text"/> is what the Sent event shows (decoded when null).</summary>
        public static HandlerReply FromBytes(ArraySegment<byte> bytes, string? text = null) => new HandlerReply(bytes, text);
    }
}
