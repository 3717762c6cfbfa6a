namespace PSNetLab.Ports
{
    /// <summary>IANA's three port ranges (RFC 6335).</summary>
    public enum PortRange
    {
        /// <summary>0-1023: system ports; binding one needs privilege on Unix.</summary>
        WellKnown,

        /// <summary>1024-49151: user ports registered with IANA.</summary>
        Registered,

        /// <summary>49152-65535: dynamic/private ports, where IANA suggests ephemeral ports come from.</summary>
        Dynamic,
    }
}
