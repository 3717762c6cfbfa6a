using System;
using System.Collections.Generic;
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
    /// each runspace. Up to -ThrottleLimit lanes (a runspace and its own thread each, see
    /// <see cref="ScriptLane"/>) take requests from one queue; lanes start as the load needs them.
    /// </summary>
    public sealed class ScriptBlockHandler : IMessageHandler
    {
        internal const string HandlerFunction = "Invoke-NetLabHandler";

        // Pipes the request in so the handler sees it as $_ as well as its first parameter ($Request).
        internal const string RequestFunction = "Invoke-NetLabRequest";

        // Enough for every connection of a large lab to wait at once; past it a request fails instead of queueing without end.
        private const int MaxWaiting = 65_536;

        private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(1);

        private readonly InitialSessionState _state;
        private readonly TimeSpan _timeout;
        private readonly bool _inPipeline;
        private readonly ScriptRequestQueue _queue = new ScriptRequestQueue(MaxWaiting);
        private readonly HandlerTimeoutWatch _watch;
        private readonly object _lanesGate = new object();
        private ScriptLane[] _lanes = new ScriptLane[0];
        private int _lanesStarted;
        private int _starting;
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
            _state = InitialSessionState.CreateDefault2();
            _state.Commands.Add(new SessionStateFunctionEntry(HandlerFunction, scriptText));
            _inPipeline = HandlerFlowControl.CanLeaveEarly(scriptText);
            if (_inPipeline)
            {
                _state.Commands.Add(new SessionStateFunctionEntry(RequestFunction, "process { " + HandlerFunction + " $_ }"));
            }

            // One lane open before the server starts, as the runspace pool's first runspace was: a
            // failure shows at Start-*Server, and the first request does not wait for a runspace.
            StartLane()!.Opened.GetAwaiter().GetResult();
            _watch = new HandlerTimeoutWatch(timeout, () => Volatile.Read(ref _lanes), _queue, TimedOut);
        }

        public string Name => "ScriptBlock";

        public int MaxConcurrency { get; }

        public Task<HandlerReply> HandleAsync(HandlerRequest request, CancellationToken cancellation)
        {
            if (Volatile.Read(ref _disposed) == 1)
            {
                return Stopped();
            }

            var pending = new ScriptRequest(request, ScriptRequest.DeadlineAfter(_timeout));
            pending.CancelWith(cancellation, StopWhereRunning);
            if (!_queue.TryAdd(pending, out bool backlog))
            {
                // Closed by a stop meanwhile, or full.
                pending.Fail(Volatile.Read(ref _disposed) == 1
                    ? new OperationCanceledException("the server stopped")
                    : (Exception)new InvalidOperationException($"{MaxWaiting:N0} requests were already waiting for the handler's {MaxConcurrency} runspaces (-ThrottleLimit)"));
                return pending.Task;
            }

            if (backlog && Volatile.Read(ref _lanes).Length < MaxConcurrency)
            {
                StartLane();
            }

            return pending.Task;
        }

        public static IMessageHandler FromDefinition(HandlerDefinition definition) =>
            new ScriptBlockHandler(definition.ScriptText!, definition.ThrottleLimit, definition.HandlerTimeout);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            _watch.Dispose();
            ScriptLane[] lanes;
            lock (_lanesGate)
            {
                lanes = _lanes;
            }

            foreach (ScriptLane lane in lanes)
            {
                lane.Close();
            }

            foreach (ScriptRequest left in _queue.Close())
            {
                left.Abandon(new OperationCanceledException("the server stopped"));
            }

            // A handler stuck in a .NET call cannot be stopped; its lane closes when it returns,
            // so wait only briefly: Stop-NetLabServer must return promptly.
            DateTime deadline = DateTime.UtcNow + CloseWait;
            foreach (ScriptLane lane in lanes)
            {
                TimeSpan left = deadline - DateTime.UtcNow;
                lane.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            }
        }

        /// <summary>A handler's output as the reply: nothing, a byte array, bytes (unrolled by the pipeline), or text lines.</summary>
        public static HandlerReply ToReply(IList<PSObject> output, Encoding encoding)
        {
            var items = new List<object>(output.Count);
            foreach (PSObject o in output)
            {
                if (o != null && o.BaseObject != null)
                {
                    items.Add(o.BaseObject);
                }
            }

            if (items.Count == 0)
            {
                return HandlerReply.None;
            }

            if (items.Count == 1)
            {
                if (items[0] is byte[] bytes)
                {
                    return HandlerReply.FromBytes(new ArraySegment<byte>(bytes));
                }

                if (items[0] is string text)
                {
                    return HandlerReply.FromText(text, encoding);
                }
            }

            if (items.TrueForAll(i => i is byte))
            {
                return HandlerReply.FromBytes(new ArraySegment<byte>(items.ConvertAll(i => (byte)i).ToArray()));
            }

            var lines = new List<string>(items.Count);
            foreach (PSObject o in output)
            {
                if (o != null && o.BaseObject != null)
                {
                    lines.Add(o.ToString());
                }
            }

            return HandlerReply.FromText(string.Join("\n", lines), encoding);
        }

        private static Task<HandlerReply> Stopped()
        {
            var stopped = new TaskCompletionSource<HandlerReply>();
            stopped.SetCanceled();
            return stopped.Task;
        }

        private Exception TimedOut() =>
            new TimeoutException($"it did not finish within {_timeout.TotalSeconds:0.###} s (-HandlerTimeout) and was stopped");

        /// <summary>Starts one more lane unless -ThrottleLimit lanes run or one is still opening its runspace (see <see cref="LaneOpened"/>).</summary>
        private ScriptLane? StartLane()
        {
            ScriptLane lane;
            lock (_lanesGate)
            {
                if (Volatile.Read(ref _disposed) == 1 || _starting > 0 || _lanes.Length >= MaxConcurrency)
                {
                    return null;
                }

                _starting++;
                lane = new ScriptLane(_state, _inPipeline, _queue, LaneEnded, ++_lanesStarted);
                var lanes = new ScriptLane[_lanes.Length + 1];
                _lanes.CopyTo(lanes, 0);
                lanes[lanes.Length - 1] = lane;
                Volatile.Write(ref _lanes, lanes);
            }

            lane.Opened.ContinueWith(opened => LaneOpened(opened.Status == TaskStatus.RanToCompletion), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            lane.Start();
            return lane;
        }

        /// <summary>Lanes open one at a time; a burst that came meanwhile gets the next one now.</summary>
        private void LaneOpened(bool opened)
        {
            lock (_lanesGate)
            {
                _starting--;
            }

            // Not after a failure: the next request tries again, instead of a loop of failing runspaces.
            if (opened && _queue.HasBacklog)
            {
                StartLane();
            }
        }

        /// <summary>A lane whose thread ended (closed, or its runspace broke) leaves room for a new one.</summary>
        private void LaneEnded(ScriptLane ended)
        {
            lock (_lanesGate)
            {
                _lanes = Array.FindAll(_lanes, lane => lane != ended);
            }
        }

        private void StopWhereRunning(ScriptRequest request)
        {
            foreach (ScriptLane lane in Volatile.Read(ref _lanes))
            {
                lane.StopIfRunning(request);
            }
        }
    }
}
