using System;
using System.Threading;
using System.Threading.Tasks;
using PSNetLab.Servers.Handlers;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>
    /// The handler a Process-mode server holds itself: it names the real handler (shown on the
    /// server object) but never runs, because the workers build and run their own. The server
    /// process thus opens no runspace pool for a ScriptBlock it will not call.
    /// </summary>
    public sealed class WorkerServedHandler : IMessageHandler
    {
        public WorkerServedHandler(HandlerDefinition definition)
        {
            Definition = definition;
        }

        public HandlerDefinition Definition { get; }

        public string Name => Definition.Name;

        public int MaxConcurrency => 1;

        public Task<HandlerReply> HandleAsync(HandlerRequest request, CancellationToken cancellation) =>
            throw new InvalidOperationException("A Process-mode server's handler runs in its worker processes, not in the server.");

        public void Dispose()
        {
        }
    }
}
