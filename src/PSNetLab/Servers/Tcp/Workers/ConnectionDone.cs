namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>A worker finished a connection: why it closed (the server's Closed event shows it).</summary>
    public sealed class ConnectionDone
    {
        public ConnectionDone(long connectionId, string reason)
        {
            ConnectionId = connectionId;
            Reason = reason;
        }

        public long ConnectionId { get; }

        public string Reason { get; }

        public ControlFrame ToFrame()
        {
            using (var writer = new PayloadWriter())
            {
                return writer.Long(ConnectionId).Text(Reason).ToFrame(ControlMessageKind.Done);
            }
        }

        public static ConnectionDone From(ControlFrame frame) =>
            PayloadReader.Decode(frame, ControlMessageKind.Done, r => new ConnectionDone(r.Long(), r.Text() ?? string.Empty));
    }
}
