using System;
using System.Net.Sockets;

namespace PSNetLab.Load
{
    /// <summary>A failed request inside a load worker: counted by kind, never shown to the user one by one.</summary>
    internal sealed class LoadFailure : Exception
    {
        public LoadFailure(LoadErrorKind kind)
            : base(kind.ToString())
        {
            Kind = kind;
        }

        public LoadErrorKind Kind { get; }

        public static LoadFailure From(SocketError error) => new LoadFailure(KindOf(error));

        public static LoadErrorKind KindOf(SocketError error)
        {
            switch (error)
            {
                case SocketError.ConnectionRefused:
                case SocketError.AddressNotAvailable:
                case SocketError.NetworkUnreachable:
                case SocketError.HostUnreachable:
                    return LoadErrorKind.Refused;
                case SocketError.TimedOut:
                case SocketError.WouldBlock:   // a blocking receive that hit ReceiveTimeout
                    return LoadErrorKind.TimedOut;
                default:
                    return LoadErrorKind.Reset;
            }
        }
    }
}
