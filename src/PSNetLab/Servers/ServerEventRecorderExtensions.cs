using System;
using System.Net;
using System.Text;

namespace PSNetLab.Servers
{
    public static class ServerEventRecorderExtensions
    {
        /// <summary>
        /// A Received or Sent event with an excerpt of <paramref name="payload"/> (<see cref="EventExcerpt"/>);
        /// <paramref name="decoded"/> is its text when the handler has it (else the event decodes the excerpt
        /// with <paramref name="encoding"/> when its text is read), and <paramref name="earlier"/> an excerpt
        /// to reuse when it was taken from this very payload (an echo's reply).
        /// </summary>
        public static MessageExcerpt RecordMessage(this IServerEventRecorder recorder, ServerEventKind kind, IPEndPoint remote, ArraySegment<byte> payload, Encoding encoding, string? decoded = null, MessageExcerpt earlier = default)
        {
            if (!recorder.Records(kind))
            {
                return default;
            }

            MessageExcerpt excerpt = MessageExcerpt.Of(payload, decoded, earlier);
            recorder.Record(kind, remote, excerpt.Text, excerpt.Bytes, length: payload.Count, textEncoding: encoding);
            return excerpt;
        }
    }
}
