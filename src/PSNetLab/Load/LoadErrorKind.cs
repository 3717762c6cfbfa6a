namespace PSNetLab.Load
{
    /// <summary>Why a request failed: the kinds a student can tell apart and fix.</summary>
    public enum LoadErrorKind
    {
        /// <summary>The connection could not be made (nothing listens, or no local port left).</summary>
        Refused,

        /// <summary>The connection broke while in use (RST, broken pipe).</summary>
        Reset,

        /// <summary>No complete echo within the timeout (or a connect that hung that long).</summary>
        TimedOut,

        /// <summary>The echo came back, but not byte for byte what was sent (or, on UDP, too late).</summary>
        WrongBytes,

        /// <summary>The server closed the connection before the echo was complete.</summary>
        Closed,
    }
}
