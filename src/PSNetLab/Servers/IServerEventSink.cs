namespace PSNetLab.Servers
{
    /// <summary>
    /// Where a server's events go. Implementations are bounded (they drop the oldest and count the
    /// drops) and safe to call from socket threads, so a flood can never exhaust memory.
    /// </summary>
    public interface IServerEventSink
    {
        void Record(ServerEvent serverEvent);

        long Dropped { get; }
    }
}
