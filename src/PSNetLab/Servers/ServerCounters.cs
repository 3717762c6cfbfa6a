using System.Threading;

namespace PSNetLab.Servers
{
    /// <summary>Live counters, updated from socket threads without locks and read at any time.</summary>
    public sealed class ServerCounters
    {
        private long _messagesReceived;
        private long _messagesSent;
        private long _bytesReceived;
        private long _bytesSent;
        private long _errors;
        private long _connectionsAccepted;
        private long _activeConnections;
        private long _connectionsRejected;

        public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

        public long MessagesSent => Interlocked.Read(ref _messagesSent);

        public long BytesReceived => Interlocked.Read(ref _bytesReceived);

        public long BytesSent => Interlocked.Read(ref _bytesSent);

        public long Errors => Interlocked.Read(ref _errors);

        public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);

        public long ActiveConnections => Interlocked.Read(ref _activeConnections);

        public long ConnectionsRejected => Interlocked.Read(ref _connectionsRejected);

        public void AddReceived(int bytes)
        {
            Interlocked.Increment(ref _messagesReceived);
            Interlocked.Add(ref _bytesReceived, bytes);
        }

        public void AddSent(int bytes)
        {
            Interlocked.Increment(ref _messagesSent);
            Interlocked.Add(ref _bytesSent, bytes);
        }

        /// <summary>Adds what a Process-mode worker counted since its last report.</summary>
        public void Add(long messagesReceived, long bytesReceived, long messagesSent, long bytesSent, long errors)
        {
            Interlocked.Add(ref _messagesReceived, messagesReceived);
            Interlocked.Add(ref _bytesReceived, bytesReceived);
            Interlocked.Add(ref _messagesSent, messagesSent);
            Interlocked.Add(ref _bytesSent, bytesSent);
            Interlocked.Add(ref _errors, errors);
        }

        public void AddError() => Interlocked.Increment(ref _errors);

        public void AddConnection()
        {
            Interlocked.Increment(ref _connectionsAccepted);
            Interlocked.Increment(ref _activeConnections);
        }

        public void AddRejected() => Interlocked.Increment(ref _connectionsRejected);

        public void RemoveConnection() => Interlocked.Decrement(ref _activeConnections);
    }
}
