using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSNetLab.Servers.Handlers;

namespace PSNetLab.Servers.Hosting
{
    /// <summary>
    /// Runs a user's ScriptBlock as a handler in runspaces the server owns. A ScriptBlock belongs
    /// to the runspace that made it and invoking it from a socket thread can crash pwsh
    /// (PowerShell/PowerShell#24415), so only its text crosses over, as a function defined in
    /// each pool runspace.
    /// </summary>
    public sealed class ScriptBlockHandler : IMessageHandler
    {
        private const string HandlerFunction = "Invoke-NetLabHandler";

        // Pipes the request in so the handler sees it as $_ as well as its first parameter ($Request).
        private const string RequestFunction = "Invoke-NetLabRequest";

        private readonly RunspacePool _pool;
        private readonly TimeSpan _timeout;
        private readonly ConcurrentDictionary<PowerShell, byte> _running = new ConcurrentDictionary<PowerShell, byte>();
        private int _disposed;

        public ScriptBlockHandler(ScriptBlock script, int throttleLimit, TimeSpan timeout)
            : this(script.ToString(), throttleLimit, timeout)
        {
        }

        /// <summary>From the ScriptBlock's text alone: how a Process-mode worker gets its handler.</summary>
        public ScriptBlockHandler(string scriptText, int throttleLimit, TimeSpan timeout)
        {
            _timeout = timeout;
            MaxConcurrency = throttleLimit;
            InitialSessionState state = InitialSessionState.CreateDefault2();
            state.Commands.Add(new SessionStateFunctionEntry(HandlerFunction, scriptText));
            state.Commands.Add(new SessionStateFunctionEntry(RequestFunction, "process { " + HandlerFunction + " $_ }"));
            _pool = RunspaceFactory.CreateRunspacePool(state);
            _pool.SetMinRunspaces(1);
            _pool.SetMaxRunspaces(throttleLimit);
            _pool.Open();
        }

        public string Name => "ScriptBlock";

        public int MaxConcurrency { get; }

        public Task<HandlerReply> HandleAsync(HandlerRequest request, CancellationToken cancellation)
        {
            var reply = new TaskCompletionSource<HandlerReply>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (Volatile.Read(ref _disposed) == 1)
            {
                reply.SetCanceled();
                return reply.Task;
            }

            PowerShell shell = PowerShell.Create();
            shell.RunspacePool = _pool;
            shell.AddCommand(RequestFunction);
            var input = new PSDataCollection<object> { request };
            input.Complete();
            var output = new PSDataCollection<PSObject>();
            _running.TryAdd(shell, 0);

            // The timer and the cancellation only stop the pipeline; the completion callback below
            // is the one place that reads the result and disposes the PowerShell.
            var timer = new Timer(_ => Abandon(shell, reply, new TimeoutException($"it did not finish within {_timeout.TotalSeconds:0.###} s (-HandlerTimeout) and was stopped")), null, _timeout, Timeout.InfiniteTimeSpan);
            CancellationTokenRegistration cancelled = cancellation.Register(() => Abandon(shell, reply, new OperationCanceledException("the server stopped")));
            try
            {
                shell.BeginInvoke(input, output, null, invoked =>
                {
                    timer.Dispose();
                    cancelled.Dispose();
                    try
                    {
                        shell.EndInvoke(invoked);
                        ErrorRecord? error = shell.Streams.Error.FirstOrDefault();
                        if (error != null)
                        {
                            reply.TrySetException(new InvalidOperationException(error.ToString()));
                        }
                        else
                        {
                            reply.TrySetResult(ToReply(output, request.Encoding));
                        }
                    }
                    catch (Exception e)
                    {
                        reply.TrySetException(e is RuntimeException runtime && runtime.ErrorRecord != null ? new InvalidOperationException(runtime.ErrorRecord.ToString(), e) : e);
                    }
                    finally
                    {
                        _running.TryRemove(shell, out _);
                        shell.Dispose();
                    }
                }, null);
            }
            catch (Exception e)
            {
                timer.Dispose();
                cancelled.Dispose();
                _running.TryRemove(shell, out _);
                shell.Dispose();
                reply.TrySetException(e);
            }

            return reply.Task;
        }

        public static IMessageHandler FromDefinition(HandlerDefinition definition) =>
            new ScriptBlockHandler(definition.ScriptText!, definition.ThrottleLimit, definition.HandlerTimeout);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            foreach (PowerShell shell in _running.Keys.ToList())
            {
                StopQuietly(shell);
            }

            // A handler stuck in a .NET call cannot be stopped; closing waits for it, so wait only
            // briefly: Stop-NetLabServer must return promptly, and the pool closes when it finishes.
            IAsyncResult closing = _pool.BeginClose(closed =>
            {
                try
                {
                    _pool.EndClose(closed);
                    _pool.Dispose();
                }
                catch (Exception e) when (e is InvalidRunspacePoolStateException || e is ObjectDisposedException)
                {
                    // Already closed.
                }
            }, null);
            closing.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(1));
        }

        /// <summary>A handler's output as the reply: nothing, a byte array, bytes (unrolled by the pipeline), or text lines.</summary>
        public static HandlerReply ToReply(IList<PSObject> output, Encoding encoding)
        {
            List<object> items = output.Where(o => o != null && o.BaseObject != null).Select(o => o.BaseObject).ToList();
            if (items.Count == 0)
            {
                return HandlerReply.None;
            }

            if (items.Count == 1 && items[0] is byte[] bytes)
            {
                return HandlerReply.FromBytes(new ArraySegment<byte>(bytes));
            }

            if (items.All(i => i is byte))
            {
                return HandlerReply.FromBytes(new ArraySegment<byte>(items.Cast<byte>().ToArray()));
            }

            return HandlerReply.FromText(string.Join("\n", output.Where(o => o != null && o.BaseObject != null).Select(o => o.ToString())), encoding);
        }

        private static void Abandon(PowerShell shell, TaskCompletionSource<HandlerReply> reply, Exception why)
        {
            if (reply.TrySetException(why))
            {
                StopQuietly(shell);
            }
        }

        private static void StopQuietly(PowerShell shell)
        {
            try
            {
                shell.BeginStop(stopped =>
                {
                    try
                    {
                        shell.EndStop(stopped);
                    }
                    catch (Exception e) when (e is ObjectDisposedException || e is InvalidOperationException)
                    {
                        // Finished or disposed meanwhile: nothing left to stop.
                    }
                }, null);
            }
            catch (ObjectDisposedException)
            {
                // Finished meanwhile.
            }
        }
    }
}
