using System;
using System.Net;
using System.Text;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>
    /// Writes a control message's payload: little-endian integers, length-prefixed UTF-8 strings and
    /// byte arrays (BinaryWriter's format). It writes into one array of its own rather than through a
    /// BinaryWriter: a busy worker encodes two events per message it serves, and the stream calls per
    /// field cost more than the fields. <see cref="Clear"/> keeps the array for the next message.
    /// </summary>
    public sealed class PayloadWriter : IDisposable
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false, true);
        private byte[] _buffer = new byte[256];
        private int _length;

        public PayloadWriter Int(int value)
        {
            Reserve(4);
            _buffer[_length] = (byte)value;
            _buffer[_length + 1] = (byte)(value >> 8);
            _buffer[_length + 2] = (byte)(value >> 16);
            _buffer[_length + 3] = (byte)(value >> 24);
            _length += 4;
            return this;
        }

        public PayloadWriter Long(long value) => Int((int)value).Int((int)(value >> 32));

        public PayloadWriter Byte(byte value)
        {
            Reserve(1);
            _buffer[_length++] = value;
            return this;
        }

        public PayloadWriter Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

        public PayloadWriter Duration(TimeSpan value) => Long(value.Ticks);

        /// <summary>A presence flag, then (as BinaryWriter writes a string) the UTF-8 length as a 7-bit encoded integer and the bytes.</summary>
        public PayloadWriter Text(string? value)
        {
            Bool(value != null);
            if (value != null)
            {
                int count = Utf8.GetByteCount(value);
                for (uint rest = (uint)count; ; rest >>= 7)
                {
                    if (rest < 0x80)
                    {
                        Byte((byte)rest);
                        break;
                    }

                    Byte((byte)(rest | 0x80));
                }

                Reserve(count);
                _length += Utf8.GetBytes(value, 0, value.Length, _buffer, _length);
            }

            return this;
        }

        public PayloadWriter Bytes(byte[]? value)
        {
            Int(value == null ? -1 : value.Length);
            if (value != null)
            {
                Reserve(value.Length);
                Buffer.BlockCopy(value, 0, _buffer, _length, value.Length);
                _length += value.Length;
            }

            return this;
        }

        /// <summary>An address and port; null is written as an empty address.</summary>
        public PayloadWriter EndPoint(IPEndPoint? value)
        {
            Bytes(value?.Address.GetAddressBytes());
            return Int(value?.Port ?? 0);
        }

        public ControlFrame ToFrame(ControlMessageKind kind)
        {
            var payload = new byte[_length];
            Buffer.BlockCopy(_buffer, 0, payload, 0, _length);
            return new ControlFrame(kind, payload);
        }

        /// <summary>Empties the writer for the next message; the array it grew stays.</summary>
        public void Clear() => _length = 0;

        public void Dispose()
        {
            // Nothing to release: the array is the garbage collector's.
        }

        private void Reserve(int count)
        {
            if (_buffer.Length - _length < count)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
            }
        }
    }
}
