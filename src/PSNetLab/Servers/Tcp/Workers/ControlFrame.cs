using System;
using System.IO;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>
    /// One message on a worker's control channel: a 4-byte big-endian length (of what follows),
    /// a kind byte, and the payload. The length is checked against <see cref="MaxLength"/> before
    /// anything is allocated, so a confused or hostile peer cannot make the server buffer without bound.
    /// </summary>
    public sealed class ControlFrame
    {
        /// <summary>Large enough for a long ScriptBlock or a batch of events carrying whole messages.</summary>
        public const int MaxLength = 16 * 1024 * 1024;

        private const int HeaderLength = 5;

        public ControlFrame(ControlMessageKind kind, byte[] payload)
        {
            Kind = kind;
            Payload = payload;
        }

        public ControlMessageKind Kind { get; }

        public byte[] Payload { get; }

        /// <summary>The frame as it goes on the wire, in one array so it can be sent in one call.</summary>
        public byte[] Encode()
        {
            if (Payload.Length + 1 > MaxLength)
            {
                throw new InvalidOperationException($"A control message of {Payload.Length} bytes is larger than the {MaxLength}-byte limit.");
            }

            var frame = new byte[HeaderLength + Payload.Length];
            WriteLength(frame, Payload.Length + 1);
            frame[4] = (byte)Kind;
            Buffer.BlockCopy(Payload, 0, frame, HeaderLength, Payload.Length);
            return frame;
        }

        /// <summary>Reads the next frame; null when the channel closed cleanly between frames.</summary>
        public static ControlFrame? Read(Stream stream)
        {
            var header = new byte[HeaderLength];
            if (!ReadExactly(stream, header, header.Length, allowEnd: true))
            {
                return null;
            }

            int length = (header[0] << 24) | (header[1] << 16) | (header[2] << 8) | header[3];
            if (length < 1 || length > MaxLength)
            {
                throw new InvalidDataException($"The control channel announced a {length}-byte message; the limit is {MaxLength}.");
            }

            var payload = new byte[length - 1];
            ReadExactly(stream, payload, payload.Length, allowEnd: false);
            return new ControlFrame((ControlMessageKind)header[4], payload);
        }

        public override string ToString() => $"{Kind} ({Payload.Length} bytes)";

        private static void WriteLength(byte[] frame, int length)
        {
            frame[0] = (byte)(length >> 24);
            frame[1] = (byte)(length >> 16);
            frame[2] = (byte)(length >> 8);
            frame[3] = (byte)length;
        }

        private static bool ReadExactly(Stream stream, byte[] buffer, int count, bool allowEnd)
        {
            int read = 0;
            while (read < count)
            {
                int n = stream.Read(buffer, read, count - read);
                if (n == 0)
                {
                    if (read == 0 && allowEnd)
                    {
                        return false;
                    }

                    throw new EndOfStreamException($"The control channel closed in the middle of a message ({read} of {count} bytes).");
                }

                read += n;
            }

            return true;
        }
    }
}
