using System;
using System.IO;
using System.Net;
using System.Text;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>Writes a control message's payload: little-endian integers, length-prefixed UTF-8 strings and byte arrays.</summary>
    public sealed class PayloadWriter : IDisposable
    {
        private readonly MemoryStream _buffer = new MemoryStream();
        private readonly BinaryWriter _writer;

        public PayloadWriter()
        {
            _writer = new BinaryWriter(_buffer, new UTF8Encoding(false, true));
        }

        public PayloadWriter Int(int value)
        {
            _writer.Write(value);
            return this;
        }

        public PayloadWriter Long(long value)
        {
            _writer.Write(value);
            return this;
        }

        public PayloadWriter Byte(byte value)
        {
            _writer.Write(value);
            return this;
        }

        public PayloadWriter Bool(bool value)
        {
            _writer.Write(value);
            return this;
        }

        public PayloadWriter Duration(TimeSpan value) => Long(value.Ticks);

        public PayloadWriter Text(string? value)
        {
            _writer.Write(value != null);
            if (value != null)
            {
                _writer.Write(value);
            }

            return this;
        }

        public PayloadWriter Bytes(byte[]? value)
        {
            _writer.Write(value == null ? -1 : value.Length);
            if (value != null)
            {
                _writer.Write(value);
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
            _writer.Flush();
            return new ControlFrame(kind, _buffer.ToArray());
        }

        public void Dispose() => _writer.Dispose();
    }
}
