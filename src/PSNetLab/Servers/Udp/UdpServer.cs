using System;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using PSNetLab.Servers.Handlers;
using PSNetLab.Udp;

namespace PSNetLab.Servers.Udp
{
    /// <summary>
    /// The seeds' UDP server (bind, recvfrom loop, sendto the sender) on one socket and one receive
    /// loop: .NET's async receive for ScriptBlock handlers and on Windows/macOS, batches of
    /// recvmmsg/sendmmsg on a thread of its own for built-in handlers on Linux (UdpServer.Batches.cs).
    /// </summary>
    public sealed partial class UdpServer : NetLabServer
    {
        // Windows reports an earlier sendto's ICMP "port unreachable" on the next recvfrom and would
        // break the loop; SIO_UDP_CONNRESET turns that off (Linux never reports it on unconnected sockets).
        private const int SioUdpConnReset = -1744830452;

        private readonly bool _batchesAllowed;
        private Socket? _socket;

        public UdpServer(ServerOptions options)
            : this(options, batchesAllowed: true)
        {
        }

        /// <summary><paramref name="batchesAllowed"/> false keeps a built-in handler on the async path (tests compare both).</summary>
        internal UdpServer(ServerOptions options, bool batchesAllowed)
            : base(options)
        {
            _batchesAllowed = batchesAllowed;
        }

        public override ServerProtocol Protocol => ServerProtocol.Udp;

        protected override IPEndPoint BindListener()
        {
            var endPoint = new IPEndPoint(Options.LocalAddress, Options.Port);
            var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                {
                    socket.IOControl(SioUdpConnReset, new byte[] { 0 }, null);
                }

                socket.Bind(endPoint);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                throw SocketErrors.BindFailed("UdpServer", ServerProtocol.Udp, endPoint, e);
            }

            _socket = socket;
            if (_batchesAllowed)
            {
                PrepareBatches(socket);
            }

            return (IPEndPoint)socket.LocalEndPoint!;
        }

        protected override void CloseListener()
        {
            if (ServesInBatches)
            {
                CloseBatchedSocket();
            }
            else
            {
                _socket?.Dispose();
            }
        }

        protected override Task ServeAsync(CancellationToken stopping) =>
            ServesInBatches ? ServeInBatchesAsync() : ServeOneByOneAsync(stopping);

        private async Task ServeOneByOneAsync(CancellationToken stopping)
        {
            Socket socket = _socket!;
            EndPoint anySender = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
            using (var receive = new AwaitableSocketEventArgs())
            {
                while (!stopping.IsCancellationRequested)
                {
                    try
                    {
                        await HandlerSlots.WaitAsync(stopping).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    byte[] buffer = BufferPool.Shared.Get();
                    bool handedOff = false;
                    try
                    {
                        receive.SetBuffer(buffer, 0, buffer.Length);
                        receive.RemoteEndPoint = anySender;
                        int received;
                        try
                        {
                            if (!socket.ReceiveFromAsync(receive))
                            {
                                receive.CompletedSynchronously();
                            }

                            received = await receive;
                        }
                        catch (ObjectDisposedException)
                        {
                            return;
                        }
                        catch (SocketException) when (IsStopping)
                        {
                            return;
                        }
                        catch (SocketException e)
                        {
                            RecordError(null, $"receive failed: {e.Message} ({e.SocketErrorCode})");
                            continue;
                        }

                        handedOff = Dispatch(buffer, received, (IPEndPoint)receive.RemoteEndPoint!);
                    }
                    finally
                    {
                        if (!handedOff)
                        {
                            BufferPool.Shared.Return(buffer);
                            HandlerSlots.Release();
                        }
                    }
                }
            }
        }

        /// <summary>Counts a datagram in and makes it the handler's request (both the async and the batch path).</summary>
        private HandlerRequest Received(ArraySegment<byte> payload, IPEndPoint sender)
        {
            Counters.AddReceived(payload.Count);
            return new HandlerRequest(payload, sender, LocalEndPoint, Options.Encoding, ServerProtocol.Udp);
        }

        /// <summary>Handles one datagram; true when a slow handler now owns the buffer and the slot.</summary>
        private bool Dispatch(byte[] buffer, int received, IPEndPoint sender)
        {
            HandlerRequest request = Received(new ArraySegment<byte>(buffer, 0, received), sender);
            this.RecordMessage(ServerEventKind.Received, sender, request.Payload, request.Encoding);

            Task<HandlerReply> handling = CallHandler(request);
            if (handling.IsCompleted)
            {
                Reply(handling, request);
                return false;
            }

            handling.ContinueWith(FinishLater, Tuple.Create(request, buffer), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return true;
        }

        private void FinishLater(Task<HandlerReply> handling, object? state)
        {
            var (request, buffer) = (Tuple<HandlerRequest, byte[]>)state!;
            try
            {
                Reply(handling, request);
            }
            catch (Exception e)
            {
                RecordError(request.RemoteEndPoint, $"reply failed: {e.Message}");
            }
            finally
            {
                BufferPool.Shared.Return(buffer);
                HandlerSlots.Release();
            }
        }

        private void Reply(Task<HandlerReply> handling, HandlerRequest request)
        {
            if (!TryGetReply(handling, request, out HandlerReply reply))
            {
                return;
            }

            ArraySegment<byte> bytes = reply.Bytes;
            string? tooLarge = WhyTooLarge(bytes);
            if (tooLarge != null)
            {
                RecordError(request.RemoteEndPoint, tooLarge);
                return;
            }

            try
            {
                int sent = _socket!.SendTo(bytes.Array!, bytes.Offset, bytes.Count, SocketFlags.None, request.RemoteEndPoint);
                Counters.AddSent(sent);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                if (!IsStopping)
                {
                    RecordError(request.RemoteEndPoint, $"send failed: {e.Message} ({e.SocketErrorCode})");
                }

                return;
            }

            this.RecordMessage(ServerEventKind.Sent, request.RemoteEndPoint, bytes, request.Encoding, reply.Text);
        }

        /// <summary>The Error event's text when a reply cannot fit in one datagram (nothing is sent then); null when it fits.</summary>
        private string? WhyTooLarge(ArraySegment<byte> reply)
        {
            int max = UdpLimits.MaxPayload(LocalEndPoint.AddressFamily);
            return reply.Count <= max ? null : $"the reply ({reply.Count} bytes) is larger than a UDP datagram can carry ({max} bytes); nothing was sent";
        }
    }
}
