using System;
using PSNetLab.Servers.Handlers;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>What Process concurrency needs beyond the TCP options: how to start a worker, and what it serves with.</summary>
    public sealed class WorkerPoolOptions
    {
        public WorkerPoolOptions(HandlerDefinition handler, WorkerHostCommand host)
        {
            Handler = handler;
            Host = host;
        }

        public HandlerDefinition Handler { get; }

        public WorkerHostCommand Host { get; }

        /// <summary>How long a connection waits for a free worker before it is closed unserved (-WorkerWaitTimeout).</summary>
        public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>How long a starting worker may take to connect back and be configured (a cold pwsh takes 1-3 s).</summary>
        public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);
    }
}
