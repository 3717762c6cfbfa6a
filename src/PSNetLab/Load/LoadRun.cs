using System;
using System.Diagnostics;
using System.Threading;

namespace PSNetLab.Load
{
    /// <summary>
    /// Runs the workers for the duration. The caller's thread (the cmdlet's pipeline thread) calls
    /// <see cref="WaitForProgress"/> in a loop to show progress, and <see cref="Finish"/> for the result.
    /// </summary>
    public sealed class LoadRun : IDisposable
    {
        private readonly LoadOptions _options;
        private readonly LoadRunControl _control = new LoadRunControl();
        private readonly LoadDriver[] _workers;
        private readonly Stopwatch _clock = new Stopwatch();
        private TimeSpan _ranFor;
        private bool _finished;

        public LoadRun(LoadOptions options)
        {
            options.Validate();
            _options = options;
            if (EpollTcpLoadDriver.Drives(options))
            {
                _workers = new LoadDriver[] { new EpollTcpLoadDriver(options, _control) };
                return;
            }

            _workers = new LoadDriver[options.Connections];
            for (int i = 0; i < _workers.Length; i++)
            {
                _workers[i] = options.Udp ? new UdpLoadWorker(options, _control) : (LoadDriver)new TcpLoadWorker(options, _control);
            }
        }

        public bool IsDone => _clock.Elapsed >= _options.Duration || _control.Stopping;

        public void Start()
        {
            _clock.Start();
            for (int i = 0; i < _workers.Length; i++)
            {
                _workers[i].Start($"PSNetLab load {i + 1}");
            }
        }

        /// <summary>Waits up to <paramref name="interval"/> (less at the end of the run) and returns the counters so far.</summary>
        public LoadProgress WaitForProgress(TimeSpan interval, CancellationToken cancel)
        {
            TimeSpan left = _options.Duration - _clock.Elapsed;
            TimeSpan wait = left < interval ? left : interval;
            if (wait > TimeSpan.Zero)
            {
                cancel.WaitHandle.WaitOne(wait);
            }

            long now = Stopwatch.GetTimestamp();
            long requests = 0;
            long errors = 0;
            foreach (LoadDriver worker in _workers)
            {
                worker.AbandonHungConnect(now);
                requests += worker.Requests;
                for (int k = 0; k < ErrorKinds.Length; k++)
                {
                    errors += worker.ErrorsOf(ErrorKinds[k]);
                }
            }

            if (cancel.IsCancellationRequested)
            {
                Stop();
            }

            return new LoadProgress(_clock.Elapsed, _options.Duration, requests, errors);
        }

        /// <summary>Stops every worker (closing its socket unblocks it) and waits for the threads to end.</summary>
        public void Stop()
        {
            if (_finished)
            {
                return;
            }

            _control.Stop();
            _ranFor = _clock.Elapsed;
            foreach (LoadDriver worker in _workers)
            {
                worker.CloseSocket();
            }

            foreach (LoadDriver worker in _workers)
            {
                worker.Join();
            }

            _finished = true;
        }

        public LoadResult Finish()
        {
            Stop();
            var latency = new LatencyHistogram();
            var result = new LoadResult
            {
                Protocol = _options.Udp ? "Udp" : "Tcp",
                RemoteAddress = _options.Target.Address,
                RemotePort = _options.Target.Port,
                Connections = _options.Connections,
                MessageSize = _options.MessageSize,
                Framing = _options.Udp ? string.Empty : _options.Framing.ToString(),
                ShortConnections = _options.ShortConnections,
                Pipeline = _options.Pipeline,
                Duration = _ranFor,
            };

            foreach (LoadDriver worker in _workers)
            {
                if (worker.Fault != null)
                {
                    throw new InvalidOperationException("A load worker failed: " + worker.Fault.Message, worker.Fault);
                }

                latency.Add(worker.Latency);
                result.ConnectionsMade += worker.ConnectionsMade;
                result.Refused += worker.ErrorsOf(LoadErrorKind.Refused);
                result.Reset += worker.ErrorsOf(LoadErrorKind.Reset);
                result.TimedOut += worker.ErrorsOf(LoadErrorKind.TimedOut);
                result.WrongBytes += worker.ErrorsOf(LoadErrorKind.WrongBytes);
                result.Closed += worker.ErrorsOf(LoadErrorKind.Closed);
            }

            double seconds = Math.Max(_ranFor.TotalSeconds, 1e-9);
            result.Requests = latency.Count;
            result.RequestsPerSecond = latency.Count / seconds;
            result.MegabytesPerSecond = latency.Count * (double)_options.MessageSize / 1e6 / seconds;
            result.LatencyP50Ms = latency.Percentile(0.50) / 1000.0;
            result.LatencyP90Ms = latency.Percentile(0.90) / 1000.0;
            result.LatencyP99Ms = latency.Percentile(0.99) / 1000.0;
            result.LatencyMaxMs = latency.Max / 1000.0;
            return result;
        }

        public void Dispose()
        {
            Stop();
            _control.Dispose();
        }

        private static readonly LoadErrorKind[] ErrorKinds = (LoadErrorKind[])Enum.GetValues(typeof(LoadErrorKind));
    }
}
