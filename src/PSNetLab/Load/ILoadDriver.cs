using System;

namespace PSNetLab.Load
{
    /// <summary>
    /// What a load run drives and reads: a thread serving one connection (<see cref="LoadWorker"/>)
    /// or one thread multiplexing many (<see cref="EpollTcpLoadDriver"/>). Counters are written by
    /// the driver's thread and read, a little stale, by the thread that shows progress.
    /// </summary>
    internal interface ILoadDriver
    {
        LatencyHistogram Latency { get; }

        /// <summary>A bug, not a network error: the run reports it.</summary>
        Exception? Fault { get; }

        long Requests { get; }

        long ConnectionsMade { get; }

        long ErrorsOf(LoadErrorKind kind);

        void Start(string name);

        /// <summary>Progress thread: a connect that hangs (SYN dropped by a full backlog) is abandoned after the timeout.</summary>
        void AbandonHungConnect(long now);

        /// <summary>The run is stopping: unblock the driver's thread.</summary>
        void CloseSocket();

        void Join();
    }
}
