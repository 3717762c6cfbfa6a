using System;
using System.Collections.Generic;
using PSNetLab.Errors;

namespace PSNetLab.Servers.Tcp
{
    /// <summary>A 2- or 4-byte length in network byte order (the seeds' htons/htonl), then the message.</summary>
    public sealed class LengthPrefixFramer : MessageFramer
    {
        private readonly int _prefixSize;

        public LengthPrefixFramer(int maxMessageLength, int prefixSize)
            : base(maxMessageLength)
        {
            if (prefixSize != 2 && prefixSize != 4)
            {
                throw new NetLabException("TcpServerLengthPrefixInvalid", NetLabErrorKind.InvalidArgument, $"-LengthPrefixSize is 2 or 4 bytes, not {prefixSize}.", prefixSize);
            }

            _prefixSize = prefixSize;
        }

        public override int Overhead => _prefixSize;

        public override bool RemainderIsMessage => false;

        public override FrameStatus Next(ArraySegment<byte> data, out ArraySegment<byte> message, out int consumed)
        {
            message = default;
            consumed = 0;
            if (data.Count < _prefixSize)
            {
                return FrameStatus.NeedMore;
            }

            byte[] bytes = data.Array!;
            int at = data.Offset;
            long length = _prefixSize == 2
                ? (bytes[at] << 8) | bytes[at + 1]
                : ((long)bytes[at] << 24) | ((long)bytes[at + 1] << 16) | ((long)bytes[at + 2] << 8) | bytes[at + 3];
            if (length > MaxMessageLength)
            {
                return FrameStatus.TooLong;
            }

            if (data.Count < _prefixSize + length)
            {
                return FrameStatus.NeedMore;
            }

            message = new ArraySegment<byte>(bytes, at + _prefixSize, (int)length);
            consumed = _prefixSize + (int)length;
            return FrameStatus.Message;
        }

        public override void Frame(ArraySegment<byte> reply, IList<ArraySegment<byte>> into)
        {
            int length = reply.Count;
            if (_prefixSize == 2 && length > ushort.MaxValue)
            {
                throw new InvalidOperationException($"the reply ({length} bytes) does not fit a 2-byte length prefix (at most 65,535)");
            }

            var header = new byte[_prefixSize];
            for (int i = _prefixSize - 1; i >= 0; i--, length >>= 8)
            {
                header[i] = (byte)length;
            }

            into.Add(new ArraySegment<byte>(header));
            into.Add(reply);
        }
    }
}
