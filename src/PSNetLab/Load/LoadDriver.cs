using System;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;

namespace PSNetLab.Load
{
    /// <summary>
    /// What a load run drives and reads: a thread serving one connection (<see cref="LoadWorker"/>)
    /// or one thread multiplexing many (<see cref="EpollTcpLoadDriver"/>). The counters are written
    /// by the driver's thread only and read, a little stale, by the thread that shows progress.
    /// </summary>
    internal abstract class LoadDriver
    {
        private static readonly double TicksPerMicrosecond = Stopwatch.Frequency / 1_000_000.0;
        private readonly long[] _errors = new long[Enum.GetValues(typeof(LoadErrorKind)).Length];
        private Thread? _thread;
        private long _requests;
        private long _connections;
        private long _connectStarted;
        private int _connectTimedOut;

        protected LoadDriver(LoadOptions options, LoadRunControl control)
        {
            Options = options;
            Control = control;
            TimeoutTicks = (long)(options.Timeout.TotalSeconds * Stopwatch.Frequency);
            Message = new EchoMessage(options.MessageSize, options.ExpectPrefix, newline: !options.Udp && options.Framing == LoadFraming.Line);
        }

        public LatencyHistogram Latency { get; } = new LatencyHistogram();

        /// <summary>A bug, not a network error: the run reports it.</summary>
        public Exception? Fault { get; private set; }

        public long Requests => Volatile.Read(ref _requests);

        public long ConnectionsMade => Volatile.Read(ref _connections);

        protected LoadOptions Options { get; }

        protected LoadRunControl Control { get; }

        protected EchoMessage Message { get; }

        /// <summary>-Timeout in Stopwatch ticks.</summary>
        protected long TimeoutTicks { get; }

        protected bool Stopping => Control.Stopping;

        public long ErrorsOf(LoadErrorKind kind) => Volatile.Read(ref _errors[(int)kind]);

        /// <summary>A blocking send of the whole request; a failure is a <see cref="LoadFailure"/>.</summary>
        public static void SendAll(Socket socket, byte[] buffer, int count)
        {
            int sent = 0;
            while (sent < count)
            {
                int n = socket.Send(buffer, sent, count - sent, SocketFlags.None, out SocketError error);
                if (error != SocketError.Success)
                {
                    throw LoadFailure.From(error);
                }

                sent += n;
            }
        }

        public void Start(string name)
        {
            _thread = new Thread(Main, 256 * 1024) { IsBackground = true, Name = name };
            _thread.Start();
        }

        public void Join() => _thread?.Join();

        /// <summary>Progress thread: a connect that hangs (SYN dropped by a full backlog) is abandoned after -Timeout by closing its socket.</summary>
        public void AbandonHungConnect(long now)
        {
            long started = Volatile.Read(ref _connectStarted);
            if (started != 0 && now - started > TimeoutTicks)
            {
                Interlocked.Exchange(ref _connectTimedOut, 1);
                CloseSocket();
            }
        }

        /// <summary>The run is stopping: unblock the driver's thread.</summary>
        public abstract void CloseSocket();

        /// <summary>The driver's thread: drives its connections until the run stops.</summary>
        protected abstract void Run();

        protected void Completed(long sentAt)
        {
            Latency.Record((long)((Stopwatch.GetTimestamp() - sentAt) / TicksPerMicrosecond));
            Volatile.Write(ref _requests, _requests + 1);
        }

        protected void ConnectionMade() => Interlocked.Increment(ref _connections);

        /// <summary>Driver thread: a blocking connect begins (a late abandon of the one before no longer counts).</summary>
        protected void ConnectStarting()
        {
            Interlocked.Exchange(ref _connectTimedOut, 0);
            Volatile.Write(ref _connectStarted, Stopwatch.GetTimestamp());
        }

        protected void ConnectEnded() => Volatile.Write(ref _connectStarted, 0);

        /// <summary>True, once, when the progress thread abandoned the connect as hung.</summary>
        protected bool TakeConnectTimedOut() => Interlocked.Exchange(ref _connectTimedOut, 0) == 1;

        /// <summary>Counts a failure unless the run is stopping: then it is the stop's own doing.</summary>
        protected void CountError(LoadErrorKind kind)
        {
            if (!Stopping)
            {
                Interlocked.Increment(ref _errors[(int)kind]);
            }
        }

        private void Main()
        {
            try
            {
                Run();
            }
            catch (Exception e)
            {
                Fault = e;
            }
        }
    }
}
