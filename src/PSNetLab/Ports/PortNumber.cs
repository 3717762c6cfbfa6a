using PSNetLab.Errors;

namespace PSNetLab.Ports
{
    /// <summary>The one place that decides whether a number is a port and which range it is in.</summary>
    public static class PortNumber
    {
        public const int Max = 65535;

        public static PortRange RangeOf(int port) =>
            port <= 1023 ? PortRange.WellKnown : port <= 49151 ? PortRange.Registered : PortRange.Dynamic;

        public static void Validate(int port, string parameterName)
        {
            if (port < 0 || port > Max)
            {
                throw new NetLabException(
                    "PortOutOfRange",
                    NetLabErrorKind.InvalidArgument,
                    $"-{parameterName} {port} is not a port: ports are 0 to 65535 (0 lets the OS choose when binding).",
                    port);
            }
        }
    }
}
