using System;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using System.Threading.Tasks;
using PSNetLab.Servers.Handlers;

namespace PSNetLab.Servers.Hosting
{
    /// <summary>
    /// One runspace and the one thread that ever uses it, running queued requests one after the
    /// other. The runspace runs a single long pipeline (UseCurrentThread, so on this thread) that
    /// calls back into <see cref="Serve"/>; there the handler's ScriptBlock, created inside this
    /// runspace, is invoked directly per request. That costs a few microseconds where a
    /// PowerShell invocation per request costs tens to hundreds (a pipeline, and by default a new
    /// 10 MB-stack thread each time). Stopping that pipeline is how a hung handler is stopped;
    /// the lane then starts a new one.
    /// </summary>
    internal sealed class ScriptLane
    {
        // Same as PowerShell's own pipeline threads: deep recursion in a handler behaves as in pwsh.
        private const int StackSize = 10_000_000;

        // The ScriptBlock is fetched inside the lane's runspace, so it belongs to it (PowerShell/PowerShell#24415).
        private const string ServeScript = "param($Serve) $Serve.Invoke(${function:" + ScriptBlockHandler.HandlerFunction + "})";

        private readonly InitialSessionState _state;
        private readonly ScriptRequestQueue _queue;
        private readonly Action<ScriptLane> _ended;
        private readonly ScriptHandlerInvoker _invoker;
        private readonly Thread _thread;
        private readonly TaskCompletionSource<bool> _opened = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly object _gate = new object();
        private readonly Func<bool> _mustLeave;
        private PowerShell? _pipeline;
        private ScriptRequest? _current;
        private bool _stopping;
        private bool _closing;

        public ScriptLane(InitialSessionState state, bool inPipeline, ScriptRequestQueue queue, Action<ScriptLane> ended, int number)
        {
            _invoker = new ScriptHandlerInvoker(inPipeline);
            _state = state;
            _queue = queue;
            _ended = ended;
            _mustLeave = MustLeave;
            _thread = new Thread(Run, StackSize) { IsBackground = true, Name = $"PSNetLab handler lane {number}" };
        }

        /// <summary>Completes when the runspace is open (or failed to open).</summary>
        public Task Opened => _opened.Task;

        public void Start() => _thread.Start();

        /// <summary>If the request running here is past its deadline: fails it with <paramref name="why"/> and stops the handler.</summary>
        public void StopIfOverdue(long now, Func<Exception> why)
        {
            lock (_gate)
            {
                ScriptRequest? current = _current;
                if (current != null && current.Expired(now) && current.Abandon(why()))
                {
                    StopLocked();
                }
            }
        }

        /// <summary>Stops the handler if it is still running <paramref name="request"/> (already finished by the caller).</summary>
        public void StopIfRunning(ScriptRequest request)
        {
            lock (_gate)
            {
                if (_current == request)
                {
                    StopLocked();
                }
            }
        }

        /// <summary>Stops whatever runs and lets the thread end; the runspace is closed on that thread.</summary>
        public void Close()
        {
            lock (_gate)
            {
                _closing = true;
                _current?.Abandon(new OperationCanceledException("the server stopped"));
                StopLocked();
            }
        }

        /// <summary>Waits for the thread to end; not when called from it (a handler that stops its own server).</summary>
        public bool Join(TimeSpan timeout) => Thread.CurrentThread == _thread || _thread.Join(timeout);

        /// <summary>
        /// Under the lock, so the stop can only hit the request the caller saw: the lane clears
        /// <see cref="_current"/> under the same lock and then serves no more on this pipeline.
        /// </summary>
        private void StopLocked()
        {
            _stopping = true;
            BeginStop(_pipeline);
        }

        private void Run()
        {
            try
            {
                using (Runspace runspace = RunspaceFactory.CreateRunspace(_state))
                {
                    runspace.ThreadOptions = PSThreadOptions.UseCurrentThread;
                    runspace.Open();
                    _opened.TrySetResult(true);
                    while (ServeOnce(runspace))
                    {
                    }
                }
            }
            catch (Exception e)
            {
                // The runspace would not open or broke: fail what it held; a new lane may take its place.
                _opened.TrySetException(e);
                lock (_gate)
                {
                    _current?.Abandon(e);
                }
            }

            _ended(this);
        }

        /// <summary>One run of the serving pipeline, until it is stopped; false when the lane is closing.</summary>
        private bool ServeOnce(Runspace runspace)
        {
            using (PowerShell pipeline = PowerShell.Create())
            {
                pipeline.Runspace = runspace;
                pipeline.AddScript(ServeScript).AddArgument(new Action<ScriptBlock>(Serve));
                pipeline.InvocationStateChanged += LeaveWhenStopping;
                lock (_gate)
                {
                    if (_closing)
                    {
                        return false;
                    }

                    _pipeline = pipeline;
                    _stopping = false;
                }

                try
                {
                    pipeline.Invoke();
                }
                catch (PipelineStoppedException)
                {
                    // A handler was stopped: serve on with a fresh pipeline.
                }
                catch (MethodInvocationException e) when (e.InnerException is PipelineStoppedException)
                {
                    // The same, seen through the call from the serving script.
                }
                finally
                {
                    lock (_gate)
                    {
                        _pipeline = null;
                    }
                }

                lock (_gate)
                {
                    return !_closing;
                }
            }
        }

        /// <summary>
        /// A stop from outside, while the lane waits for a request: closing the runspace (pwsh
        /// does that to every open runspace when it exits) stops its pipeline and waits for it to
        /// end, so the wait must end too.
        /// </summary>
        private void LeaveWhenStopping(object? sender, PSInvocationStateChangedEventArgs e)
        {
            if (e.InvocationStateInfo.State != PSInvocationState.Stopping)
            {
                return;
            }

            lock (_gate)
            {
                // A late event from a pipeline stopped before (a timeout) must not stop the next one.
                if (sender != _pipeline)
                {
                    return;
                }

                _stopping = true;
            }

            _queue.WakeAll();
        }

        // Without the lock: it is read under the queue's lock, and a stop takes the two in the other order.
        private bool MustLeave() => Volatile.Read(ref _stopping);

        /// <summary>Runs requests until the queue closes or this pipeline is being stopped.</summary>
        private void Serve(ScriptBlock handler)
        {
            PSDataStreams streams = _pipeline!.Streams;
            while (true)
            {
                ScriptRequest? request = _queue.Take(_mustLeave);
                if (request == null)
                {
                    return;
                }

                if (!request.TryStart())
                {
                    continue;
                }

                lock (_gate)
                {
                    if (_stopping)
                    {
                        // Stopped between two requests: this pipeline can run nothing more.
                        request.Abandon(new OperationCanceledException("the server stopped"));
                        return;
                    }

                    _current = request;
                }

                bool stopped = _invoker.Invoke(handler, request.Request, streams, out HandlerReply? reply, out Exception? failure);
                bool leave;
                lock (_gate)
                {
                    _current = null;
                    leave = stopped || _stopping;
                }

                // Outside the lock: the connection's code may run here (see ScriptRequest).
                if (failure != null)
                {
                    request.Fail(failure);
                }
                else
                {
                    request.Complete(reply!);
                }

                if (leave)
                {
                    return;
                }
            }
        }

        private static void BeginStop(PowerShell? pipeline)
        {
            if (pipeline == null)
            {
                return;
            }

            try
            {
                pipeline.BeginStop(stopped =>
                {
                    try
                    {
                        pipeline.EndStop(stopped);
                    }
                    catch (Exception e) when (e is ObjectDisposedException || e is InvalidOperationException)
                    {
                        // Finished or disposed meanwhile: nothing left to stop.
                    }
                }, null);
            }
            catch (Exception e) when (e is ObjectDisposedException || e is InvalidOperationException)
            {
                // Finished meanwhile.
            }
        }
    }
}
