using System;
using System.IO;
using System.Net;
using System.Text;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>Reads what <see cref="PayloadWriter"/> wrote; a truncated or malformed payload throws InvalidDataException.</summary>
    public sealed class PayloadReader : IDisposable
    {
        private readonly BinaryReader _reader;

        private PayloadReader(byte[] payload)
        {
            _reader = new BinaryReader(new MemoryStream(payload, writable: false), new UTF8Encoding(false, true));
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

        public bool AtEnd => _reader.BaseStream.Position == _reader.BaseStream.Length;

        public int Int() => _reader.ReadInt32();

        public long Long() => _reader.ReadInt64();

        public byte Byte() => _reader.ReadByte();

        public bool Bool() => _reader.ReadBoolean();

        public TimeSpan Duration() => TimeSpan.FromTicks(Long());

        public string? Text() => Bool() ? _reader.ReadString() : null;

        public byte[]? Bytes()
        {
            int length = Int();
            if (length < 0)
            {
                return null;
            }

            if (length > _reader.BaseStream.Length - _reader.BaseStream.Position)
            {
                throw new InvalidDataException($"A control message announced {length} bytes but has fewer left.");
            }

            return _reader.ReadBytes(length);
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

        public void Dispose() => _reader.Dispose();
    }
}
