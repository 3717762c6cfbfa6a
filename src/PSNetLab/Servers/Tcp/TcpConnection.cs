using System;
using System.Collections;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSNetLab.Servers.Handlers;

namespace PSNetLab.Servers.Tcp
{
    /// <summary>
    /// One connection being served: receive, cut into messages, call the handler, reply; until the
    /// client closes, a limit is hit, or the server stops. An idle connection holds no buffer: it
    /// waits with a zero-byte receive and rents a pooled buffer only when data has arrived.
    /// </summary>
    internal sealed class TcpConnection : IConnectionChannel
    {
        private static readonly byte[] NoBuffer = new byte[0];

        private readonly Socket _socket;
        private readonly TcpServerOptions _options;
        private readonly ITcpConnectionObserver _observer;
        private readonly MessageFramer _framer;
        private readonly ConnectionWriter _writer;
        private readonly IDictionary? _state;
        private readonly List<ArraySegment<byte>> _replies = new List<ArraySegment<byte>>(4);
        private Timer? _idleTimer;
        private string? _abortReason;
        private byte[]? _buffer;
        private int _start;
        private int _count;

        public TcpConnection(Socket socket, TcpServerOptions options, ITcpConnectionObserver observer)
        {
            _socket = socket;
            _options = options;
            _observer = observer;
            _framer = MessageFramer.Create(options);
            _writer = new ConnectionWriter(socket, options.MaxPendingSends);
            _writer.QueuedSendFailed += e => Abort(SendFailedReason(e));
            RemoteEndPoint = (IPEndPoint)socket.RemoteEndPoint!;
            LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;

            // Built-in handlers keep nothing per connection; a ScriptBlock gets a hashtable that lives as long as the connection.
            _state = options.Handler is SynchronousHandler ? null : Hashtable.Synchronized(new Hashtable(StringComparer.OrdinalIgnoreCase));
        }

        public IPEndPoint RemoteEndPoint { get; }

        public IPEndPoint LocalEndPoint { get; }

        public bool Send(string text)
        {
            if (Volatile.Read(ref _abortReason) != null)
            {
                return false;
            }

            byte[] framed = _framer.FrameToArray(new ArraySegment<byte>(_options.Encoding.GetBytes(text)));
            if (_writer.Post(framed, sent => Sent(sent, text, framed)))
            {
                return true;
            }

            Abort($"too slow: more than {_options.MaxPendingSends} messages waiting to be sent");
            return false;
        }

        /// <summary>Serves the connection to its end and returns why it ended; the socket is closed when this completes.</summary>
        public async Task<string> RunAsync(CancellationToken stopping)
        {
            var aware = _options.Handler as IConnectionAwareHandler;
            using (stopping.Register(() => Abort(ConnectionEndings.ServerStopped)))
            using (var receive = new AwaitableSocketEventArgs())
            {
                string reason;
                try
                {
                    StartIdleTimer();
                    aware?.Connected(this);
                    reason = await ReceiveLoopAsync(receive, stopping).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException || e is ObjectDisposedException || e is InvalidOperationException)
                {
                    reason = Volatile.Read(ref _abortReason) ?? SendFailedReason(e);
                }
                finally
                {
                    _idleTimer?.Dispose();
                    if (aware != null)
                    {
                        aware.Disconnected(this);
                    }

                    ReturnBuffer();
                }

                Close(reason);
                return reason;
            }
        }

        private async Task<string> ReceiveLoopAsync(AwaitableSocketEventArgs receive, CancellationToken stopping)
        {
            while (true)
            {
                if (_buffer == null)
                {
                    // Wait for data without a buffer: 10,000 idle clients cost no receive memory.
                    int? waited = await ReceiveAsync(receive, NoBuffer, 0, 0).ConfigureAwait(false);
                    if (waited == null)
                    {
                        return Volatile.Read(ref _abortReason) ?? ConnectionEndings.Reset;
                    }

                    _buffer = BufferPool.Shared.Get();
                }

                MakeRoom();
                int space = Math.Min(_buffer.Length - _start - _count, _framer.ReceiveLimit);
                int? received = await ReceiveAsync(receive, _buffer, _start + _count, space).ConfigureAwait(false);
                if (received == null)
                {
                    return Volatile.Read(ref _abortReason) ?? ConnectionEndings.Reset;
                }

                if (received == 0)
                {
                    return await EndOfStreamAsync(stopping).ConfigureAwait(false);
                }

                _idleTimer?.Change(_options.IdleTimeout, Timeout.InfiniteTimeSpan);
                _count += received.Value;
                string? ended = await HandleMessagesAsync(stopping).ConfigureAwait(false);
                if (ended != null)
                {
                    return ended;
                }

                if (_count == 0)
                {
                    ReturnBuffer();
                }
            }
        }

        /// <summary>Handles every whole message in the buffer; their replies go out together in one write.</summary>
        private async Task<string?> HandleMessagesAsync(CancellationToken stopping)
        {
            _replies.Clear();
            string? ended = null;
            while (_count > 0 && ended == null)
            {
                FrameStatus status = _framer.Next(new ArraySegment<byte>(_buffer!, _start, _count), out ArraySegment<byte> message, out int consumed);
                if (status == FrameStatus.NeedMore)
                {
                    break;
                }

                if (status == FrameStatus.TooLong)
                {
                    ended = ConnectionEndings.TooLong(_options);
                    break;
                }

                ended = await HandleAsync(message, stopping).ConfigureAwait(false);
                _start += consumed;
                _count -= consumed;
            }

            await SendRepliesAsync().ConfigureAwait(false);
            return ended;
        }

        private async Task<string?> HandleAsync(ArraySegment<byte> message, CancellationToken stopping)
        {
            var request = new HandlerRequest(message, RemoteEndPoint, LocalEndPoint, _options.Encoding, ServerProtocol.Tcp, _state, this);
            _observer.CountReceived(message.Count);
            MessageExcerpt received = _observer.RecordMessage(ServerEventKind.Received, RemoteEndPoint, message, _options.Encoding);

            Task<HandlerReply> handling = CallHandler(request, stopping);
            if (!handling.IsCompleted)
            {
                // A ScriptBlock: let the replies so far go out while it runs.
                await SendRepliesAsync().ConfigureAwait(false);
                try
                {
                    await handling.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // Read from the task below.
                }
            }

            if (handling.Status != TaskStatus.RanToCompletion)
            {
                if (stopping.IsCancellationRequested)
                {
                    return ConnectionEndings.ServerStopped;
                }

                string why = handling.Exception?.GetBaseException().Message ?? "it was cancelled";
                return ConnectionEndings.HandlerFailed(_observer, RemoteEndPoint, _options.Handler.Name, why);
            }

            HandlerReply reply = handling.Result;
            if (!reply.IsNone)
            {
                int before = _replies.Count;
                _framer.Frame(reply.Bytes, _replies);
                int length = 0;
                for (int i = before; i < _replies.Count; i++)
                {
                    length += _replies[i].Count;
                }

                _observer.RecordMessage(ServerEventKind.Sent, RemoteEndPoint, reply.Bytes, _options.Encoding, reply.Text, received);

                _observer.CountSent(length);
            }

            return null;
        }

        private Task<HandlerReply> CallHandler(HandlerRequest request, CancellationToken stopping)
        {
            try
            {
                return _options.Handler.HandleAsync(request, stopping);
            }
            catch (Exception e)
            {
                var failed = new TaskCompletionSource<HandlerReply>();
                failed.SetException(e);
                return failed.Task;
            }
        }

        private async Task SendRepliesAsync()
        {
            if (_replies.Count > 0)
            {
                // The replies may point into the receive buffer: it is not touched again until they are sent.
                await _writer.SendAsync(_replies).ConfigureAwait(false);
                _replies.Clear();
            }
        }

        /// <summary>The client shut down its side: answer what it sent last, let pending replies go, then close.</summary>
        private async Task<string> EndOfStreamAsync(CancellationToken stopping)
        {
            if (_count > 0)
            {
                if (!_framer.RemainderIsMessage)
                {
                    return ConnectionEndings.CutShort(_count);
                }

                _replies.Clear();
                string? ended = await HandleAsync(new ArraySegment<byte>(_buffer!, _start, _count), stopping).ConfigureAwait(false);
                await SendRepliesAsync().ConfigureAwait(false);
                _count = 0;
                if (ended != null)
                {
                    return ended;
                }
            }

            await _writer.FlushAsync().ConfigureAwait(false);
            return ConnectionEndings.ClientClosed;
        }

        /// <summary>null when the receive was aborted or reset (see <see cref="_abortReason"/>).</summary>
        private async Task<int?> ReceiveAsync(AwaitableSocketEventArgs receive, byte[] buffer, int offset, int count)
        {
            receive.SetBuffer(buffer, offset, count);
            try
            {
                if (!_socket.ReceiveAsync(receive))
                {
                    receive.CompletedSynchronously();
                }

                return await receive;
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset || Volatile.Read(ref _abortReason) != null)
            {
                return null;
            }
        }

        private void MakeRoom()
        {
            byte[] buffer = _buffer!;
            if (_start + _count < buffer.Length)
            {
                return;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(buffer, _start, buffer, 0, _count);
                _start = 0;
                return;
            }

            // A message longer than a pooled buffer but within -MaxMessageLength: grow, up to that limit.
            int needed = Math.Min(_options.MaxMessageLength + _framer.Overhead + 1, buffer.Length * 2);
            var larger = new byte[Math.Max(needed, buffer.Length + 1)];
            Buffer.BlockCopy(buffer, 0, larger, 0, _count);
            ReturnBuffer();
            _buffer = larger;
        }

        private void ReturnBuffer()
        {
            if (_buffer != null && _buffer.Length == BufferPool.BufferSize)
            {
                BufferPool.Shared.Return(_buffer);
            }

            _buffer = null;
            _start = 0;
        }

        private void StartIdleTimer()
        {
            if (_options.IdleTimeout > TimeSpan.Zero)
            {
                _idleTimer = new Timer(_ => CloseIdle(), null, _options.IdleTimeout, Timeout.InfiniteTimeSpan);
            }
        }

        // An orderly close, as the seeds' servers do: FIN first, so the client sees end of stream
        // (its socket in CLOSE_WAIT) instead of a reset, and this end goes FIN_WAIT_2.
        private void CloseIdle() => Abort(ConnectionEndings.Idle(_options), finFirst: true);

        /// <summary>
        /// Ends the connection from another thread; the first reason given is the one reported. The
        /// reason is claimed before the FIN: shutting down fails a send still waiting on a client that
        /// does not read (EPIPE), and that failure must not be reported as the cause.
        /// </summary>
        private void Abort(string reason, bool finFirst = false)
        {
            if (Interlocked.CompareExchange(ref _abortReason, reason, null) != null)
            {
                return;
            }

            if (finFirst)
            {
                ShutdownSend();
            }

            DisposeSocket();
        }

        private void Close(string reason)
        {
            if (Volatile.Read(ref _abortReason) == null)
            {
                // FIN after the last reply: the client reads its answers, then end of stream.
                ShutdownSend();
            }

            Interlocked.CompareExchange(ref _abortReason, reason, null);
            DisposeSocket();
            _writer.Dispose();
        }

        private void ShutdownSend()
        {
            try
            {
                _socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
                // Reset or closed meanwhile.
            }
        }

        private void DisposeSocket()
        {
            try
            {
                _socket.Dispose();
            }
            catch (ObjectDisposedException)
            {
                // Already closed.
            }
        }

        private void Sent(int bytes, string text, byte[] framed)
        {
            _observer.CountSent(bytes);
            _observer.RecordMessage(ServerEventKind.Sent, RemoteEndPoint, new ArraySegment<byte>(framed), _options.Encoding, text);
        }

        private static string SendFailedReason(Exception e) =>
            e is SocketException socket && socket.SocketErrorCode == SocketError.ConnectionReset
                ? ConnectionEndings.Reset
                : ConnectionEndings.SendFailed(e.Message);
    }
}
