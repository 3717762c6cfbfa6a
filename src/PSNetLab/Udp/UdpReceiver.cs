using System;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using PSNetLab.Errors;
using PSNetLab.Servers;

namespace PSNetLab.Udp
{
    /// <summary>
    /// A bound UDP socket read by the caller's own thread in short waits, so a cmdlet can notice
    /// Ctrl+C and the console between datagrams (Receive-UdpMessage, Connect-UdpChat).
    /// </summary>
    public sealed class UdpReceiver : IDisposable
    {
        private const int SioUdpConnReset = -1744830452;
        private readonly Socket _socket;
        private readonly byte[] _buffer = new byte[BufferPool.BufferSize];
        private readonly Encoding _encoding;

        /// <param name="noun">Prefix for bind error ids: UdpMessage -> UdpMessageAddressInUse.</param>
        public UdpReceiver(IPAddress localAddress, int port, Encoding encoding, string noun)
        {
            _encoding = encoding;
            var endPoint = new IPEndPoint(localAddress, port);
            _socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                {
                    // Otherwise an ICMP error for something we sent breaks the next receive on Windows.
                    _socket.IOControl(SioUdpConnReset, new byte[] { 0 }, null);
                }

                _socket.Bind(endPoint);
            }
            catch (SocketException e)
            {
                _socket.Dispose();
                throw SocketErrors.BindFailed(noun, ServerProtocol.Udp, endPoint, e);
            }

            LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        }

        public IPEndPoint LocalEndPoint { get; }

        /// <summary>Waits up to <paramref name="wait"/> for one datagram; null when none came.</summary>
        public UdpDatagram? TryReceive(TimeSpan wait, Func<IPEndPoint, string?>? nameOf = null)
        {
            if (!_socket.Poll((int)(wait.Ticks / 10), SelectMode.SelectRead))
            {
                return null;
            }

            EndPoint sender = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
            int received;
            try
            {
                received = _socket.ReceiveFrom(_buffer, ref sender);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset || e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                return null;
            }

            var bytes = new byte[received];
            Buffer.BlockCopy(_buffer, 0, bytes, 0, received);
            var remote = (IPEndPoint)sender;
            return new UdpDatagram(remote, LocalEndPoint, bytes, _encoding.GetString(bytes), nameOf?.Invoke(remote));
        }

        public void SendTo(byte[] payload, IPEndPoint remote)
        {
            int max = UdpLimits.MaxPayload(remote.AddressFamily);
            if (payload.Length > max)
            {
                throw new NetLabException(
                    "UdpMessageTooLarge",
                    NetLabErrorKind.InvalidArgument,
                    $"The message is {payload.Length} bytes, but a UDP datagram carries at most {max} bytes.",
                    payload.Length);
            }

            try
            {
                _socket.SendTo(payload, remote);
            }
            catch (SocketException e)
            {
                throw new NetLabException(
                    "UdpMessageFailed",
                    SocketErrors.KindOf(e.SocketErrorCode),
                    $"Sending to UDP {ServerEvent.FormatEndPoint(remote.Address, remote.Port)} failed: {e.Message} ({e.SocketErrorCode}).",
                    remote,
                    e);
            }
        }

        public void Dispose() => _socket.Dispose();
    }
}
