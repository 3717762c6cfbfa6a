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
        }

        /// <summary>Reads the next echo and checks it against <paramref name="sequence"/>; throws <see cref="LoadFailure"/> if it is wrong or does not come.</summary>
        public void ReadAndVerify(Socket socket, long sequence)
        {
            int contentLength = _message.ReplyContentLength;
            if (!_message.Newline)
            {
                Fill(socket, contentLength);
                Verify(sequence, _start, contentLength);
                _start += contentLength;
                return;
            }

            int newline;
            int searched = 0;
            while ((newline = Array.IndexOf(_buffer, (byte)'\n', _start + searched, _end - _start - searched)) < 0)
            {
                searched = _end - _start;
                if (searched > contentLength + 1)
                {
                    throw new LoadFailure(LoadErrorKind.WrongBytes);   // longer than the echo can be
                }

                Fill(socket, searched + 1);
            }

            int lineLength = newline - _start;
            if (lineLength > 0 && _buffer[newline - 1] == (byte)'\r')
            {
                lineLength--;
            }

            Verify(sequence, _start, lineLength);
            _start = newline + 1;
        }

        private void Verify(long sequence, int offset, int length)
        {
            if (!_message.Matches(sequence, _buffer, offset, length))
            {
                throw new LoadFailure(LoadErrorKind.WrongBytes);
            }
        }

        /// <summary>Receives until at least <paramref name="count"/> unread bytes are buffered.</summary>
        private void Fill(Socket socket, int count)
        {
            if (_start == _end)
            {
                _start = _end = 0;
            }

            if (_start + count > _buffer.Length)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            while (_end - _start < count)
            {
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
        }
    }
}
