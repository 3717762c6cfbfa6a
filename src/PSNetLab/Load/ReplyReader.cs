using System;
using System.Net.Sockets;

namespace PSNetLab.Load
{
    /// <summary>
    /// Reads echoes off a TCP stream into one reused buffer: a reply may arrive in pieces, and with
    /// pipelining several replies may arrive in one read, so bytes past the current reply are kept.
    /// </summary>
    internal sealed class ReplyReader
    {
        private readonly byte[] _buffer;
        private readonly EchoMessage _message;
        private int _start;
        private int _end;

        /// <summary>Where the newline search of a line that arrives in pieces goes on from.</summary>
        private int _searched;

        public ReplyReader(EchoMessage message)
        {
            _message = message;
            // Room for one whole reply (with \r\n) twice over, so compacting always makes space.
            _buffer = new byte[Math.Max(4096, 2 * (message.ReplyContentLength + 2))];
        }

        public void Reset()
        {
            _start = 0;
            _end = 0;
            _searched = 0;
        }

        /// <summary>Reads the next echo and checks it against <paramref name="sequence"/>; throws <see cref="LoadFailure"/> if it is wrong or does not come.</summary>
        public void ReadAndVerify(Socket socket, long sequence)
        {
            while (!TryVerifyNext(sequence))
            {
                ReceiveOnce(socket);
            }
        }

        /// <summary>
        /// Checks the next echo if it has arrived whole: true when it was there and right, false when
        /// more bytes are needed; throws <see cref="LoadFailure"/> when it is wrong.
        /// </summary>
        public bool TryVerifyNext(long sequence)
        {
            int contentLength = _message.ReplyContentLength;
            if (!_message.Newline)
            {
                if (_end - _start < contentLength)
                {
                    return false;
                }

                Verify(sequence, _start, contentLength);
                _start += contentLength;
                return true;
            }

            int from = Math.Max(_start, _searched);
            int newline = Array.IndexOf(_buffer, (byte)'\n', from, _end - from);
            if (newline < 0)
            {
                _searched = _end;
                if (_end - _start > contentLength + 1)
                {
                    throw new LoadFailure(LoadErrorKind.WrongBytes);   // longer than the echo can be
                }

                return false;
            }

            int lineLength = newline - _start;
            if (lineLength > 0 && _buffer[newline - 1] == (byte)'\r')
            {
                lineLength--;
            }

            Verify(sequence, _start, lineLength);
            _start = newline + 1;
            return true;
        }

        /// <summary>
        /// One receive after the unread bytes. It blocks only when nothing has arrived, so a caller
        /// that epoll said is readable is never held up by it.
        /// </summary>
        public void ReceiveOnce(Socket socket)
        {
            if (_start == _end)
            {
                _start = _end = _searched = 0;
            }
            else if (_buffer.Length - _end < _message.ReplyContentLength + 2)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _searched = Math.Max(0, _searched - _start);
                _start = 0;
            }

            int received = socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None, out SocketError error);
            if (error != SocketError.Success)
            {
                throw LoadFailure.From(error);
            }

            if (received == 0)
            {
                throw new LoadFailure(LoadErrorKind.Closed);
            }

            _end += received;
        }

        private void Verify(long sequence, int offset, int length)
        {
            if (!_message.Matches(sequence, _buffer, offset, length))
            {
                throw new LoadFailure(LoadErrorKind.WrongBytes);
            }
        }
    }
}
