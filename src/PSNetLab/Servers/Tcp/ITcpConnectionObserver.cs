using System.Net;

namespace PSNetLab.Servers.Tcp
{
    /// <summary>
    /// Where a <see cref="TcpConnectionLoop"/> reports what happened on its connection. In the
    /// server process it is the server itself (events + counters); in a Process worker it is
    /// whatever carries the events back to the server over the control channel.
    /// Called from socket threads: implementations must be thread-safe and must not block.
    /// </summary>
    public interface ITcpConnectionObserver
    {
        /// <summary>False when the server would drop this kind anyway, so the loop need not decode or copy the payload.</summary>
        bool Records(ServerEventKind kind);

        /// <summary>
        /// Received / Sent / Error events for one connection (Accepted/Closed/Rejected are the
        /// server's); <paramref name="remote"/> is null for an error of no one connection (a Process worker's).
        /// Message payloads arrive as excerpts (<see cref="EventExcerpt"/>) with <paramref name="length"/> the full size.
        /// <paramref name="time"/> is when it happened, for events recorded after the fact (a Process
        /// worker's arrive in batches); null means now.
        /// </summary>
        void Record(ServerEventKind kind, IPEndPoint? remote, string? text = null, byte[]? bytes = null, string? detail = null, int length = -1, System.DateTime? time = null);

        void CountReceived(int bytes);

        void CountSent(int bytes);

        void CountError();
    }

    public static class TcpConnectionObserverExtensions
    {
        /// <summary>A Received or Sent event with an excerpt of <paramref name="payload"/> (<see cref="EventExcerpt"/>); <paramref name="decoded"/> is its text when the handler has it.</summary>
        public static MessageExcerpt RecordMessage(this ITcpConnectionObserver observer, ServerEventKind kind, IPEndPoint remote, System.ArraySegment<byte> payload, System.Text.Encoding encoding, string? decoded = null, MessageExcerpt earlier = default)
        {
            if (!observer.Records(kind))
            {
                return default;
            }

            MessageExcerpt excerpt = MessageExcerpt.Of(payload, encoding, decoded, earlier);
            observer.Record(kind, remote, excerpt.Text, excerpt.Bytes, length: payload.Count);
            return excerpt;
        }
    }
}
