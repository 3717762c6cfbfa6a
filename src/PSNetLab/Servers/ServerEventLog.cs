namespace PSNetLab.Servers
{
    /// <summary>A bounded sink that a foreground reader (Start-*Server -Wait) drains on its own thread.</summary>
    public sealed class ServerEventLog : IServerEventSink, System.IDisposable
    {
        public ServerEventLog(int capacity)
        {
            Queue = new BoundedQueue<ServerEvent>(capacity);
        }

        public BoundedQueue<ServerEvent> Queue { get; }

        public long Dropped => Queue.Dropped;

        public void Record(ServerEvent serverEvent) => Queue.Add(serverEvent);

        public void Dispose() => Queue.Dispose();
    }
}
