namespace PSNetLab.Load
{
    /// <summary>How a TCP load generator marks where one message ends.</summary>
    public enum LoadFraming
    {
        /// <summary>Each message ends in \n and the reply is read up to \n (\r\n accepted), for line servers.</summary>
        Line,

        /// <summary>No delimiter: the reply is exactly prefix + message bytes, for byte-stream echo servers.</summary>
        Raw,
    }
}
