namespace PSNetLab.Servers.Tcp
{
    /// <summary>How a byte stream is cut into messages (TCP keeps no message boundaries, the seeds' S19).</summary>
    public enum TcpFraming
    {
        /// <summary>One message per line; the terminator (LF or CRLF) is not part of the message and is added to each reply.</summary>
        Line,

        /// <summary>Whatever one receive returned is a message; replies are sent as they are.</summary>
        Raw,

        /// <summary>A 2- or 4-byte network-order length, then that many bytes; replies get the same header.</summary>
        LengthPrefixed,
    }
}
