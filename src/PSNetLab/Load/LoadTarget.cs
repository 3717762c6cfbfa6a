using System.Net;
using PSNetLab.Errors;
using PSNetLab.Servers;

namespace PSNetLab.Load
{
    /// <summary>
    /// A load generator floods its target, so it only aims at this machine: 127.0.0.0/8 or ::1,
    /// as the bench kit's echoload does. A lab cannot turn it on someone else's server by mistake.
    /// </summary>
    public static class LoadTarget
    {
        public static IPEndPoint Resolve(string computerName, int port, string parameterName)
        {
            IPAddress address = EndPoints.Resolve(computerName, parameterName);
            if (address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }

            if (!IPAddress.IsLoopback(address))
            {
                throw new NetLabException(
                    "LoadTargetNotLoopback",
                    NetLabErrorKind.InvalidArgument,
                    $"-{parameterName} '{computerName}' is {address}, which is not this machine: load generators only send to loopback (127.0.0.0/8 or ::1). Run the server locally and use localhost, 127.0.0.1 or ::1.",
                    computerName);
            }

            return new IPEndPoint(address, port);
        }
    }
}
