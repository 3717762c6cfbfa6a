using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using PSNetLab.Errors;
using PSNetLab.Servers;
using PSNetLab.Servers.Handlers;
using PSNetLab.Servers.Hosting;
using PSNetLab.Servers.Tcp;
using PSNetLab.Servers.Tcp.Workers;

namespace PSNetLab.Commands
{
    /// <summary>The seeds' TCP servers - iterative, thread per connection, process per connection - with a built-in handler or a ScriptBlock, as a job.</summary>
    [Cmdlet(VerbsLifecycle.Start, "TcpServer")]
    [OutputType(typeof(ServerJob), typeof(ServerEvent))]
    public sealed class StartTcpServerCommand : StartServerCommandBase
    {
        [Parameter]
        public ConcurrencyMode Concurrency { get; set; } = ConcurrencyMode.Thread;

        /// <summary>A built-in handler name (Echo, Dictionary, Time, Chat, Discard), or a ScriptBlock that gets the request and returns the reply.</summary>
        [Parameter(Position = 1)]
        [ArgumentCompleter(typeof(TcpHandlerNameCompleter))]
        public object Handler { get; set; } = "Echo";

        [Parameter]
        public string? Prefix { get; set; }

        [Parameter]
        [DictionaryTransformation]
        public Hashtable? Dictionary { get; set; }

        [Parameter]
        public TcpFraming Framing { get; set; } = TcpFraming.Line;

        [Parameter]
        [ValidateSet("2", "4")]
        public int LengthPrefixSize { get; set; } = 4;

        [Parameter]
        [ValidateRange(1, 65535)]
        public int Backlog { get; set; } = 512;

        [Parameter]
        [ValidateRange(1, 1000000)]
        public int MaxConnections { get; set; } = 10000;

        /// <summary>0 (the default): only -MaxConnections applies.</summary>
        [Parameter]
        [ValidateRange(0, 1000000)]
        public int MaxConnectionsPerClient { get; set; }

        /// <summary>0 (the default): connections may stay idle.</summary>
        [Parameter]
        [DurationTransformation]
        public TimeSpan IdleTimeout { get; set; } = TimeSpan.Zero;

        [Parameter]
        [ValidateRange(1, 16 * 1024 * 1024)]
        public int MaxMessageLength { get; set; } = 64 * 1024;

        [Parameter]
        public SwitchParameter ReuseAddress { get; set; }

        [Parameter]
        public SwitchParameter NoDelay { get; set; }

        [Parameter]
        public SwitchParameter KeepAlive { get; set; }

        [Parameter]
        [DurationTransformation]
        public TimeSpan KeepAliveTime { get; set; } = TimeSpan.FromHours(2);

        [Parameter]
        [DurationTransformation]
        public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(75);

        [Parameter]
        [ValidateRange(1, 127)]
        public int KeepAliveRetryCount { get; set; } = 10;

        /// <summary>Addresses or CIDR blocks that may connect; others are refused with a Rejected event.</summary>
        [Parameter]
        public string[]? AllowFrom { get; set; }

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 5;

        [Parameter]
        [DurationTransformation]
        public TimeSpan HandlerTimeout { get; set; } = TimeSpan.FromSeconds(5);

        [Parameter]
        [ValidateRange(1, 256)]
        public int WorkerCount { get; set; } = 4;

        /// <summary>Process: how long a connection waits for a free worker before it is rejected.</summary>
        [Parameter]
        [DurationTransformation]
        public TimeSpan WorkerWaitTimeout { get; set; } = TimeSpan.FromSeconds(10);

        protected override string Noun => "TcpServer";

        protected override IMessageHandler CreateHandler()
        {
            if (Concurrency != ConcurrencyMode.Process)
            {
                return HandlerFactory.Create(Handler, Prefix, Dictionary, ThrottleLimit, HandlerTimeout);
            }

            HandlerDefinition definition = HandlerFactory.Define(Handler, Prefix, Dictionary, ThrottleLimit, HandlerTimeout);
            if (!definition.IsScript && BuiltInHandlers.ConnectionNames.Contains(definition.BuiltInName!.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                throw new NetLabException(
                    "TcpServerHandlerNeedsOneProcess",
                    NetLabErrorKind.InvalidArgument,
                    $"-Handler {definition.BuiltInName} relays messages between clients, but -Concurrency Process serves each client in a separate process. Use -Concurrency Thread or Iterative.",
                    definition.BuiltInName);
            }

            // Validates the name now, at the prompt, rather than in every worker.
            definition.Create(_ => new WorkerServedHandler(definition)).Dispose();
            return new WorkerServedHandler(definition);
        }

        protected override ServerOptions CreateOptions(IMessageHandler handler)
        {
            var options = new TcpServerOptions(handler)
            {
                Concurrency = Concurrency,
                Framing = Framing,
                LengthPrefixSize = LengthPrefixSize,
                Backlog = Backlog,
                MaxConnections = MaxConnections,
                MaxConnectionsPerClient = MaxConnectionsPerClient,
                IdleTimeout = IdleTimeout,
                MaxMessageLength = MaxMessageLength,
                ReuseAddress = ReuseAddress,
                NoDelay = NoDelay,
                WorkerCount = WorkerCount,
            };
            if (handler is WorkerServedHandler served)
            {
                options.Workers = new WorkerPoolOptions(served.Definition, ProcessWorkerHost.Command()) { WaitTimeout = WorkerWaitTimeout };
            }

            if (KeepAlive)
            {
                options.KeepAlive = new TcpKeepAliveSettings { Time = KeepAliveTime, Interval = KeepAliveInterval, RetryCount = KeepAliveRetryCount };
            }

            try
            {
                options.AllowFrom = (AllowFrom ?? new string[0]).Select(a => AddressRange.Parse(a, nameof(AllowFrom))).ToList();
            }
            catch
            {
                handler.Dispose();
                throw;
            }

            return options;
        }

        protected override NetLabServer CreateServer(ServerOptions options) => new TcpServer((TcpServerOptions)options);
    }
}
