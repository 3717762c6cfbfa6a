using System.Globalization;
using System.Net;

namespace PSNetLab.Servers.Tcp
{
    /// <summary>
    /// Why a connection ended, worded once for both socket engines (<see cref="TcpConnection"/> and
    /// Epoll.EpollConnection): the Closed event's text that labs read and tests compare, so the two
    /// engines cannot drift apart.
    /// </summary>
    internal static class ConnectionEndings
    {
        public const string ServerStopped = "the server stopped";

        public const string ClientClosed = "the client closed the connection";

        public const string Reset = "the connection was reset by the client";

        public static string TooLong(TcpServerOptions options) =>
            $"a message was longer than {options.MaxMessageLength.ToString("N0", CultureInfo.InvariantCulture)} bytes (-MaxMessageLength)";

        public static string Idle(TcpServerOptions options) =>
            $"idle for {options.IdleTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s (-IdleTimeout)";

        public static string CutShort(int arrived) =>
            $"the client closed the connection in the middle of a message ({arrived} bytes of it arrived)";

        public static string SendFailed(string why) => "sending failed: " + why;

        public static string ServeFailed(string why) => "the server failed to serve it: " + why;

        /// <summary>Counts and records the handler's failure (an Error event) and returns why the connection ends.</summary>
        public static string HandlerFailed(ITcpConnectionObserver observer, IPEndPoint remote, string handler, string why)
        {
            observer.CountError();
            observer.Record(ServerEventKind.Error, remote, detail: $"handler {handler} failed: {why}");
            return $"the handler failed: {why}";
        }
    }
}
