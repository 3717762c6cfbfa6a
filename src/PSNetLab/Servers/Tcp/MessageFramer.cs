using System;
using System.Collections.Generic;

namespace PSNetLab.Servers.Tcp
{
    public enum FrameStatus
    {
        Message,
        NeedMore,
        TooLong,
    }

    /// <summary>
    /// Cuts one connection's byte stream into messages and frames replies so each goes out in one
    /// write (a reply split over two writes meets Nagle's algorithm and the peer's delayed ACK).
    /// One instance per connection: a framer may remember what the client sent (CRLF or LF).
    /// </summary>
    public abstract class MessageFramer
    {
        protected MessageFramer(int maxMessageLength)
        {
            MaxMessageLength = maxMessageLength;
        }

        public int MaxMessageLength { get; }

        /// <summary>Bytes a buffer must hold beyond the message itself (terminator or header).</summary>
        public abstract int Overhead { get; }

        /// <summary>What a receive into a buffer may take at most (Raw: one message).</summary>
        public virtual int ReceiveLimit => int.MaxValue;

        /// <summary>Bytes left when the client closed: a last message (Line, Raw), or a message cut short (LengthPrefixed).</summary>
        public abstract bool RemainderIsMessage { get; }

        public static MessageFramer Create(TcpServerOptions options)
        {
            switch (options.Framing)
            {
                case TcpFraming.Raw:
                    return new RawFramer(options.MaxMessageLength);
                case TcpFraming.LengthPrefixed:
                    return new LengthPrefixFramer(options.MaxMessageLength, options.LengthPrefixSize);
                default:
                    return new LineFramer(options.MaxMessageLength);
            }
        }

        /// <summary>The next whole message at the start of <paramref name="data"/>, and how many bytes it used.</summary>
        public abstract FrameStatus Next(ArraySegment<byte> data, out ArraySegment<byte> message, out int consumed);

        /// <summary>Adds the reply and its terminator or header to <paramref name="into"/>, to be sent in one write.</summary>
        public abstract void Frame(ArraySegment<byte> reply, IList<ArraySegment<byte>> into);

        /// <summary>The framed reply as one array, for messages queued from other threads.</summary>
        public byte[] FrameToArray(ArraySegment<byte> reply)
        {
            var parts = new List<ArraySegment<byte>>(2);
            Frame(reply, parts);
            int length = 0;
            foreach (ArraySegment<byte> part in parts)
            {
                length += part.Count;
            }

            var framed = new byte[length];
            int offset = 0;
            foreach (ArraySegment<byte> part in parts)
            {
                Buffer.BlockCopy(part.Array!, part.Offset, framed, offset, part.Count);
                offset += part.Count;
            }

            return framed;
        }
    }
}
