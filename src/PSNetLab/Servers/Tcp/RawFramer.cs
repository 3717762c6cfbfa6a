using System;
using System.Collections.Generic;

namespace PSNetLab.Servers.Tcp
{
    /// <summary>No framing: each receive is a message, so a lab can watch TCP merge and split what the client wrote.</summary>
    public sealed class RawFramer : MessageFramer
    {
        public RawFramer(int maxMessageLength)
            : base(maxMessageLength)
        {
        }

        public override int Overhead => 0;

        public override int ReceiveLimit => MaxMessageLength;

        public override bool RemainderIsMessage => true;

        public override FrameStatus Next(ArraySegment<byte> data, out ArraySegment<byte> message, out int consumed)
        {
            message = data;
            consumed = data.Count;
            return data.Count == 0 ? FrameStatus.NeedMore : FrameStatus.Message;
        }

        public override void Frame(ArraySegment<byte> reply, IList<ArraySegment<byte>> into) => into.Add(reply);
    }
}
