using System;
using System.Collections.Generic;
using System.Net;
using System.Text;
using System.Threading;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>
    /// The observer a worker's connection loop reports to: events go into a bounded queue that one
    /// thread sends to the server in batches, counters accumulate and go with them as increments.
    /// The loop never waits for the server, and a flood drops the oldest events (counted), never memory.
    /// </summary>
    internal sealed class WorkerReporter : ITcpConnectionObserver, IDisposable
    {
        /// <summary>Events of one batch; the server's event log is bounded anyway, so a larger backlog would be dropped there.</summary>
        private const int QueueCapacity = 4096;

        private const int BatchBytes = 256 * 1024;

        /// <summary>
        /// How long the sender gathers after a batch before it looks again. Sending at every event
        /// woke this thread (and the server's reader) once per message: with a worker per busy
        /// connection, those context switches cost more than the echo itself. At 10 ms the wake-ups
        /// still cost more than encoding and decoding the events (16 busy workers: 3.1-4.3 µs per
        /// request in the two threads, 1.4-1.9 at 50 ms, 1.8-1.9 at 100 ms). The first event after a
        /// quiet spell still goes at once; a connection's last events go with Finish, not later.
        /// </summary>
        private static readonly TimeSpan GatherTime = TimeSpan.FromMilliseconds(50);

        private readonly ControlChannel _channel;
        private readonly EventLevel _level;
        private readonly BoundedQueue<WorkerEvent> _events = new BoundedQueue<WorkerEvent>(QueueCapacity);
        private readonly object _flushing = new object();
        private readonly List<WorkerEvent> _batch = new List<WorkerEvent>();
        private readonly PayloadWriter _encoder = new PayloadWriter();
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly Thread _sender;
        private long _messagesReceived;
        private long _bytesReceived;
        private long _messagesSent;
        private long _bytesSent;
        private long _errors;
        private long _droppedReported;

        public WorkerReporter(ControlChannel channel, EventLevel level)
        {
            _channel = channel;
            _level = level;
            _sender = new Thread(SendLoop) { IsBackground = true, Name = "PSNetLab worker reporter" };
            _sender.Start();
        }

        public bool Records(ServerEventKind kind) => _level >= EventLevels.Of(kind);

        /// <summary>An excerpt goes as its bytes (and a handler's own text, when it had one); the server decodes them with its encoding (WorkerProcess).</summary>
        public void Record(ServerEventKind kind, IPEndPoint? remote, string? text = null, byte[]? bytes = null, string? detail = null, int length = -1, DateTime? time = null, Encoding? textEncoding = null)
        {
            // Payloads are excerpts of at most a KiB (EventExcerpt), so one event stays far below the frame limit.
            if (Records(kind))
            {
                _events.Add(new WorkerEvent(kind, remote, text, bytes, detail, length, time?.ToUniversalTime()));
            }
        }

        public void CountReceived(int bytes)
        {
            Interlocked.Increment(ref _messagesReceived);
            Interlocked.Add(ref _bytesReceived, bytes);
        }

        public void CountSent(int bytes)
        {
            Interlocked.Increment(ref _messagesSent);
            Interlocked.Add(ref _bytesSent, bytes);
        }

        public void CountError() => Interlocked.Increment(ref _errors);

        /// <summary>Sends everything recorded so far, then Done: the server sees the connection's last events before its Closed event.</summary>
        public void Finish(long connectionId, string reason)
        {
            lock (_flushing)
            {
                Flush();
                _channel.Send(new ConnectionDone(connectionId, reason).ToFrame());
            }
        }

        public void Dispose()
        {
            _stopping.Cancel();
            _sender.Join(TimeSpan.FromSeconds(1));
        }

        private void SendLoop()
        {
            try
            {
                while (!_stopping.IsCancellationRequested)
                {
                    _events.WaitForItems(TimeSpan.FromMilliseconds(200), _stopping.Token);
                    lock (_flushing)
                    {
                        Flush();
                    }

                    _stopping.Token.WaitHandle.WaitOne(GatherTime);
                }
            }
            catch (Exception e) when (e is System.IO.IOException || e is System.Net.Sockets.SocketException || e is ObjectDisposedException || e is System.ComponentModel.Win32Exception)
            {
                // The server is gone; the worker's reader sees the closed channel and exits.
            }
        }

        private void Flush()
        {
            _batch.Clear();
            _events.TakeAll(_batch);
            int start = 0;
            int bytes = 0;
            for (int i = 0; i < _batch.Count; i++)
            {
                bytes += 32 + ((_batch[i].Text?.Length ?? 0) * 3) + (_batch[i].Bytes?.Length ?? 0) + (_batch[i].Detail?.Length ?? 0);
                if (bytes >= BatchBytes || i == _batch.Count - 1)
                {
                    IReadOnlyList<WorkerEvent> part = start == 0 && i == _batch.Count - 1 ? _batch : _batch.GetRange(start, i - start + 1);
                    _channel.Send(WorkerEvent.ToFrame(part, _encoder));
                    start = i + 1;
                    bytes = 0;
                }
            }

            long dropped = _events.Dropped;
            var report = new CounterReport
            {
                MessagesReceived = Interlocked.Exchange(ref _messagesReceived, 0),
                BytesReceived = Interlocked.Exchange(ref _bytesReceived, 0),
                MessagesSent = Interlocked.Exchange(ref _messagesSent, 0),
                BytesSent = Interlocked.Exchange(ref _bytesSent, 0),
                Errors = Interlocked.Exchange(ref _errors, 0),
                EventsDropped = dropped - _droppedReported,
            };
            _droppedReported = dropped;
            if (!report.IsEmpty)
            {
                _channel.Send(report.ToFrame());
            }
        }
    }
}
