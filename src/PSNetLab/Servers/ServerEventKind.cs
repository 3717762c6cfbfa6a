namespace PSNetLab.Servers
{
    /// <summary>What happened; each kind has the <see cref="EventLevel"/> at which it is recorded.</summary>
    public enum ServerEventKind
    {
        Started,
        Received,
        Sent,
        Error,
        Stopped,
        Accepted,
        Closed,
        Rejected,
    }
}
