using System;

namespace PSNetLab.Load
{
    /// <summary>
    /// The messages a load generator sends, in echoload's format so results compare: printable
    /// ASCII, the sequence number in hex in the first 16 bytes, then letters starting at
    /// seq % 26. A reordered, stale or corrupted echo therefore never verifies.
    /// </summary>
    public sealed class EchoMessage
    {
        private const int SequenceDigits = 16;
        private static readonly byte[] HexDigits = { (byte)'0', (byte)'1', (byte)'2', (byte)'3', (byte)'4', (byte)'5', (byte)'6', (byte)'7', (byte)'8', (byte)'9', (byte)'a', (byte)'b', (byte)'c', (byte)'d', (byte)'e', (byte)'f' };
        private readonly byte[] _pattern;
        private readonly byte[] _prefix;

        public EchoMessage(int size, byte[] prefix, bool newline)
        {
            Size = size;
            _prefix = prefix;
            Newline = newline;
            _pattern = new byte[size + 26];
            for (int i = 0; i < _pattern.Length; i++)
            {
                _pattern[i] = (byte)('a' + (i % 26));
            }
        }

        /// <summary>Payload bytes per message, without the newline.</summary>
        public int Size { get; }

        public bool Newline { get; }

        /// <summary>Bytes on the wire per request: the payload and, for line framing, \n.</summary>
        public int RequestLength => Size + (Newline ? 1 : 0);

        /// <summary>Bytes of the echo before any line ending: prefix + payload.</summary>
        public int ReplyContentLength => _prefix.Length + Size;

        public void Write(long sequence, byte[] buffer)
        {
            int digits = Math.Min(SequenceDigits, Size);
            WriteSequence(sequence, buffer, 0, digits);
            if (Size > digits)
            {
                Buffer.BlockCopy(_pattern, (int)(sequence % 26) + digits, buffer, digits, Size - digits);
            }

            if (Newline)
            {
                buffer[Size] = (byte)'\n';
            }
        }

        /// <summary>Whether <paramref name="count"/> bytes at <paramref name="offset"/> are exactly prefix + message for this sequence.</summary>
        public bool Matches(long sequence, byte[] data, int offset, int count)
        {
            if (count != ReplyContentLength)
            {
                return false;
            }

            if (!CarriesSequence(sequence, data, offset, count))
            {
                return false;
            }

            int at = offset + _prefix.Length;
            int digits = Math.Min(SequenceDigits, Size);
            return new ReadOnlySpan<byte>(data, at + digits, Size - digits)
                .SequenceEqual(new ReadOnlySpan<byte>(_pattern, (int)(sequence % 26) + digits, Size - digits));
        }

        /// <summary>Whether the echo has the right length, prefix and sequence number: an answer to this request, though maybe corrupted further on.</summary>
        public bool CarriesSequence(long sequence, byte[] data, int offset, int count)
        {
            if (count != ReplyContentLength || !new ReadOnlySpan<byte>(data, offset, _prefix.Length).SequenceEqual(_prefix))
            {
                return false;
            }

            int at = offset + _prefix.Length;
            int digits = Math.Min(SequenceDigits, Size);
            for (int i = digits - 1; i >= 0; i--)
            {
                if (data[at + i] != HexDigits[(int)((sequence >> (4 * (SequenceDigits - 1 - i))) & 15)])
                {
                    return false;
                }
            }

            return true;
        }

        private static void WriteSequence(long sequence, byte[] buffer, int offset, int digits)
        {
            // echoload's layout: the first `digits` characters of the 16-digit hex number (all of it from 16 bytes up).
            for (int i = digits - 1; i >= 0; i--)
            {
                buffer[offset + i] = HexDigits[(int)((sequence >> (4 * (SequenceDigits - 1 - i))) & 15)];
            }
        }
    }
}
