using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PSNetLab.Errors;
using PSNetLab.Servers;

namespace PSNetLab.Tcp
{
    /// <summary>Connect-TcpChat's failures, each with its own id so a lab can tell refused from timed out from reset.</summary>
    public static class TcpChatErrors
    {
        public static NetLabException ConnectFailed(IPEndPoint server, SocketError error, TimeSpan timeout, Exception? inner = null)
        {
            string where = ServerEvent.FormatEndPoint(server.Address, server.Port);
            switch (error)
            {
                case SocketError.ConnectionRefused:
                    return new NetLabException("TcpChatConnectionRefused", NetLabErrorKind.ConnectionError, $"{where} refused the connection: nothing is listening on that port (the kernel answered the SYN with a RST). Start a server there, or check -Port.", server, inner);
                case SocketError.TimedOut:
                    return new NetLabException("TcpChatConnectTimedOut", NetLabErrorKind.OperationTimeout, $"Connecting to {where} timed out after {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s: no answer to the SYN (a firewall drops it, or the server's accept queue is full). Try a longer -ConnectTimeout.", server, inner);
                case SocketError.ConnectionReset:
                case SocketError.ConnectionAborted:
                    return new NetLabException("TcpChatConnectionReset", NetLabErrorKind.ConnectionError, $"{where} reset the connection while it was being set up.", server, inner);
                case SocketError.HostUnreachable:
                case SocketError.NetworkUnreachable:
                case SocketError.HostDown:
                case SocketError.NetworkDown:
                    return new NetLabException("TcpChatHostUnreachable", NetLabErrorKind.ConnectionError, $"{where} cannot be reached from here ({error}): no route to that host or network.", server, inner);
                default:
                    return new NetLabException("TcpChatConnectFailed", SocketErrors.KindOf(error), $"Connecting to {where} failed: {error}.", server, inner);
            }
        }

        public static NetLabException HostNotFound(string computerName, Exception? inner) =>
            new NetLabException("TcpChatHostNotFound", NetLabErrorKind.ObjectNotFound, $"'{computerName}' could not be resolved to an address. Check the spelling, or use an address such as 127.0.0.1.", computerName, inner);

        public static NetLabException Closed(IPEndPoint server, string reason, Exception? inner = null) =>
            new NetLabException(
                reason.Contains("reset") ? "TcpChatConnectionReset" : "TcpChatConnectionClosed",
                NetLabErrorKind.ConnectionError,
                $"{ServerEvent.FormatEndPoint(server.Address, server.Port)}: {reason}.",
                server,
                inner);

        public static NetLabException ReplyTimedOut(IPEndPoint server, string line, TimeSpan timeout) =>
            new NetLabException("TcpChatReplyTimedOut", NetLabErrorKind.OperationTimeout, $"No reply to '{line}' from {ServerEvent.FormatEndPoint(server.Address, server.Port)} within {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s (-ReplyTimeout). The server may not answer this message (Discard, Chat).", line);

        /// <summary>Why a connected socket stopped working, in the words of the seeds.</summary>
        public static string Describe(SocketError error) =>
            error == SocketError.ConnectionReset || error == SocketError.ConnectionAborted
                ? "the server reset the connection"
                : $"the connection failed ({error})";
    }
}
