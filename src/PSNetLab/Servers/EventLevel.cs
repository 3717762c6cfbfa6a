namespace PSNetLab.Servers
{
    /// <summary>How much a server records; each level includes the ones before it.</summary>
    public enum EventLevel
    {
        None,
        Errors,
        Connections,
        Messages,
    }

    public static class EventLevels
    {
        /// <summary>The lowest level at which an event of this kind is recorded.</summary>
        public static EventLevel Of(ServerEventKind kind)
        {
            switch (kind)
            {
                case ServerEventKind.Error:
                    return EventLevel.Errors;
                case ServerEventKind.Received:
                case ServerEventKind.Sent:
                    return EventLevel.Messages;
                default:
                    // Started/Stopped and the TCP connection events frame the messages: a Connections log reads as a timeline.
                    return EventLevel.Connections;
            }
        }
    }
}
