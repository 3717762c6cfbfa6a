using System.Threading;
using System.Threading.Tasks;

namespace PSNetLab.Servers.Handlers
{
    /// <summary>Base of the built-in handlers: they answer at once on the socket thread, without a runspace.</summary>
    public abstract class SynchronousHandler : IMessageHandler
    {
        private static readonly Task<HandlerReply> NoReply = Task.FromResult(HandlerReply.None);

        public abstract string Name { get; }

        public int MaxConcurrency => 1;

        public Task<HandlerReply> HandleAsync(HandlerRequest request, CancellationToken cancellation)
        {
            HandlerReply reply = Handle(request);
            return reply.IsNone ? NoReply : Task.FromResult(reply);
        }

        public abstract HandlerReply Handle(HandlerRequest request);

        public void Dispose()
        {
            // Built-in handlers hold nothing that needs releasing.
        }
    }
}
