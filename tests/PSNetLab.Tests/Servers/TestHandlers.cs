using System;
using System.Threading;
using System.Threading.Tasks;
using PSNetLab.Servers.Handlers;
using static PSNetLab.Tests.Servers.LoopbackIO;

namespace PSNetLab.Tests.Servers
{
    /// <summary>A built-in handler behind a plain <see cref="IMessageHandler"/>: like a ScriptBlock, it is served by TcpConnection.</summary>
    internal sealed class AsyncOnlyHandler : IMessageHandler
    {
        private readonly SynchronousHandler _inner;

        public AsyncOnlyHandler(SynchronousHandler inner)
        {
            _inner = inner;
        }

        public string Name => _inner.Name;

        public int MaxConcurrency => 1;

        public Task<HandlerReply> HandleAsync(HandlerRequest request, CancellationToken cancellation) => _inner.HandleAsync(request, cancellation);

        public void Dispose() => _inner.Dispose();
    }

    /// <summary>Echoes, but holds the first message (and the thread serving it) until released.</summary>
    internal sealed class GateHandler : SynchronousHandler
    {
        private readonly ManualResetEventSlim _released = new ManualResetEventSlim();

        public TaskCompletionSource Entered { get; } = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public override string Name => "Gate";

        public void Release() => _released.Set();

        public override HandlerReply Handle(HandlerRequest request)
        {
            Entered.TrySetResult();
            _released.Wait(Bound);
            return HandlerReply.FromBytes(request.Payload);
        }
    }

    /// <summary>Echoes, except that the message 'boom' throws.</summary>
    internal sealed class FailingHandler : SynchronousHandler
    {
        public override string Name => "Failing";

        public override HandlerReply Handle(HandlerRequest request) =>
            request.Text == "boom" ? throw new InvalidOperationException("it went boom") : HandlerReply.FromBytes(request.Payload);
    }
}
