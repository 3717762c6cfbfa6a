namespace PSNetLab.Servers.Handlers
{
    /// <summary>Receives and never replies (RFC 863's discard service): shows that UDP needs no answer.</summary>
    public sealed class DiscardHandler : SynchronousHandler
    {
        public override string Name => "Discard";

        public override HandlerReply Handle(HandlerRequest request) => HandlerReply.None;
    }
}
