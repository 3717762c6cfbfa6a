using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Threading;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>
    /// One worker process as the server sees it: started ahead of demand, given one connection at
    /// a time, and watched by one reader thread that turns its messages into the server's events
    /// and counters. When the process exits (crash, kill, or Stop) its connection is finished with
    /// the reason and the pool starts a replacement.
    /// </summary>
    internal sealed class WorkerProcess : IDisposable
    {
        private const int Starting = 0;
        private const int Idle = 1;
        private const int Busy = 2;
        private const int Exited = 3;

        /// <summary>Only the first lines of a worker's error output become events: enough to see why it failed, bounded.</summary>
        private const int MaxErrorLines = 20;

        private readonly WorkerPoolOptions _pool;
        private readonly WorkerSettings _settings;
        private readonly ITcpConnectionObserver _observer;
        private readonly ServerCounters _counters;
        private readonly string _token = NewToken();
        private readonly Thread _reader;
        private readonly LocalTimeConverter _localTimes = new LocalTimeConverter();
        private Process? _process;
        private ControlChannel? _channel;
        private AcceptedConnection? _connection;
        private long _connectionId;
        private int _state = Starting;
        private int _errorLines;
        private int _disposed;

        public WorkerProcess(WorkerPoolOptions pool, WorkerSettings settings, ITcpConnectionObserver observer, ServerCounters counters)
        {
            _pool = pool;
            _settings = settings;
            _observer = observer;
            _counters = counters;
            _reader = new Thread(Run) { IsBackground = true, Name = "PSNetLab worker channel" };
        }

        /// <summary>Raised on the reader thread when the worker is ready for a (next) connection.</summary>
        public event Action<WorkerProcess>? Freed;

        /// <summary>Raised once when the worker is gone; <see cref="WasReady"/> tells a crash after start from a failed start.</summary>
        public event Action<WorkerProcess>? Ended;

        public int ProcessId { get; private set; }

        public bool WasReady { get; private set; }

        /// <summary>Starts the process and the reader thread; returns at once (a pwsh takes a second or more to come up).</summary>
        public void Start() => _reader.Start();

        /// <summary>Claims an idle worker for a connection; false when it is busy or gone.</summary>
        public bool TryReserve() => Interlocked.CompareExchange(ref _state, Busy, Idle) == Idle;

        /// <summary>Hands a reserved worker the connection; false when the worker died meanwhile (the connection is untouched then).</summary>
        public bool Serve(AcceptedConnection connection, long connectionId)
        {
            Volatile.Write(ref _connectionId, connectionId);
            Volatile.Write(ref _connection, connection);
            try
            {
                if (_channel!.SendConnection(connection.Socket, connectionId, ProcessId))
                {
                    return true;
                }

                // Still ours: unless the reader thread already finished it, it can go to another worker.
                return Interlocked.CompareExchange(ref _connection, null, connection) != connection;
            }
            catch (Exception e) when (ControlChannel.IsChannelFailure(e))
            {
                // It left with a worker that died taking it over: nothing can be recovered.
                if (Interlocked.CompareExchange(ref _connection, null, connection) == connection)
                {
                    connection.Finish($"the worker process {ProcessId} failed while taking it over: {e.Message}");
                }

                return true;
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            _channel?.Dispose();
            Process? process = _process;
            if (process != null)
            {
                try
                {
                    process.Kill();
                }
                catch (Exception e) when (e is InvalidOperationException || e is System.ComponentModel.Win32Exception)
                {
                    // It has exited already.
                }
            }
        }

        /// <summary>Waits for a disposed worker's process to be gone (reaped), so Stop leaves no process behind.</summary>
        public void WaitForExit(TimeSpan timeout)
        {
            try
            {
                _process?.WaitForExit((int)Math.Max(0, timeout.TotalMilliseconds));
            }
            catch (Exception e) when (e is InvalidOperationException || e is System.ComponentModel.Win32Exception)
            {
                // Never started, or already reaped and released by its reader thread.
            }
        }

        private void Run()
        {
            string why = "it stopped";
            try
            {
                why = Serve();
            }
            catch (Exception e)
            {
                why = $"its control channel failed: {e.Message}";
            }
            finally
            {
                End(why);
            }
        }

        private string Serve()
        {
            using (ControlListener listener = ControlListener.Create())
            {
                _process = Process.Start(_pool.Host.ToStartInfo(listener.Address, _token))!;
                ProcessId = _process.Id;
                _process.OutputDataReceived += (sender, e) => { };
                _process.ErrorDataReceived += OnErrorLine;
                _process.BeginOutputReadLine();
                _process.BeginErrorReadLine();
                if (IsDisposed)
                {
                    return "the server stopped";
                }

                _channel = listener.Accept(_pool.StartTimeout, () => IsDisposed || _process.HasExited);
            }

            if (_channel == null)
            {
                return _process.HasExited ? $"it exited during start-up with code {_process.ExitCode}" : $"it did not connect back within {_pool.StartTimeout.TotalSeconds:0.#} s";
            }

            ControlFrame? hello = _channel.Read();
            if (hello == null || !TokenMatches(WorkerHello.From(hello).Token))
            {
                return "it did not identify itself with its token";
            }

            _channel.Send(_settings.ToFrame());
            ControlFrame? ready = _channel.Read();
            if (ready?.Kind != ControlMessageKind.Ready)
            {
                return "it could not be configured";
            }

            WasReady = true;
            SetIdle();
            for (ControlFrame? frame = _channel.Read(); frame != null; frame = _channel.Read())
            {
                Dispatch(frame);
            }

            return "its control channel closed";
        }

        private void Dispatch(ControlFrame frame)
        {
            switch (frame.Kind)
            {
                case ControlMessageKind.Events:
                    foreach (WorkerEvent e in WorkerEvent.ListFrom(frame))
                    {
                        _observer.Record(e.Kind, e.Remote, e.Text, e.Bytes, e.Detail, e.Length, _localTimes.ToLocal(e.UtcTime), _settings.Options.Encoding);
                    }

                    break;
                case ControlMessageKind.Counters:
                    CounterReport report = CounterReport.From(frame);
                    _counters.Add(report.MessagesReceived, report.BytesReceived, report.MessagesSent, report.BytesSent, report.Errors);
                    if (report.EventsDropped > 0)
                    {
                        RecordError($"worker {ProcessId} dropped {report.EventsDropped} events it could not send in time");
                    }

                    break;
                case ControlMessageKind.Done:
                    ConnectionDone done = ConnectionDone.From(frame);
                    AcceptedConnection? connection = Interlocked.Exchange(ref _connection, null);
                    connection?.Finish(done.Reason);
                    SetIdle();
                    break;
                default:
                    throw new InvalidDataException($"A worker sent an unexpected {frame.Kind} message.");
            }
        }

        private void SetIdle()
        {
            if (Interlocked.CompareExchange(ref _state, Idle, Starting) == Starting || Interlocked.CompareExchange(ref _state, Idle, Busy) == Busy)
            {
                Freed?.Invoke(this);
            }
        }

        private void End(string why)
        {
            Interlocked.Exchange(ref _state, Exited);
            bool stopping = IsDisposed;
            Dispose();
            Reap();
            AcceptedConnection? connection = Interlocked.Exchange(ref _connection, null);
            if (connection != null)
            {
                string reason = stopping ? "the server stopped" : $"its worker process {ProcessId} ended: {why}";
                if (!stopping)
                {
                    RecordError($"worker {ProcessId} ended while serving {ServerEvent.FormatEndPoint(connection.RemoteEndPoint.Address, connection.RemoteEndPoint.Port)}: {why}");
                }

                connection.Finish(reason);
            }
            else if (!stopping)
            {
                RecordError(WasReady ? $"worker {ProcessId} ended: {why}; starting another" : $"worker {ProcessId} failed to start: {why}");
            }

            Ended?.Invoke(this);
        }

        /// <summary>Waits briefly for the killed process and releases its handle, so replaced workers leave nothing behind.</summary>
        private void Reap()
        {
            WaitForExit(TimeSpan.FromSeconds(1));
            try
            {
                _process?.Dispose();
            }
            catch (InvalidOperationException)
            {
                // Never started.
            }
        }

        private void OnErrorLine(object sender, DataReceivedEventArgs e)
        {
            if (!string.IsNullOrWhiteSpace(e.Data) && Interlocked.Increment(ref _errorLines) <= MaxErrorLines)
            {
                RecordError($"worker {ProcessId}: {e.Data}");
            }
        }

        private void RecordError(string detail)
        {
            _observer.CountError();
            _observer.Record(ServerEventKind.Error, null, detail: detail);
        }

        private bool IsDisposed => Volatile.Read(ref _disposed) == 1;

        private bool TokenMatches(string offered)
        {
            // Compared in constant time, so the token cannot be guessed byte by byte from timing.
            int difference = offered.Length ^ _token.Length;
            for (int i = 0; i < Math.Min(offered.Length, _token.Length); i++)
            {
                difference |= offered[i] ^ _token[i];
            }

            return difference == 0;
        }

        private static string NewToken()
        {
            var bytes = new byte[24];
            using (var random = RandomNumberGenerator.Create())
            {
                random.GetBytes(bytes);
            }

            return Convert.ToBase64String(bytes);
        }
    }
}
