using System.Net;

namespace PSNetLab.Servers.Handlers
{
    /// <summary>One open TCP connection as a connection-aware handler sees it: who it is, and a way to push text to it.</summary>
    public interface IConnectionChannel
    {
        IPEndPoint RemoteEndPoint { get; }

        /// <summary>
        /// Queues one message for this client, framed like a reply, from any thread. False when the
        /// connection is closing, or has too many sends pending (it is then closed as too slow).
        /// </summary>
        bool Send(string text);
    }
}
