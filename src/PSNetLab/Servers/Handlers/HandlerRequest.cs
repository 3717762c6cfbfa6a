using System;
using System.Collections;
using System.Net;
using System.Text;

namespace PSNetLab.Servers.Handlers
{
    /// <summary>One message to handle: what a ScriptBlock handler receives as $Request (and $_).</summary>
    public sealed class HandlerRequest
    {
        private string? _text;
        private byte[]? _bytes;

        public HandlerRequest(ArraySegment<byte> payload, IPEndPoint remoteEndPoint, IPEndPoint localEndPoint, Encoding encoding, ServerProtocol protocol, IDictionary? state = null, IConnectionChannel? connection = null)
        {
            Payload = payload;
            RemoteEndPoint = remoteEndPoint;
            LocalEndPoint = localEndPoint;
            Encoding = encoding;
            Protocol = protocol;
            State = state;
            Connection = connection;
        }

        /// <summary>The received bytes in the transport's (pooled) buffer; valid until the handler's task completes.</summary>
        public ArraySegment<byte> Payload { get; private set; }

        /// <summary>The payload decoded with the server's -Encoding; invalid bytes become U+FFFD.</summary>
        public string Text => _text ?? (_text = Encoding.GetString(Payload.Array!, Payload.Offset, Payload.Count));

        /// <summary>The payload exactly as received (a copy the handler may keep).</summary>
        public byte[] Bytes => _bytes ?? (_bytes = Copy(Payload));

        public int Length => Payload.Count;

        public IPEndPoint RemoteEndPoint { get; }

        public IPAddress RemoteAddress => RemoteEndPoint.Address;

        public int RemotePort => RemoteEndPoint.Port;

        public IPEndPoint LocalEndPoint { get; }

        public int LocalPort => LocalEndPoint.Port;

        public Encoding Encoding { get; }

        public ServerProtocol Protocol { get; }

        /// <summary>Per-connection state a TCP handler may keep between messages; null for UDP.</summary>
        public IDictionary? State { get; }

        /// <summary>The TCP connection the message came on, for connection-aware handlers (Chat); null for UDP.</summary>
        public IConnectionChannel? Connection { get; }

        /// <summary>Copies the payload out of the transport's buffer, for handlers that finish later.</summary>
        public void Detach()
        {
            if (_bytes == null)
            {
                _bytes = Copy(Payload);
            }

            Payload = new ArraySegment<byte>(_bytes);
        }

        public override string ToString() => $"{ServerEvent.FormatEndPoint(RemoteAddress, RemotePort)}# {Text}";

        private static byte[] Copy(ArraySegment<byte> segment)
        {
            var copy = new byte[segment.Count];
            Buffer.BlockCopy(segment.Array!, segment.Offset, copy, 0, segment.Count);
            return copy;
        }
    }
}
