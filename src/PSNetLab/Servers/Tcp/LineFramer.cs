using System;
using System.Collections.Generic;

namespace PSNetLab.Servers.Tcp
{
    /// <summary>One message per line, as the seeds' clients send them; replies end like the client's lines (LF or CRLF, as telnet sends).</summary>
    public sealed class LineFramer : MessageFramer
    {
        private static readonly ArraySegment<byte> Lf = new ArraySegment<byte>(new byte[] { (byte)'\n' });
        private static readonly ArraySegment<byte> CrLf = new ArraySegment<byte>(new byte[] { (byte)'\r', (byte)'\n' });
        private volatile bool _clientUsesCrLf;

        public LineFramer(int maxMessageLength)
            : base(maxMessageLength)
        {
        }

        public override int Overhead => 2;

        public override bool RemainderIsMessage => true;

        public override FrameStatus Next(ArraySegment<byte> data, out ArraySegment<byte> message, out int consumed)
        {
            message = default;
            consumed = 0;
            int newline = Array.IndexOf(data.Array!, (byte)'\n', data.Offset, data.Count);
            if (newline < 0)
            {
                return data.Count > MaxMessageLength ? FrameStatus.TooLong : FrameStatus.NeedMore;
            }

            int length = newline - data.Offset;
            consumed = length + 1;
            bool crlf = length > 0 && data.Array![newline - 1] == (byte)'\r';
            if (crlf)
            {
                length--;
            }

            _clientUsesCrLf = crlf;
            if (length > MaxMessageLength)
            {
                return FrameStatus.TooLong;
            }

            message = new ArraySegment<byte>(data.Array!, data.Offset, length);
            return FrameStatus.Message;
        }

        public override void Frame(ArraySegment<byte> reply, IList<ArraySegment<byte>> into)
        {
            into.Add(reply);
            bool ended = reply.Count > 0 && reply.Array![reply.Offset + reply.Count - 1] == (byte)'\n';
            if (!ended)
            {
                into.Add(_clientUsesCrLf ? CrLf : Lf);
            }
        }
    }
}
