using System;
using System.IO;
using System.Net;
using System.Text;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>
    /// Reads what <see cref="PayloadWriter"/> wrote, straight from the payload array (as the writer
    /// writes: per field, a stream call cost more than the field); a truncated or malformed payload
    /// throws InvalidDataException.
    /// </summary>
    public sealed class PayloadReader : IDisposable
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false, true);
        private readonly byte[] _payload;
        private int _position;

        private PayloadReader(byte[] payload)
        {
            _payload = payload;
        }

        /// <summary>Decodes a frame of the expected kind with <paramref name="read"/>; a short or wrong frame throws InvalidDataException.</summary>
        public static T Decode<T>(ControlFrame frame, ControlMessageKind expected, Func<PayloadReader, T> read)
        {
            if (frame.Kind != expected)
            {
                throw new InvalidDataException($"Expected a {expected} control message, got {frame.Kind}.");
            }

            using (var reader = new PayloadReader(frame.Payload))
            {
                try
                {
                    return read(reader);
                }
                catch (EndOfStreamException e)
                {
                    throw new InvalidDataException($"A {expected} control message ended early.", e);
                }
            }
        }

        public bool AtEnd => _position == _payload.Length;

        public int Int()
        {
            Need(4);
            int value = _payload[_position] | (_payload[_position + 1] << 8) | (_payload[_position + 2] << 16) | (_payload[_position + 3] << 24);
            _position += 4;
            return value;
        }

        public long Long()
        {
            uint low = (uint)Int();
            return (long)(((ulong)(uint)Int() << 32) | low);
        }

        public byte Byte()
        {
            Need(1);
            return _payload[_position++];
        }

        public bool Bool() => Byte() != 0;

        public TimeSpan Duration() => TimeSpan.FromTicks(Long());

        public string? Text()
        {
            if (!Bool())
            {
                return null;
            }

            int count = SevenBitLength();
            Need(count);
            string text = Utf8.GetString(_payload, _position, count);
            _position += count;
            return text;
        }

        public byte[]? Bytes()
        {
            int length = Int();
            if (length < 0)
            {
                return null;
            }

            if (length > _payload.Length - _position)
            {
                throw new InvalidDataException($"A control message announced {length} bytes but has fewer left.");
            }

            var bytes = new byte[length];
            Buffer.BlockCopy(_payload, _position, bytes, 0, length);
            _position += length;
            return bytes;
        }

        public IPEndPoint? EndPoint()
        {
            byte[]? address = Bytes();
            int port = Int();
            if (address == null)
            {
                return null;
            }

            if (address.Length != 4 && address.Length != 16)
            {
                throw new InvalidDataException($"A control message holds a {address.Length}-byte address.");
            }

            return new IPEndPoint(new IPAddress(address), port);
        }

        public void Dispose()
        {
            // Nothing to release: the reader only reads the frame's array.
        }

        /// <summary>A string's length as BinaryWriter writes it: 7 bits per byte, low bits first, at most 5 bytes.</summary>
        private int SevenBitLength()
        {
            uint value = 0;
            for (int shift = 0; shift < 35; shift += 7)
            {
                byte next = Byte();
                value |= (uint)(next & 0x7F) << shift;
                if ((next & 0x80) == 0)
                {
                    if (value > int.MaxValue)
                    {
                        break;
                    }

                    return (int)value;
                }
            }

            throw new InvalidDataException("A control message holds a malformed string length.");
        }

        private void Need(int count)
        {
            if (_payload.Length - _position < count)
            {
                throw new EndOfStreamException();
            }
        }
    }
}
