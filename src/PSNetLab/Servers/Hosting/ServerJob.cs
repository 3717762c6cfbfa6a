using System;
using System.Collections;
using System.ComponentModel;
using System.Management.Automation;
using System.Net;
using System.Threading;
using PSNetLab.Commands;
using PSNetLab.Errors;

namespace PSNetLab.Servers.Hosting
{
    /// <summary>
    /// A background server as a PowerShell job, the way Start-ThreadJob's jobs are: Get-Job lists
    /// it, Receive-Job returns its events, Stop-Job / Remove-Job -Force stop it and free the port.
    /// Its Output collection is the server's bounded event log.
    /// </summary>
    public sealed class ServerJob : Job2, IServerEventSink
    {
        private readonly int _maxEvents;
        private long _dropped;

        public ServerJob(NetLabServer server, string command, int maxEvents)
            : base(command, server.Name)
        {
            Server = server;
            _maxEvents = maxEvents;
            PSJobTypeName = "NetLabServer";
            Output = ServerEventCollection.Create();
            server.Finished += OnServerFinished;
            ServerJobs.Add(this);
        }

        /// <summary>The engine object, for counters and details the job does not surface.</summary>
        public NetLabServer Server { get; }

        public ServerProtocol Protocol => Server.Protocol;

        public IPAddress LocalAddress => Server.LocalEndPoint.Address;

        public int Port => Server.LocalEndPoint.Port;

        public string Handler => Server.Handler.Name;

        public DateTime StartTime => Server.StartTime;

        public long MessagesReceived => Server.Counters.MessagesReceived;

        public long MessagesSent => Server.Counters.MessagesSent;

        public long BytesReceived => Server.Counters.BytesReceived;

        public long BytesSent => Server.Counters.BytesSent;

        public long Errors => Server.Counters.Errors;

        public long Connections => Server.Counters.ConnectionsAccepted;

        public long ActiveConnections => Server.Counters.ActiveConnections;

        public long RejectedConnections => Server.Counters.ConnectionsRejected;

        public long EventsDropped => Interlocked.Read(ref _dropped);

        long IServerEventSink.Dropped => EventsDropped;

        public override string StatusMessage => $"{MessagesReceived} received, {MessagesSent} sent, {Errors} errors";

        public override bool HasMoreData => Output.Count > 0 || Error.Count > 0;

        public override string Location => $"{Protocol.ToString().ToLowerInvariant()}/{ServerEvent.FormatEndPoint(LocalAddress, Port)}";

        /// <summary>Starts serving (the socket is already bound) and marks the job Running.</summary>
        public void StartServing()
        {
            Server.Start(this);
            SetJobState(JobState.Running);
        }

        public void Record(ServerEvent serverEvent)
        {
            PSDataCollection<PSObject> output = Output;
            try
            {
                // Locking the collection's own lock makes "make room" atomic with Receive-Job's ReadAll;
                // the Add stays outside it so DataAdded handlers never run under the lock.
                lock (((ICollection)output).SyncRoot)
                {
                    // Nobody is watching the log: the event goes in without a PSObject and Add. The
                    // test is on the collection itself, since Output has a public setter (while the job
                    // is not running) and a plain collection set there takes its events through Add.
                    if (output is ServerEventCollection log && log.TryAppendUnwatched(serverEvent, _maxEvents, out int dropped))
                    {
                        if (dropped > 0)
                        {
                            Interlocked.Add(ref _dropped, dropped);
                        }

                        return;
                    }

                    while (output.Count >= _maxEvents)
                    {
                        output.RemoveAt(0);
                        Interlocked.Increment(ref _dropped);
                    }
                }

                output.Add(new PSObject(serverEvent));
            }
            catch (Exception e) when (e is ObjectDisposedException || e is InvalidOperationException)
            {
                // Remove-Job disposed the collection while the server was stopping: nobody can read it.
            }
        }

        public override void StartJob()
        {
            // Started by the cmdlet that created it (StartServing); there is nothing more to start.
        }

        public override void StartJobAsync() => OnStartJobCompleted(new AsyncCompletedEventArgs(null, false, null));

        public override void StopJob() => Server.Stop();

        public override void StopJob(bool force, string reason) => Server.Stop();

        public override void StopJobAsync()
        {
            Server.Stop();
            OnStopJobCompleted(new AsyncCompletedEventArgs(null, false, null));
        }

        public override void StopJobAsync(bool force, string reason) => StopJobAsync();

        public override void SuspendJob() => Suspend();

        public override void SuspendJob(bool force, string reason) => Suspend();

        public override void SuspendJobAsync() => OnSuspendJobCompleted(new AsyncCompletedEventArgs(Try(Suspend), false, null));

        public override void SuspendJobAsync(bool force, string reason) => SuspendJobAsync();

        public override void ResumeJob() => Resume();

        public override void ResumeJobAsync() => OnResumeJobCompleted(new AsyncCompletedEventArgs(Try(Resume), false, null));

        public override void UnblockJob()
        {
            // A server never blocks waiting for input.
        }

        public override void UnblockJobAsync() => OnUnblockJobCompleted(new AsyncCompletedEventArgs(null, false, null));

        public override string ToString() => $"{Name} ({Location}, {JobStateInfo.State})";

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Server.Stop();
                ServerJobs.Remove(this);

                // The job does not dispose an Output it was given.
                Output.Dispose();
            }

            base.Dispose(disposing);
        }

        /// <summary>Stops accepting; the socket keeps listening, so new clients wait in the accept queue.</summary>
        private void Suspend()
        {
            Server.Suspend();
            SetJobState(JobState.Suspended);
        }

        private void Resume()
        {
            Server.Resume();
            SetJobState(JobState.Running);
        }

        private static Exception? Try(Action action)
        {
            try
            {
                action();
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        }

        private void OnServerFinished(object? sender, EventArgs e)
        {
            if (Server.Status == ServerStatus.Failed && Server.Fault != null)
            {
                ErrorRecord record = Server.Fault is NetLabException netLab
                    ? ErrorRecords.From(netLab)
                    : new ErrorRecord(Server.Fault, "NetLabServerFailed", ErrorCategory.NotSpecified, Name);
                try
                {
                    Error.Add(record);
                }
                catch (ObjectDisposedException)
                {
                    // Removed meanwhile.
                }

                SetJobState(JobState.Failed);
            }
            else
            {
                SetJobState(JobState.Stopped);
            }
        }
    }
}
