namespace PSNetLab.Servers.Tcp
{
    /// <summary>
    /// Where a <see cref="TcpConnectionLoop"/> reports what happened on its connection: the
    /// Received/Sent/Error events (Accepted/Closed/Rejected are the server's) and the counters. In
    /// the server process it is the server itself; in a Process worker it is whatever carries the
    /// events back to the server over the control channel.
    /// </summary>
    public interface ITcpConnectionObserver : IServerEventRecorder
    {
        void CountReceived(int bytes);

        void CountSent(int bytes);

        void CountError();
    }
}
