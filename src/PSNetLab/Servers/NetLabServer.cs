using System;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSNetLab.Servers.Handlers;

namespace PSNetLab.Servers
{
    /// <summary>
    /// The server host every protocol shares: bind synchronously (so bind errors reach the prompt),
    /// serve in the background, record events into a bounded sink, count, and stop at once and
    /// only once. A protocol supplies <see cref="BindListener"/>, <see cref="ServeAsync"/> and
    /// <see cref="CloseListener"/>; the TCP server plugs in the same way as <see cref="Udp.UdpServer"/>.
    /// </summary>
    public abstract class NetLabServer : IServerEventRecorder, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly ManualResetEventSlim _finished = new ManualResetEventSlim(false);
        private IServerEventSink? _events;
        private Task? _serving;
        private IPEndPoint? _localEndPoint;
        private int _stopRequested;

        protected NetLabServer(ServerOptions options)
        {
            Options = options;
            HandlerSlots = new SemaphoreSlim(Math.Max(1, options.Handler.MaxConcurrency));
        }

        public abstract ServerProtocol Protocol { get; }

        public ServerOptions Options { get; }

        public string Name => Options.Name;

        public IMessageHandler Handler => Options.Handler;

        /// <summary>The bound address and port (the real port when -Port 0 was asked for).</summary>
        public IPEndPoint LocalEndPoint => _localEndPoint ?? throw new InvalidOperationException("The server is not bound yet.");

        public DateTime StartTime { get; private set; }

        public ServerStatus Status { get; private set; }

        /// <summary>Why the server failed, when <see cref="Status"/> is Failed.</summary>
        public Exception? Fault { get; private set; }

        public ServerCounters Counters { get; } = new ServerCounters();

        public long EventsDropped => _events?.Dropped ?? 0;

        /// <summary>Raised once, when the server has stopped or failed and its port is free.</summary>
        public event EventHandler? Finished;

        protected bool IsStopping => _stopping.IsCancellationRequested;

        protected CancellationToken StopToken => _stopping.Token;

        /// <summary>Bounds the requests in flight to the handler's concurrency; the serving loop waits for a slot.</summary>
        protected SemaphoreSlim HandlerSlots { get; }

        /// <summary>Binds the listening socket now, on the caller's thread; throws NetLabException on failure.</summary>
        public void Bind()
        {
            _localEndPoint = BindListener();
        }

        public void Start(IServerEventSink events)
        {
            if (_localEndPoint == null)
            {
                Bind();
            }

            _events = events;
            StartTime = DateTime.Now;
            Status = ServerStatus.Running;
            LiveServers.Add(this);
            Record(ServerEventKind.Started, detail: $"listening on {Protocol.ToString().ToLowerInvariant()} {ServerEvent.FormatEndPoint(LocalEndPoint.Address, LocalEndPoint.Port)} ({Handler.Name})");
            _serving = Task.Run(() => ServeAsync(_stopping.Token));
            _serving.ContinueWith(OnServingEnded, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        /// <summary>Whether Suspend-Job can pause this server (TCP: stop accepting while the socket keeps listening).</summary>
        public virtual bool CanSuspend => false;

        public virtual bool IsSuspended => false;

        /// <summary>Pauses serving without closing the socket; only when <see cref="CanSuspend"/>.</summary>
        public virtual void Suspend() => throw CannotSuspend();

        public virtual void Resume() => throw CannotSuspend();

        /// <summary>Closes the socket at once (the port is free when this returns) and waits briefly for the loop and handlers. Safe to call twice.</summary>
        public void Stop() => Finish(null);

        /// <summary>Waits until the server has stopped; false when the timeout passed first.</summary>
        public bool WaitForStop(TimeSpan timeout) => _finished.Wait(timeout);

        public void Dispose()
        {
            Stop();
        }

        protected abstract IPEndPoint BindListener();

        protected abstract Task ServeAsync(CancellationToken stopping);

        /// <summary>Closes the listening socket; must be safe to call twice.</summary>
        protected abstract void CloseListener();

        protected bool Records(ServerEventKind kind) => _events != null && Options.EventLevel >= EventLevels.Of(kind);

        bool IServerEventRecorder.Records(ServerEventKind kind) => Records(kind);

        void IServerEventRecorder.Record(ServerEventKind kind, IPEndPoint? remote, string? text, byte[]? bytes, string? detail, int length, DateTime? time, Encoding? textEncoding) => Record(kind, remote, text, bytes, detail, length, time, textEncoding);

        protected void Record(ServerEventKind kind, IPEndPoint? remote = null, string? text = null, byte[]? bytes = null, string? detail = null, int length = -1, DateTime? time = null, Encoding? textEncoding = null)
        {
            if (Records(kind))
            {
                _events!.Record(new ServerEvent(Name, LocalEndPoint.Port, kind, remote, text, bytes, detail, length, time, textEncoding));
            }
        }

        protected void RecordError(IPEndPoint? remote, string detail)
        {
            Counters.AddError();
            Record(ServerEventKind.Error, remote, detail: detail);
        }

        /// <summary>Starts the handler; a handler that throws synchronously gives a faulted task, never an exception here.</summary>
        protected Task<HandlerReply> CallHandler(HandlerRequest request)
        {
            try
            {
                return Handler.HandleAsync(request, _stopping.Token);
            }
            catch (Exception e)
            {
                var failed = new TaskCompletionSource<HandlerReply>();
                failed.SetException(e);
                return failed.Task;
            }
        }

        /// <summary>The reply of a completed handler task; a failure becomes an Error event for that request only.</summary>
        protected bool TryGetReply(Task<HandlerReply> completed, HandlerRequest request, out HandlerReply reply)
        {
            reply = HandlerReply.None;
            if (completed.Status == TaskStatus.RanToCompletion)
            {
                reply = completed.Result;
                return !reply.IsNone;
            }

            if (!IsStopping)
            {
                Exception? error = completed.Exception?.GetBaseException();
                RecordError(request.RemoteEndPoint, $"handler {Handler.Name} failed: {error?.Message ?? "it was cancelled"}");
            }

            return false;
        }

        private NotSupportedException CannotSuspend() =>
            new NotSupportedException($"A {Protocol.ToString().ToUpperInvariant()} server cannot be suspended; stop it with Stop-NetLabServer and start it again.");

        private void OnServingEnded(Task serving)
        {
            // The loop only ends by itself when something unexpected broke it: the server has failed.
            Exception? fault = serving.IsFaulted ? serving.Exception?.GetBaseException() : null;
            if (fault != null || !IsStopping)
            {
                Finish(fault ?? new InvalidOperationException("The serving loop ended unexpectedly."));
            }
        }

        private void Finish(Exception? fault)
        {
            if (Interlocked.Exchange(ref _stopRequested, 1) == 1)
            {
                return;
            }

            _stopping.Cancel();
            CloseListener();
            if (_serving != null && fault == null)
            {
                try
                {
                    _serving.Wait(Options.StopTimeout);
                }
                catch (AggregateException)
                {
                    // The loop's own fault is reported by OnServingEnded.
                }
            }

            Handler.Dispose();
            LiveServers.Remove(this);
            if (fault != null)
            {
                Fault = fault;
                RecordError(null, $"the server failed: {fault.Message}");
            }

            Status = fault == null ? ServerStatus.Stopped : ServerStatus.Failed;
            Record(ServerEventKind.Stopped, detail: $"{Counters.MessagesReceived} received, {Counters.MessagesSent} sent, {Counters.Errors} errors");
            _finished.Set();
            Finished?.Invoke(this, EventArgs.Empty);
        }
    }
}
