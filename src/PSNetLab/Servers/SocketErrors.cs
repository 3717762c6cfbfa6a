using System.Net;
using System.Net.Sockets;
using PSNetLab.Errors;

namespace PSNetLab.Servers
{
    /// <summary>The one mapping from SocketError to an error kind, and bind failures worded so the user knows what to do.</summary>
    public static class SocketErrors
    {
        public static NetLabErrorKind KindOf(SocketError error)
        {
            switch (error)
            {
                case SocketError.AddressAlreadyInUse:
                case SocketError.AddressNotAvailable:
                case SocketError.NoBufferSpaceAvailable:
                case SocketError.TooManyOpenSockets:
                    return NetLabErrorKind.ResourceUnavailable;
                case SocketError.ConnectionRefused:
                case SocketError.ConnectionReset:
                case SocketError.ConnectionAborted:
                case SocketError.HostUnreachable:
                case SocketError.NetworkUnreachable:
                case SocketError.HostDown:
                case SocketError.NetworkDown:
                    return NetLabErrorKind.ConnectionError;
                case SocketError.TimedOut:
                    return NetLabErrorKind.OperationTimeout;
                case SocketError.AccessDenied:
                    return NetLabErrorKind.PermissionDenied;
                case SocketError.HostNotFound:
                case SocketError.NoData:
                case SocketError.TryAgain:
                    return NetLabErrorKind.ObjectNotFound;
                case SocketError.MessageSize:
                    return NetLabErrorKind.InvalidArgument;
                default:
                    return NetLabErrorKind.InvalidOperation;
            }
        }

        /// <summary>
        /// A failed bind as the error a cmdlet reports: <paramref name="noun"/> prefixes the id
        /// (UdpServer -> UdpServerAddressInUse) so each cmdlet's ids stay its own.
        /// </summary>
        public static NetLabException BindFailed(string noun, ServerProtocol protocol, IPEndPoint endPoint, SocketException e)
        {
            string where = ServerEvent.FormatEndPoint(endPoint.Address, endPoint.Port);
            string proto = protocol.ToString().ToUpperInvariant();
            switch (e.SocketErrorCode)
            {
                case SocketError.AddressAlreadyInUse:
                    string owner = PortOwner.Describe(protocol, endPoint.Port);
                    return new NetLabException(
                        noun + "AddressInUse",
                        NetLabErrorKind.ResourceUnavailable,
                        $"{proto} port {endPoint.Port} is in use{owner} ({where}). Stop that program, choose another -Port, or use -Port 0 to let the OS pick a free one.",
                        endPoint,
                        e);
                case SocketError.AccessDenied:
                    return new NetLabException(
                        noun + "PermissionDenied",
                        NetLabErrorKind.PermissionDenied,
                        $"Binding {proto} {where} was refused: ports below 1024 need administrator/root rights. Use a port above 1023, or -Port 0.",
                        endPoint,
                        e);
                case SocketError.AddressNotAvailable:
                    return new NetLabException(
                        noun + "AddressNotAvailable",
                        NetLabErrorKind.ResourceUnavailable,
                        $"{endPoint.Address} is not an address of this computer, so nothing can listen on it. Use -LocalAddress Loopback, Any, or one of this host's addresses.",
                        endPoint,
                        e);
                default:
                    return new NetLabException(
                        noun + "BindFailed",
                        KindOf(e.SocketErrorCode),
                        $"Binding {proto} {where} failed: {e.Message} ({e.SocketErrorCode}).",
                        endPoint,
                        e);
            }
        }
    }
}
