namespace PSNetLab.Sockets
{
    /// <summary>
    /// One state set for every OS. The TCP names are Get-NetTCPConnection's; Bound and None are
    /// for sockets that have no TCP state (an unconnected UDP or unix socket).
    /// </summary>
    public enum SocketState
    {
        /// <summary>A unix socket that is neither bound to a name nor connected.</summary>
        None = 0,
        Listen,
        SynSent,
        SynReceived,
        Established,
        FinWait1,
        FinWait2,
        CloseWait,
        Closing,
        LastAck,
        TimeWait,
        Closed,
        /// <summary>Bound to a local address but not connected: an unconnected UDP socket, or a bound unix datagram socket.</summary>
        Bound,
    }

    public enum SocketProtocol
    {
        Tcp,
        Udp,
        Unix,
    }

    /// <summary>What -Watch saw happen to a socket between two looks at the table.</summary>
    public enum SocketChangeType
    {
        /// <summary>Present when the watch began.</summary>
        Existing,
        Added,
        StateChanged,
        Removed,
    }

    /// <summary>Which kernel timer is running on a TCP socket (ss -o shows the same).</summary>
    public enum SocketTimerKind
    {
        Retransmit,
        KeepAlive,
        TimeWait,
        ZeroWindowProbe,
    }
}
