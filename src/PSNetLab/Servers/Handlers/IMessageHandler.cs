using System;
using System.Threading;
using System.Threading.Tasks;

namespace PSNetLab.Servers.Handlers
{
    /// <summary>
    /// Turns one request into one reply, whatever the transport: a UDP datagram or a TCP message
    /// (after framing) are both a <see cref="HandlerRequest"/>. Built-in handlers complete
    /// synchronously on the socket thread; ScriptBlock handlers complete later, in runspaces.
    /// </summary>
    public interface IMessageHandler : IDisposable
    {
        /// <summary>Echo, Time, Dictionary, Discard, ScriptBlock...: shown on the server object.</summary>
        string Name { get; }

        /// <summary>How many requests the transport may have in flight at once (ScriptBlocks: -ThrottleLimit).</summary>
        int MaxConcurrency { get; }

        /// <summary>
        /// The request's payload stays valid until the returned task completes. A fault is recorded
        /// as an Error event for that request only; the server keeps serving.
        /// </summary>
        Task<HandlerReply> HandleAsync(HandlerRequest request, CancellationToken cancellation);
    }
}
