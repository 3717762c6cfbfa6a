using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using PSNetLab.Errors;
using PSNetLab.Servers;
using PSNetLab.Servers.Handlers;
using PSNetLab.Servers.Hosting;
using PSNetLab.Servers.Udp;

namespace PSNetLab.Commands
{
    /// <summary>A UDP server with a built-in handler (Echo, Time, Dictionary, Discard) or a ScriptBlock, as a job.</summary>
    [Cmdlet(VerbsLifecycle.Start, "UdpServer")]
    [OutputType(typeof(ServerJob), typeof(ServerEvent))]
    public sealed class StartUdpServerCommand : StartServerCommandBase
    {
        /// <summary>A built-in handler name, or a ScriptBlock that gets the request and returns the reply.</summary>
        [Parameter(Position = 1)]
        [ArgumentCompleter(typeof(HandlerNameCompleter))]
        public object Handler { get; set; } = "Echo";

        /// <summary>Echo: text put before every reply, like the seeds' 'server get!->'.</summary>
        [Parameter]
        public string? Prefix { get; set; }

        /// <summary>Dictionary: the words to translate; by default hello, world and love in Chinese.</summary>
        [Parameter]
        [DictionaryTransformation]
        public Hashtable? Dictionary { get; set; }

        /// <summary>ScriptBlock: how many requests run at once (one runspace each).</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 5;

        /// <summary>ScriptBlock: how long one request may run before it is stopped and recorded as an error.</summary>
        [Parameter]
        [DurationTransformation]
        public TimeSpan HandlerTimeout { get; set; } = TimeSpan.FromSeconds(5);

        protected override string Noun => "UdpServer";

        protected override IMessageHandler CreateHandler()
        {
            IMessageHandler handler = HandlerFactory.Create(Handler, Prefix, Dictionary, ThrottleLimit, HandlerTimeout);
            if (handler is IConnectionAwareHandler)
            {
                handler.Dispose();
                throw new NetLabException("ServerHandlerNotFound", NetLabErrorKind.InvalidArgument, $"The {handler.Name} handler serves TCP connections; use it with Start-TcpServer.", Handler);
            }

            return handler;
        }

        protected override NetLabServer CreateServer(ServerOptions options) => new UdpServer(options);
    }
}
