namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>
    /// "Serve this connection". On Linux and macOS the socket itself rides along as an SCM_RIGHTS
    /// descriptor and <see cref="SocketInformation"/> is empty; on Windows it holds the
    /// WSAPROTOCOL_INFO that Socket.DuplicateAndClose made for the worker's PID.
    /// </summary>
    public sealed class ConnectionHandOff
    {
        public ConnectionHandOff(long connectionId, byte[]? socketInformation = null, int socketInformationOptions = 0)
        {
            ConnectionId = connectionId;
            SocketInformation = socketInformation ?? new byte[0];
            SocketInformationOptions = socketInformationOptions;
        }

        /// <summary>The server's number for the connection; the worker's Done names it.</summary>
        public long ConnectionId { get; }

        public byte[] SocketInformation { get; }

        /// <summary>System.Net.Sockets.SocketInformationOptions (Windows).</summary>
        public int SocketInformationOptions { get; }

        public ControlFrame ToFrame()
        {
            using (var writer = new PayloadWriter())
            {
                return writer.Long(ConnectionId).Bytes(SocketInformation).Int(SocketInformationOptions).ToFrame(ControlMessageKind.Connection);
            }
        }

        public static ConnectionHandOff From(ControlFrame frame) =>
            PayloadReader.Decode(frame, ControlMessageKind.Connection, r => new ConnectionHandOff(r.Long(), r.Bytes(), r.Int()));
    }
}
