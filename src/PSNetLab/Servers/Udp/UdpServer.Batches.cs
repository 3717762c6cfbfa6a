using System;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using PSNetLab.Servers.Handlers;
using PSNetLab.Sockets.Linux;

namespace PSNetLab.Servers.Udp
{
    /// <summary>
    /// Built-in handlers on Linux: one thread of the server's own sleeps in recvmmsg, answers every
    /// datagram of the batch synchronously and sends the replies with one sendmmsg. The async path
    /// pays a hop from .NET's socket engine thread to a thread-pool worker per datagram, which
    /// capped it at 0.37x the C epoll server (16 sockets x 64 B); this is the C server's own loop.
    /// </summary>
    public sealed partial class UdpServer
    {
        // After shutdown() the thread normally leaves at once; if it has not, a datagram wakes it.
        private static readonly TimeSpan ShutdownGrace = TimeSpan.FromMilliseconds(200);

        private readonly object _batchGate = new object();
        private SynchronousHandler? _batchHandler;
        private int _fd = -1;
        private Thread? _batchThread;
        private bool _batchThreadExited;
        private bool _disposeWhenThreadExits;

        /// <summary>Set (under _batchGate) before the socket is shut down: the thread takes a wake-up for the stop it is.</summary>
        private volatile bool _closing;

        /// <summary>Whether this server answers in recvmmsg/sendmmsg batches (decided at bind).</summary>
        internal bool ServesInBatches => _batchHandler != null;

        private void PrepareBatches(Socket socket)
        {
            if (!(Handler is SynchronousHandler handler) || Handler is IConnectionAwareHandler ||
                !RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || !LinuxDatagramCalls.IsAvailable)
            {
                return;
            }

            int fd = socket.Handle.ToInt32();
            if (LibC.SetNonBlocking(fd, false) < 0)   // the serving thread sleeps in recvmmsg instead of polling
            {
                return;
            }

            _fd = fd;
            _batchHandler = handler;
        }

        private Task ServeInBatchesAsync()
        {
            var finished = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_batchGate)
            {
                if (_closing)
                {
                    finished.SetResult(true);
                    return finished.Task;
                }

                // A small stack: the loop is flat, and a lab may run many servers.
                _batchThread = new Thread(() => RunBatches(finished), 256 * 1024)
                {
                    IsBackground = true,
                    Name = $"PSNetLab UDP {LocalEndPoint.Port}",
                };
                _batchThread.Start();
            }

            return finished.Task;
        }

        private void RunBatches(TaskCompletionSource<bool> finished)
        {
            try
            {
                using (var batch = new DatagramBatch())
                {
                    ServeBatches(batch);
                }

                finished.SetResult(true);
            }
            catch (Exception e)
            {
                finished.SetException(e);
            }
            finally
            {
                lock (_batchGate)
                {
                    _batchThreadExited = true;
                    if (_disposeWhenThreadExits)
                    {
                        _socket!.Dispose();
                    }
                }
            }
        }

        private void ServeBatches(DatagramBatch batch)
        {
            var senders = new SenderEndPoints();
            var answers = new Answer[DatagramBatch.Capacity];
            while (!_closing)
            {
                int count = batch.Receive(_fd, out int errno);
                if (_closing)
                {
                    return;
                }

                if (count < 0)
                {
                    ReceiveFailed(errno);
                    continue;
                }

                // Replies first, events after: the peers wait only for the handlers and one
                // sendmmsg, not for the event log (which costs more than Echo itself).
                for (int slot = 0; slot < count; slot++)
                {
                    IPEndPoint? sender = batch.HasSender(slot) ? senders.Get(batch.SenderAddress(slot)) : null;
                    answers[slot] = sender == null ? default : Handle(batch, slot, sender);
                }

                batch.SendReplies(_fd);

                for (int slot = 0; slot < count; slot++)
                {
                    Report(batch, answers[slot]);
                    answers[slot] = default;
                }

                batch.ClearReplies();
            }
        }

        /// <summary>Runs the handler for one datagram and queues its reply in the batch.</summary>
        private Answer Handle(DatagramBatch batch, int slot, IPEndPoint sender)
        {
            var answer = new Answer { Request = Received(batch.Payload(slot), sender), ReplyIndex = -1 };
            try
            {
                answer.Reply = _batchHandler!.Handle(answer.Request);
            }
            catch (Exception e)
            {
                // As the async path words it: one bad request is an Error event, the server goes on.
                answer.Failure = $"handler {Handler.Name} failed: {e.GetBaseException().Message}";
                return answer;
            }

            if (!answer.Reply.IsNone)
            {
                answer.Failure = WhyTooLarge(answer.Reply.Bytes);
                if (answer.Failure == null)
                {
                    answer.ReplyIndex = batch.AddReply(slot, answer.Reply.Bytes);
                }
            }

            return answer;
        }

        /// <summary>The datagram's events in the order the async path records them: Received, then Sent or Error.</summary>
        private void Report(DatagramBatch batch, Answer answer)
        {
            HandlerRequest? request = answer.Request;
            if (request == null)
            {
                return;
            }

            MessageExcerpt received = this.RecordMessage(ServerEventKind.Received, request.RemoteEndPoint, request.Payload, request.Encoding);
            if (answer.Failure != null)
            {
                RecordError(request.RemoteEndPoint, answer.Failure);
                return;
            }

            if (answer.ReplyIndex < 0)
            {
                return;
            }

            int result = batch.ReplyResult(answer.ReplyIndex);
            if (result >= 0)
            {
                // The event first: whoever sees the counter move finds the Sent event already there.
                this.RecordMessage(ServerEventKind.Sent, request.RemoteEndPoint, answer.Reply!.Bytes, request.Encoding, answer.Reply.Text, received);
                Counters.AddSent(result);
            }
            else
            {
                RecordError(request.RemoteEndPoint, $"send failed: {LinuxDatagramCalls.Describe(-result)}");
            }
        }

        private void ReceiveFailed(int errno)
        {
            if (errno == LibC.EINTR)
            {
                return;
            }

            if (errno == LinuxDatagramCalls.EBADF || errno == LinuxDatagramCalls.ENOTSOCK ||
                errno == LinuxDatagramCalls.EFAULT || errno == LinuxDatagramCalls.EINVAL)
            {
                // The socket itself is gone or unusable: the server fails instead of spinning.
                throw new InvalidOperationException($"receive failed: {LinuxDatagramCalls.Describe(errno)}");
            }

            RecordError(null, $"receive failed: {LinuxDatagramCalls.Describe(errno)}");
        }

        /// <summary>
        /// Wakes the thread with shutdown(), waits for it to leave, then closes the socket: closing
        /// first would neither wake it (Linux) nor free the port while it sits in recvmmsg.
        /// </summary>
        private void CloseBatchedSocket()
        {
            Thread? thread;
            lock (_batchGate)
            {
                if (_closing)
                {
                    return;
                }

                _closing = true;
                thread = _batchThread;
            }

            if (thread != null && thread != Thread.CurrentThread)
            {
                LibC.shutdown(_fd, LibC.SHUT_RDWR);
                if (!thread.Join(ShutdownGrace))
                {
                    SendWakeUp();
                    thread.Join(Options.StopTimeout);
                }
            }

            lock (_batchGate)
            {
                if (thread == null || _batchThreadExited)
                {
                    _socket!.Dispose();
                }
                else
                {
                    // Still inside a system call on this descriptor: closing it now could let the
                    // number be reused under the thread. It closes the socket itself when it leaves.
                    _disposeWhenThreadExits = true;
                }
            }
        }

        /// <summary>An empty datagram to the server's own port, for a kernel where shutdown() did not wake recvmmsg.</summary>
        private void SendWakeUp()
        {
            IPEndPoint local = LocalEndPoint;
            IPAddress target = local.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
                : local.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
                : local.Address;
            try
            {
                using (var waker = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp))
                {
                    waker.SendTo(Array.Empty<byte>(), new IPEndPoint(target, local.Port));
                }
            }
            catch (SocketException)
            {
                // Nothing more to try: Stop gives up after StopTimeout, as for a hung handler.
            }
        }

        /// <summary>What became of one datagram of the batch, kept until its events are recorded.</summary>
        private struct Answer
        {
            public HandlerRequest? Request;
            public HandlerReply? Reply;
            public string? Failure;
            public int ReplyIndex;
        }
    }
}
