using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Net;
using System.Text;
using PSNetLab.Ports;
using PSNetLab.Servers;
using PSNetLab.Servers.Handlers;
using PSNetLab.Servers.Hosting;
using PSNetLab.Text;

namespace PSNetLab.Commands
{
    /// <summary>
    /// What every Start-*Server shares: bind now (bind errors are terminating errors at the prompt),
    /// then serve as a job, or in the foreground with -Wait, printing events until Ctrl+C.
    /// A protocol's cmdlet supplies the handler and the server.
    /// </summary>
    public abstract class StartServerCommandBase : NetLabCmdlet
    {
        /// <summary>0 (the default) lets the OS choose; the server object reports the real port.</summary>
        [Parameter(Position = 0)]
        public int Port { get; set; }

        /// <summary>Loopback (default), Any, IPv6Loopback, IPv6Any, or an address of this host.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(LocalAddressCompleter))]
        public string LocalAddress { get; set; } = "Loopback";

        [Parameter]
        public string? Name { get; set; }

        [Parameter]
        [EncodingTransformation]
        [ArgumentCompleter(typeof(EncodingNameCompleter))]
        public Encoding Encoding { get; set; } = TextEncodings.Utf8;

        [Parameter]
        public EventLevel EventLevel { get; set; } = EventLevel.Messages;

        /// <summary>How many events the server keeps for Receive-Job; older ones are dropped and counted.</summary>
        [Parameter]
        [ValidateRange(1, 1000000)]
        public int MaxEvents { get; set; } = 1000;

        [Parameter]
        public SwitchParameter Wait { get; set; }

        protected abstract string Noun { get; }

        protected abstract IMessageHandler CreateHandler();

        protected abstract NetLabServer CreateServer(ServerOptions options);

        /// <summary>The options object; a protocol with more options (TCP) returns its own subclass.</summary>
        protected virtual ServerOptions CreateOptions(IMessageHandler handler) => new ServerOptions(handler);

        protected override void ProcessRecord()
        {
            NetLabServer? server = null;
            OrStop(() => server = BindServer());
            if (Wait)
            {
                RunInForeground(server!);
                return;
            }

            var job = new ServerJob(server!, MyInvocation.Line, MaxEvents);
            job.StartServing();
            JobRepository.Add(job);
            WriteObject(job);
        }

        private NetLabServer BindServer()
        {
            PortNumber.Validate(Port, nameof(Port));
            IPAddress localAddress = EndPoints.ParseLocalAddress(LocalAddress, nameof(LocalAddress));
            ServerOptions options = CreateOptions(CreateHandler());
            options.LocalAddress = localAddress;
            options.Port = Port;
            options.Encoding = Encoding;
            options.EventLevel = EventLevel;

            NetLabServer server;
            try
            {
                server = CreateServer(options);
                server.Bind();
            }
            catch
            {
                options.Handler.Dispose();
                throw;
            }

            options.Name = string.IsNullOrEmpty(Name) ? $"{server.Protocol}-{options.Handler.Name}-{server.LocalEndPoint.Port}".ToLowerInvariant() : Name!;
            return server;
        }

        private void RunInForeground(NetLabServer server)
        {
            using (var log = new ServerEventLog(MaxEvents))
            {
                var batch = new List<ServerEvent>();
                server.Start(log);
                try
                {
                    while (!StopToken.IsCancellationRequested && server.Status == ServerStatus.Running)
                    {
                        log.Queue.WaitForItems(TimeSpan.FromMilliseconds(250), StopToken);
                        WriteAll(log, batch);
                    }
                }
                finally
                {
                    // Ctrl+C ends up here (WriteObject throws once the pipeline is stopping): the port is freed either way.
                    server.Stop();
                }

                WriteAll(log, batch);
                if (server.Status == ServerStatus.Failed && server.Fault != null)
                {
                    ThrowTerminatingError(new ErrorRecord(server.Fault, Noun + "Failed", ErrorCategory.NotSpecified, server.Name));
                }
            }
        }

        private void WriteAll(ServerEventLog log, List<ServerEvent> batch)
        {
            batch.Clear();
            log.Queue.TakeAll(batch);
            foreach (ServerEvent serverEvent in batch)
            {
                WriteObject(serverEvent);
            }
        }
    }
}
