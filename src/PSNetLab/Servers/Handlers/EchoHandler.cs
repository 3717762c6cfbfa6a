using System;

namespace PSNetLab.Servers.Handlers
{
    /// <summary>Replies with the message, after an optional prefix (the seeds' 'server get!->').</summary>
    public sealed class EchoHandler : SynchronousHandler
    {
        private readonly string _prefix;

        public EchoHandler(string? prefix)
        {
            _prefix = prefix ?? string.Empty;
        }

        public override string Name => "Echo";

        public override HandlerReply Handle(HandlerRequest request)
        {
            if (_prefix.Length == 0)
            {
                return HandlerReply.FromBytes(request.Payload);
            }

            // Prefix and message in one buffer, so TCP sends them in one write: two writes meet
            // Nagle's algorithm and the client's delayed ACK, a ~40 ms stall per echo.
            int prefixLength = request.Encoding.GetByteCount(_prefix);
            var reply = new byte[prefixLength + request.Length];
            request.Encoding.GetBytes(_prefix, 0, _prefix.Length, reply, 0);
            Buffer.BlockCopy(request.Payload.Array!, request.Payload.Offset, reply, prefixLength, request.Length);
            return HandlerReply.FromBytes(new ArraySegment<byte>(reply));
        }
    }
}
