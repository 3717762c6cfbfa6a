using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using PSNetLab.Servers.Handlers;
using PSNetLab.Sockets.Linux;

namespace PSNetLab.Servers.Tcp.Epoll
{
    /// <summary>
    /// One connection served by an <see cref="EpollLoop"/> with a built-in (synchronous) handler: the
    /// same framing, limits, events and close reasons as <see cref="TcpConnection"/>, without a task
    /// per message. Everything here runs on the loop's thread except <see cref="Start"/>.
    /// An idle connection holds no buffer: bytes are kept only while a message is unfinished or a
    /// reply is waiting for room in the socket.
    /// </summary>
    internal sealed unsafe class EpollConnection
    {
        private readonly EpollLoop _loop;
        private readonly Socket _socket;
        private readonly SafeHandle _handle;
        private readonly TcpServerOptions _options;
        private readonly SynchronousHandler _handler;
        private readonly ITcpConnectionObserver _observer;
        private readonly MessageFramer _framer;
        private readonly List<ArraySegment<byte>> _framed = new List<ArraySegment<byte>>(2);
        private readonly TaskCompletionSource<string> _done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly long _idleTicks;
        private readonly bool _holdsLoop;
        private CancellationTokenRegistration _stopRegistration;
        private byte[]? _unfinished;
        private int _unfinishedCount;
        private byte[]? _unsent;
        private int _unsentOffset;
        private int _unsentCount;
        private string? _endAfterSending;
        private long _lastActivity;
        private bool _referenced;
        private bool _finished;
        private volatile bool _stopped;
        private string? _replyFailure;

        private EpollConnection(EpollLoop loop, Socket socket, TcpServerOptions options, SynchronousHandler handler, ITcpConnectionObserver observer, bool holdsLoop)
        {
            _loop = loop;
            _holdsLoop = holdsLoop;
            _socket = socket;
            _handle = SocketHandles.Of(socket);
            _options = options;
            _handler = handler;
            _observer = observer;
            _framer = MessageFramer.Create(options);
            _idleTicks = options.IdleTimeout > TimeSpan.Zero ? (long)(options.IdleTimeout.TotalSeconds * Stopwatch.Frequency) : 0;
            RemoteEndPoint = (IPEndPoint)socket.RemoteEndPoint!;
            LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        }

        public IPEndPoint RemoteEndPoint { get; }

        public IPEndPoint LocalEndPoint { get; }

        public int Descriptor { get; private set; }

        public int Slot { get; set; } = -1;

        public bool TracksIdleness => _idleTicks > 0;

        /// <summary>
        /// Serves the connection on <paramref name="loop"/>; the task gives why it ended, after the socket was closed.
        /// <paramref name="holdsLoop"/>: once readable, the connection keeps the loop's thread until it
        /// ends, on a blocking socket (<see cref="OnReady"/>); nothing else needs the loop meanwhile.
        /// </summary>
        public static Task<string> Serve(EpollLoop loop, Socket socket, TcpServerOptions options, SynchronousHandler handler, ITcpConnectionObserver observer, CancellationToken stopping, bool holdsLoop = false)
        {
            var connection = new EpollConnection(loop, socket, options, handler, observer, holdsLoop);
            connection.Start(stopping);
            return connection._done.Task;
        }

        public bool IsIdleAt(long now) => now - Volatile.Read(ref _lastActivity) >= _idleTicks;

        /// <summary>
        /// Loop thread, on epoll's word that the socket is readable (or writable while a reply waits).
        /// A connection that holds its loop is served from here until it ends (<see cref="ServeUntilFinished"/>).
        /// </summary>
        public void OnReady()
        {
            if (_holdsLoop)
            {
                ServeUntilFinished();
            }
            else
            {
                ServeReady();
            }
        }

        private void ServeReady()
        {
            try
            {
                if (_unsent != null)
                {
                    SendUnsent();
                }
                else
                {
                    Receive();
                }
            }
            catch (Exception e)
            {
                // Replies gathered before the failure belong to this client only: the next
                // connection the loop serves must not receive them.
                _loop.Replies.Clear();
                _observer.CountError();
                _observer.Record(ServerEventKind.Error, RemoteEndPoint, detail: $"serving the connection failed: {e.Message}");
                Finish(ConnectionEndings.ServeFailed(e.Message), orderly: false);
            }
        }

        /// <summary>
        /// Loop thread, for a connection that holds its loop: receive, answer and send until
        /// the connection ends, blocking in recv between messages. A Process worker serves one
        /// connection at a time, so its loop has nothing else to watch; without the epoll_wait per
        /// message its loop thread spent 10-20 % less kernel time per echo (bench/NOTES.md). The
        /// socket's timeouts wake it for -IdleTimeout; a stop shuts the socket down.
        /// </summary>
        private void ServeUntilFinished()
        {
            while (!_finished)
            {
                ServeReady();
                if (!_finished && TracksIdleness && IsIdleAt(Stopwatch.GetTimestamp()))
                {
                    CloseIdle();
                }
            }
        }

        /// <summary>Loop thread: -IdleTimeout passed without a byte from the client.</summary>
        public void CloseIdle()
        {
            // An orderly close, as the seeds' servers do: FIN first, so the client sees end of stream
            // (its socket in CLOSE_WAIT) instead of a reset, and this end goes FIN_WAIT_2.
            Finish(ConnectionEndings.Idle(_options), orderly: true);
        }

        private void Start(CancellationToken stopping)
        {
            // The reference keeps the descriptor number ours until Finish: a Dispose from another
            // thread (the server closing its connections) then only shuts the socket down, and the
            // number cannot be reused by a new socket while this loop still watches it.
            _handle.DangerousAddRef(ref _referenced);
            Descriptor = (int)_handle.DangerousGetHandle();
            if (LibC.SetNonBlocking(Descriptor, !_holdsLoop) < 0 || (_holdsLoop && !SetIdleTimeouts()))
            {
                string why = EpollInterop.Describe(Marshal.GetLastWin32Error());
                string what = _holdsLoop ? "made blocking with -IdleTimeout's timeouts" : "made non-blocking";
                _loop.Post(() => Finish($"the socket could not be {what}: {why}", orderly: false));
                return;
            }

            Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());

            // Registered before the first Post, so every Finish (all run after a Post) sees the
            // registration it must dispose. The flag is set at once, not when the loop gets to
            // the posted Finish: the server's own Dispose of the socket may reset it first, and
            // the reason to report is still the stop.
            _stopRegistration = stopping.Register(() =>
            {
                _stopped = true;
                if (_holdsLoop)
                {
                    // The loop's thread may be blocked in recv or send on this socket: this wakes it.
                    // Finish disposes this registration (waiting for a running callback) before it
                    // releases the descriptor, so the number is still this socket's here.
                    LibC.shutdown(Descriptor, LibC.SHUT_RDWR);
                }

                _loop.Post(() => Finish(ConnectionEndings.ServerStopped, orderly: false));
            });
            _loop.Post(Register);
        }

        /// <summary>
        /// Blocking recv and send return after -IdleTimeout, so the idle check runs even while a reply
        /// waits for a client that does not read (without -IdleTimeout they wait until the stop).
        /// </summary>
        private bool SetIdleTimeouts()
        {
            if (!TracksIdleness)
            {
                return true;
            }

            try
            {
                int milliseconds = (int)Math.Min(int.MaxValue, Math.Max(1, _options.IdleTimeout.TotalMilliseconds));
                _socket.ReceiveTimeout = milliseconds;
                _socket.SendTimeout = milliseconds;
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }

        private void Register()
        {
            if (!_finished && !_loop.Add(this))
            {
                Finish("the server could not watch the socket: " + EpollInterop.Describe(Marshal.GetLastWin32Error()), orderly: false);
            }
        }

        private void Receive()
        {
            _loop.Replies.Clear();
            byte[] into;
            int offset;
            int space;
            if (_unfinished == null)
            {
                into = _loop.ReceiveBuffer;
                offset = 0;
                space = into.Length;
            }
            else
            {
                MakeRoom();
                into = _unfinished;
                offset = _unfinishedCount;
                space = into.Length - offset;
            }

            space = Math.Min(space, _framer.ReceiveLimit);
            long received;
            fixed (byte* start = &into[0])
            {
                received = (long)EpollInterop.recv(Descriptor, start + offset, (UIntPtr)space, 0);
            }

            if (received < 0)
            {
                int errno = Marshal.GetLastWin32Error();
                if (errno != LibC.EAGAIN && errno != LibC.EINTR)
                {
                    Finish(errno == LibC.ECONNRESET ? ConnectionEndings.Reset : "receiving failed: " + EpollInterop.Describe(errno), orderly: false);
                }

                return;
            }

            if (received == 0)
            {
                if (_stopped)
                {
                    // The stop's shutdown, not the client's FIN: no last message to answer.
                    Finish(ConnectionEndings.ServerStopped, orderly: false);
                    return;
                }

                EndOfStream();
                return;
            }

            if (TracksIdleness)
            {
                Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());
            }

            int count = offset + (int)received;
            int used = HandleMessages(into, count, out string? ended);
            Keep(into, used, count - used);
            Send(ended);
        }

        /// <summary>Handles every whole message in <paramref name="data"/>; their replies gather in the loop's reply buffer.</summary>
        private int HandleMessages(byte[] data, int count, out string? ended)
        {
            ended = null;
            int used = 0;
            while (used < count)
            {
                FrameStatus status = _framer.Next(new ArraySegment<byte>(data, used, count - used), out ArraySegment<byte> message, out int consumed);
                if (status == FrameStatus.NeedMore)
                {
                    break;
                }

                if (status == FrameStatus.TooLong)
                {
                    ended = ConnectionEndings.TooLong(_options);
                    break;
                }

                used += consumed;
                ended = Handle(message);
                if (ended != null)
                {
                    break;
                }
            }

            return used;
        }

        private string? Handle(ArraySegment<byte> message)
        {
            _observer.CountReceived(message.Count);
            MessageExcerpt received = _observer.RecordMessage(ServerEventKind.Received, RemoteEndPoint, message, _options.Encoding);
            HandlerReply reply;
            try
            {
                reply = _handler.Handle(new HandlerRequest(message, RemoteEndPoint, LocalEndPoint, _options.Encoding, ServerProtocol.Tcp));
            }
            catch (Exception e)
            {
                string why = e.GetBaseException().Message;
                return ConnectionEndings.HandlerFailed(_observer, RemoteEndPoint, _handler.Name, why);
            }

            if (!reply.IsNone)
            {
                _framed.Clear();
                try
                {
                    _framer.Frame(reply.Bytes, _framed);
                }
                catch (InvalidOperationException e)
                {
                    // A reply the framing cannot carry (longer than a 2-byte length prefix): the
                    // connection ends unsent, as it does on .NET sockets, without an Error event.
                    _replyFailure = ConnectionEndings.SendFailed(e.Message);
                    return _replyFailure;
                }

                int before = _loop.Replies.Count;
                foreach (ArraySegment<byte> part in _framed)
                {
                    _loop.Replies.Append(part);
                }

                _observer.RecordMessage(ServerEventKind.Sent, RemoteEndPoint, reply.Bytes, _options.Encoding, reply.Text, received);
                _observer.CountSent(_loop.Replies.Count - before);
            }

            return null;
        }

        /// <summary>Keeps the unfinished message's bytes for the next receive; a connection with none holds no buffer.</summary>
        private void Keep(byte[] data, int from, int count)
        {
            if (count == 0)
            {
                ReleaseUnfinished();
                return;
            }

            if (_unfinished == null)
            {
                _unfinished = BufferPool.Shared.Get();
            }

            // Bytes received into the unfinished message that did not finish it are already in place:
            // copying them onto themselves would make a long message cost the square of its pieces.
            if (data != _unfinished || from != 0)
            {
                Buffer.BlockCopy(data, from, _unfinished, 0, count);
            }

            _unfinishedCount = count;
        }

        /// <summary>A message longer than a pooled buffer but within -MaxMessageLength: grow, up to that limit.</summary>
        private void MakeRoom()
        {
            byte[] buffer = _unfinished!;
            if (_unfinishedCount < buffer.Length)
            {
                return;
            }

            int needed = Math.Min(_options.MaxMessageLength + _framer.Overhead + 1, buffer.Length * 2);
            var larger = new byte[Math.Max(needed, buffer.Length + 1)];
            Buffer.BlockCopy(buffer, 0, larger, 0, _unfinishedCount);
            int count = _unfinishedCount;
            ReleaseUnfinished();
            _unfinished = larger;
            _unfinishedCount = count;
        }

        /// <summary>The client shut down its side: answer what it sent last, let the replies go, then close.</summary>
        private void EndOfStream()
        {
            string? ended = null;
            if (_unfinished != null && _unfinishedCount > 0)
            {
                if (!_framer.RemainderIsMessage)
                {
                    Finish(ConnectionEndings.CutShort(_unfinishedCount), orderly: true);
                    return;
                }

                ended = Handle(new ArraySegment<byte>(_unfinished, 0, _unfinishedCount));
                ReleaseUnfinished();
            }

            Send(ended ?? ConnectionEndings.ClientClosed);
        }

        /// <summary>Sends the gathered replies; what does not fit waits for EPOLLOUT, and the client is not read meanwhile.</summary>
        private void Send(string? thenEnd)
        {
            ReplyBuffer replies = _loop.Replies;
            if (_replyFailure != null)
            {
                replies.Clear();
                Finish(_replyFailure, orderly: false);
                return;
            }

            int sent = 0;
            if (replies.Count > 0)
            {
                sent = SendSome(replies.Bytes, 0, replies.Count);
                if (sent < 0)
                {
                    replies.Clear();
                    return;
                }

                if (sent < replies.Count)
                {
                    _unsent = new byte[replies.Count - sent];
                    Buffer.BlockCopy(replies.Bytes, sent, _unsent, 0, _unsent.Length);
                    _unsentOffset = 0;
                    _unsentCount = _unsent.Length;
                    _endAfterSending = thenEnd;
                    replies.Clear();
                    _loop.Watch(this, forWriting: true);
                    return;
                }

                replies.Clear();
            }

            if (thenEnd != null)
            {
                Finish(thenEnd, orderly: true);
            }
        }

        private void SendUnsent()
        {
            int sent = SendSome(_unsent!, _unsentOffset, _unsentCount);
            if (sent < 0)
            {
                return;
            }

            _unsentOffset += sent;
            _unsentCount -= sent;
            if (_unsentCount > 0)
            {
                return;
            }

            _unsent = null;
            if (_endAfterSending != null)
            {
                Finish(_endAfterSending, orderly: true);
                return;
            }

            _loop.Watch(this, forWriting: false);
        }

        /// <summary>Bytes the kernel took (0 when it has no room); -1 when the connection failed and was finished.</summary>
        private int SendSome(byte[] data, int offset, int count)
        {
            long sent;
            fixed (byte* start = &data[0])
            {
                sent = (long)EpollInterop.send(Descriptor, start + offset, (UIntPtr)count, EpollInterop.MSG_NOSIGNAL);
            }

            if (sent >= 0)
            {
                return (int)sent;
            }

            int errno = Marshal.GetLastWin32Error();
            if (errno == LibC.EAGAIN || errno == LibC.EINTR)
            {
                return 0;
            }

            Finish(errno == LibC.ECONNRESET || errno == LibC.EPIPE ? ConnectionEndings.Reset : ConnectionEndings.SendFailed(EpollInterop.Describe(errno)), orderly: false);
            return -1;
        }

        /// <summary>Ends the connection once; the first reason is the one reported. Orderly: FIN after the last reply.</summary>
        private void Finish(string reason, bool orderly)
        {
            if (_finished)
            {
                return;
            }

            _finished = true;
            if (_stopped)
            {
                reason = ConnectionEndings.ServerStopped;
            }

            _stopRegistration.Dispose();
            if (_referenced)
            {
                if (Slot >= 0)
                {
                    _loop.Remove(this);
                }

                if (orderly)
                {
                    LibC.shutdown(Descriptor, LibC.SHUT_WR);
                }

                _handle.DangerousRelease();
            }

            ReleaseUnfinished();
            _unsent = null;
            try
            {
                _socket.Dispose();
            }
            catch (ObjectDisposedException)
            {
                // Closed meanwhile by the server.
            }

            _done.TrySetResult(reason);
        }

        private void ReleaseUnfinished()
        {
            if (_unfinished != null)
            {
                BufferPool.Shared.Return(_unfinished);   // the pool keeps only its own size: a grown buffer is let go
            }

            _unfinished = null;
            _unfinishedCount = 0;
        }
    }
}
