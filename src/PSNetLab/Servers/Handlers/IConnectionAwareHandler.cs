namespace PSNetLab.Servers.Handlers
{
    /// <summary>
    /// A handler that serves connections, not only messages (Chat): it learns when each client joins
    /// and leaves, and may send to any client at any time through its <see cref="IConnectionChannel"/>.
    /// Each request's <see cref="HandlerRequest.Connection"/> says which client sent it. Request/reply
    /// handlers (Echo, Dictionary...) need none of this and stay plain <see cref="IMessageHandler"/>s.
    /// </summary>
    public interface IConnectionAwareHandler : IMessageHandler
    {
        /// <summary>Called on the connection's thread before its first message.</summary>
        void Connected(IConnectionChannel connection);

        /// <summary>Called once when the connection is over, whatever ended it.</summary>
        void Disconnected(IConnectionChannel connection);
    }
}
