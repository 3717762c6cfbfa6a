using System;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace PSNetLab.Servers.Tcp
{
    /// <summary>
    /// Serialises writes to one socket: the connection's own replies and messages other clients'
    /// threads queue (Chat). Queued messages are bounded; past the bound the connection is too slow.
    /// </summary>
    internal sealed class ConnectionWriter : IDisposable
    {
        private readonly Socket _socket;
        private readonly int _maxPending;
        private readonly SemaphoreSlim _turn = new SemaphoreSlim(1, 1);
        private int _pending;

        public ConnectionWriter(Socket socket, int maxPending)
        {
            _socket = socket;
            _maxPending = maxPending;
        }

        /// <summary>Raised (once per failure) when a queued send failed; the loop closes the connection.</summary>
        public event Action<Exception>? QueuedSendFailed;

        /// <summary>Sends the segments in one write (one sendmsg with several buffers); returns the bytes sent.</summary>
        public async Task<int> SendAsync(IList<ArraySegment<byte>> segments)
        {
            await _turn.WaitAsync().ConfigureAwait(false);
            try
            {
                int total = 0;
                foreach (ArraySegment<byte> segment in segments)
                {
                    total += segment.Count;
                }

                int sent = segments.Count == 1
                    ? await _socket.SendAsync(segments[0], SocketFlags.None).ConfigureAwait(false)
                    : await _socket.SendAsync(segments, SocketFlags.None).ConfigureAwait(false);
                if (sent != total)
                {
                    throw new SocketException((int)SocketError.ConnectionAborted);
                }

                return sent;
            }
            finally
            {
                _turn.Release();
            }
        }

        /// <summary>Queues a framed message from another thread; false when too many are pending.</summary>
        public bool Post(byte[] framed, Action<int> sent)
        {
            if (Interlocked.Increment(ref _pending) > _maxPending)
            {
                Interlocked.Decrement(ref _pending);
                return false;
            }

            SendQueuedAsync(framed, sent);
            return true;
        }

        /// <summary>Completes when every write queued so far has gone out.</summary>
        public async Task FlushAsync()
        {
            await _turn.WaitAsync().ConfigureAwait(false);
            _turn.Release();
        }

        public void Dispose()
        {
            // The semaphore has no wait handle unless AvailableWaitHandle was used; nothing to release.
        }

        private async void SendQueuedAsync(byte[] framed, Action<int> sent)
        {
            // async void is safe here: every exception is caught and reported through QueuedSendFailed.
            try
            {
                sent(await SendAsync(new[] { new ArraySegment<byte>(framed) }).ConfigureAwait(false));
            }
            catch (Exception e)
            {
                QueuedSendFailed?.Invoke(e);
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }
    }
}
