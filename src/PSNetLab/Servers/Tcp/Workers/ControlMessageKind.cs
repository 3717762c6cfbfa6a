namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>What a control-channel frame carries. The byte values are the wire format: never renumber.</summary>
    public enum ControlMessageKind : byte
    {
        /// <summary>Worker to server, first: the secret token it was started with, and its PID.</summary>
        Hello = 1,

        /// <summary>Server to worker: the handler (a ScriptBlock as text) and the connection settings.</summary>
        Configure = 2,

        /// <summary>Worker to server: configured, ready for a connection.</summary>
        Ready = 3,

        /// <summary>Server to worker: serve this connection (its descriptor rides along, or its SocketInformation on Windows).</summary>
        Connection = 4,

        /// <summary>Worker to server: events of the connection it serves, in order.</summary>
        Events = 5,

        /// <summary>Worker to server: counter increments since the last report.</summary>
        Counters = 6,

        /// <summary>Worker to server: the connection is closed; the worker is free again.</summary>
        Done = 7,
    }
}
