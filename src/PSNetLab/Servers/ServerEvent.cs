using System;
using System.Globalization;
using System.Net;
using System.Text;

namespace PSNetLab.Servers
{
    /// <summary>One thing a server did, shown the way the seeds' programs print it: <c>127.0.0.1:50412# hello</c>.</summary>
    public sealed class ServerEvent
    {
        /// <summary>The text, or until it is first read the encoding that decodes <see cref="Bytes"/> into it.</summary>
        private object? _textOrEncoding;

        /// <param name="textEncoding">
        /// Without <paramref name="text"/>, decodes <paramref name="bytes"/> when Text is first read: a
        /// busy server's log keeps its newest thousand events and most are never read, so decoding every
        /// message as it is served cost its serving thread a string per message for nothing.
        /// </param>
        public ServerEvent(string server, int localPort, ServerEventKind kind, IPEndPoint? remote = null, string? text = null, byte[]? bytes = null, string? detail = null, int length = -1, DateTime? time = null, Encoding? textEncoding = null)
        {
            Time = time ?? DateTime.Now;
            Server = server;
            LocalPort = localPort;
            Kind = kind;
            RemoteAddress = remote?.Address;
            RemotePort = remote?.Port ?? 0;
            _textOrEncoding = text ?? (bytes == null ? null : (object?)textEncoding);
            Bytes = bytes;
            Length = length >= 0 ? length : bytes?.Length ?? 0;
            Detail = detail;
        }

        public DateTime Time { get; }

        /// <summary>The server's name, so events from several servers can be told apart.</summary>
        public string Server { get; }

        /// <summary>The server's port: with -Port 0 this is how a foreground (-Wait) server's port is learnt.</summary>
        public int LocalPort { get; }

        public ServerEventKind Kind { get; }

        public IPAddress? RemoteAddress { get; }

        public int RemotePort { get; }

        /// <summary>The payload decoded with the server's encoding; invalid bytes become U+FFFD.</summary>
        public string? Text => _textOrEncoding as string ?? Decode();

        /// <summary>The payload exactly as it crossed the wire, at most its first KiB (<see cref="EventExcerpt"/>).</summary>
        public byte[]? Bytes { get; }

        /// <summary>The payload's full length, also when Bytes and Text hold only its first KiB.</summary>
        public int Length { get; }

        public bool IsExcerpt => Bytes != null && Bytes.Length < Length;

        /// <summary>Why: the error message, the close reason, or the listening address.</summary>
        public string? Detail { get; }

        public string Remote => RemoteAddress == null ? string.Empty : FormatEndPoint(RemoteAddress, RemotePort);

        public override string ToString()
        {
            switch (Kind)
            {
                case ServerEventKind.Received:
                    return $"{Remote}# {Text}{Ellipsis()}";
                case ServerEventKind.Sent:
                    return $"-> {Remote}# {Text}{Ellipsis()}";
                case ServerEventKind.Error:
                    return RemoteAddress == null ? $"! {Detail}" : $"! {Remote}# {Detail}";
                case ServerEventKind.Accepted:
                    return $"+ {Remote} connected";
                case ServerEventKind.Closed:
                    return $"- {Remote} closed{Suffix()}";
                case ServerEventKind.Rejected:
                    return $"x {Remote} rejected{Suffix()}";
                default:
                    return $"* {Server} {Kind.ToString().ToLowerInvariant()}{Suffix()}";
            }
        }

        /// <summary>ip:port for IPv4, [ip]:port for IPv6, as URLs and ss print them.</summary>
        public static string FormatEndPoint(IPAddress address, int port) =>
            address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? $"[{address}]:{port.ToString(CultureInfo.InvariantCulture)}"
                : $"{address}:{port.ToString(CultureInfo.InvariantCulture)}";

        /// <summary>
        /// Two threads reading Text at once may both decode; each stores an equal string, and one
        /// reference write publishes it whole.
        /// </summary>
        private string? Decode()
        {
            if (!(_textOrEncoding is Encoding encoding))
            {
                return null;
            }

            // An excerpt may end inside a multi-byte character, which decodes as U+FFFD: an excerpt, not a corruption.
            string text = encoding.GetString(Bytes!);
            _textOrEncoding = text;
            return text;
        }

        private string Ellipsis() => IsExcerpt ? $"... ({Length.ToString("N0", CultureInfo.InvariantCulture)} bytes)" : string.Empty;

        private string Suffix() => string.IsNullOrEmpty(Detail) ? string.Empty : ": " + Detail;
    }
}
