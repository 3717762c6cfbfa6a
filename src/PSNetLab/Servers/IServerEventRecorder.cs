using System;
using System.Net;
using System.Text;

namespace PSNetLab.Servers
{
    /// <summary>
    /// What records a server's Received / Sent / Error events: the server itself, or in a Process
    /// worker whatever carries them back to the server. <see cref="ServerEventRecorderExtensions.RecordMessage"/>
    /// builds a message event's excerpt the same way for every protocol on top of it.
    /// Called from socket threads: implementations must be thread-safe and must not block.
    /// </summary>
    public interface IServerEventRecorder
    {
        /// <summary>False when the server would drop this kind anyway, so the caller need not decode or copy the payload.</summary>
        bool Records(ServerEventKind kind);

        /// <summary>
        /// One event; <paramref name="remote"/> is null for an error of no one peer (a Process worker's).
        /// Message payloads arrive as excerpts (<see cref="EventExcerpt"/>) with <paramref name="length"/> the full size.
        /// <paramref name="time"/> is when it happened, for events recorded after the fact (a Process
        /// worker's arrive in batches); null means now. Without <paramref name="text"/>, the event's text is
        /// <paramref name="bytes"/> decoded with <paramref name="textEncoding"/> when it is read
        /// (<see cref="ServerEvent"/>); a Process worker's reporter ignores it, as the server decodes with its own.
        /// </summary>
        void Record(ServerEventKind kind, IPEndPoint? remote, string? text = null, byte[]? bytes = null, string? detail = null, int length = -1, DateTime? time = null, Encoding? textEncoding = null);
    }
}
