using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using PSNetLab.Errors;
using PSNetLab.Servers;

namespace PSNetLab.Udp
{
    /// <summary>
    /// The seeds' UDP client: sendto without bind (the OS picks the local port), then wait for the
    /// reply. The socket is connected, which sends nothing but lets the OS report ICMP "port
    /// unreachable" as an error on the next receive, and drops datagrams from anyone else.
    /// </summary>
    public sealed class UdpMessenger : IDisposable
    {
        private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(100);
        private readonly Socket _socket;
        private readonly byte[] _buffer = new byte[BufferPool.BufferSize];

        public UdpMessenger(IPEndPoint remote)
        {
            RemoteEndPoint = remote;
            _socket = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                _socket.Connect(remote);
            }
            catch (SocketException e)
            {
                _socket.Dispose();
                throw Failed(e);
            }
        }

        public IPEndPoint RemoteEndPoint { get; }

        public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

        /// <summary>Sends one datagram and, when <paramref name="replyTimeout"/> is given, waits that long for the reply.</summary>
        public UdpExchange Exchange(byte[] payload, string? text, Encoding encoding, TimeSpan? replyTimeout, CancellationToken cancellation)
        {
            int max = UdpLimits.MaxPayload(RemoteEndPoint.AddressFamily);
            if (payload.Length > max)
            {
                throw new NetLabException(
                    "UdpMessageTooLarge",
                    NetLabErrorKind.InvalidArgument,
                    $"The message is {payload.Length} bytes, but a UDP datagram carries at most {max} bytes over {(max == UdpLimits.MaxIPv4Payload ? "IPv4" : "IPv6")}. Split it, or use TCP, which is a byte stream.",
                    payload.Length);
            }

            DiscardStaleReplies();
            var clock = Stopwatch.StartNew();
            try
            {
                _socket.Send(payload);
            }
            catch (SocketException e)
            {
                throw Failed(e);
            }

            if (replyTimeout == null)
            {
                return new UdpExchange(text, payload, RemoteEndPoint, LocalEndPoint, null, null, null);
            }

            int received = ReceiveReply(replyTimeout.Value, clock, cancellation);
            TimeSpan roundTrip = clock.Elapsed;
            var reply = new byte[received];
            Buffer.BlockCopy(_buffer, 0, reply, 0, received);
            return new UdpExchange(text, payload, RemoteEndPoint, LocalEndPoint, encoding.GetString(reply), reply, roundTrip);
        }

        public void Dispose() => _socket.Dispose();

        private int ReceiveReply(TimeSpan timeout, Stopwatch clock, CancellationToken cancellation)
        {
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                TimeSpan left = timeout - clock.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    throw new NetLabException(
                        "UdpMessageTimedOut",
                        NetLabErrorKind.OperationTimeout,
                        $"No reply from {Where} within {timeout.TotalSeconds:0.###} s. UDP does not retransmit: the server may not reply (Discard), the datagram or the reply may be lost, or a firewall drops it. Raise -Timeout, or use -NoReply.",
                        RemoteEndPoint);
                }

                try
                {
                    // Receive in slices so Ctrl+C is noticed. A blocking receive (not Poll) is what
                    // returns a pending ICMP "port unreachable" as ConnectionRefused on Linux.
                    _socket.ReceiveTimeout = Math.Max(1, (int)Min(left, PollSlice).TotalMilliseconds);
                    return _socket.Receive(_buffer);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut || e.SocketErrorCode == SocketError.WouldBlock)
                {
                    // This slice passed without a reply; look at the clock and the token again.
                }
                catch (SocketException e)
                {
                    throw Failed(e);
                }
            }
        }

        private void DiscardStaleReplies()
        {
            // A reply that came after an earlier timeout must not pass for this message's reply.
            try
            {
                while (_socket.Available > 0)
                {
                    _socket.Receive(_buffer);
                }
            }
            catch (SocketException)
            {
                // An old ICMP error belongs to an earlier message.
            }
        }

        private string Where => ServerEvent.FormatEndPoint(RemoteEndPoint.Address, RemoteEndPoint.Port);

        private NetLabException Failed(SocketException e)
        {
            if (e.SocketErrorCode == SocketError.ConnectionRefused || e.SocketErrorCode == SocketError.ConnectionReset)
            {
                return new NetLabException(
                    "UdpMessagePortUnreachable",
                    NetLabErrorKind.ConnectionError,
                    $"Nothing is listening on UDP {Where}: the host answered with ICMP 'port unreachable'. Start a server on that port (Start-UdpEchoServer -Port {RemoteEndPoint.Port}) or check -Port.",
                    RemoteEndPoint,
                    e);
            }

            return new NetLabException(
                "UdpMessageFailed",
                SocketErrors.KindOf(e.SocketErrorCode),
                $"Sending to UDP {Where} failed: {e.Message} ({e.SocketErrorCode}).",
                RemoteEndPoint,
                e);
        }

        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
    }
}
