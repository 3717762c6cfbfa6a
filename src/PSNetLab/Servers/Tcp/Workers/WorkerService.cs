using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSNetLab.Servers.Handlers;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>
    /// The worker process's side: connect back to the server, prove who it is, get the handler
    /// and options, then serve each socket the server hands over with the same connection loop
    /// the server uses in Thread mode. It ends when the channel closes - the server stopped or
    /// died - so a worker never outlives its server.
    /// </summary>
    public static class WorkerService
    {
        private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

        /// <summary>Serves until the server goes away; returns the process exit code.</summary>
        public static int Run(string address, string token, Func<HandlerDefinition, IMessageHandler> createScriptHandler)
        {
            using (ControlChannel channel = ControlChannel.Connect(address, ConnectTimeout))
            {
                channel.Send(new WorkerHello(token, Process.GetCurrentProcess().Id).ToFrame());
                ControlFrame? configure = channel.Read();
                if (configure == null)
                {
                    return 0;
                }

                WorkerSettings settings = WorkerSettings.From(configure, definition => definition.Create(createScriptHandler));
                using (var reporter = new WorkerReporter(channel, settings.Options.EventLevel))
                using (var stopping = new CancellationTokenSource())
                {
                    var loop = new TcpConnectionLoop(settings.Options, reporter, oneConnectionAtATime: true);
                    var serving = new ConcurrentDictionary<Task, byte>();
                    channel.Send(new ControlFrame(ControlMessageKind.Ready, new byte[0]));
                    for (ControlFrame? frame = channel.Read(); frame != null; frame = channel.Read())
                    {
                        if (frame.Kind == ControlMessageKind.Connection)
                        {
                            ConnectionHandOff handOff = ConnectionHandOff.From(frame);
                            Task task = ServeAsync(loop, reporter, channel, handOff, stopping.Token);
                            serving.TryAdd(task, 0);
                            task.ContinueWith(t => serving.TryRemove(t, out _), TaskScheduler.Default);
                        }
                    }

                    // The server is gone: drop the connection at once, as a killed forked child would.
                    stopping.Cancel();
                    Task.WaitAll(serving.Keys.ToArray(), settings.Options.StopTimeout);
                    settings.Options.Handler.Dispose();
                }
            }

            return 0;
        }

        private static async Task ServeAsync(TcpConnectionLoop loop, WorkerReporter reporter, ControlChannel channel, ConnectionHandOff handOff, CancellationToken stopping)
        {
            string reason;
            try
            {
                Socket socket = channel.Adopt(handOff);
                reason = await loop.ServeAsync(socket, stopping).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                reporter.CountError();
                reporter.Record(ServerEventKind.Error, null, detail: $"worker {Process.GetCurrentProcess().Id} could not serve the connection: {e.Message}");
                reason = "the worker failed to serve it: " + e.Message;
            }

            try
            {
                reporter.Finish(handOff.ConnectionId, reason);
            }
            catch (Exception e) when (ControlChannel.IsChannelFailure(e))
            {
                // The server is gone; the read loop ends the worker.
            }
        }
    }
}
