using System.Diagnostics;
using System.Net.Sockets;

namespace PSNetLab.Load
{
    /// <summary>
    /// One connected UDP socket with one datagram outstanding. A lost datagram times out and a new
    /// one is sent; an echo that arrives after its timeout is counted as wrong bytes (as echoload does)
    /// and the wait for the current one goes on. Datagrams keep their boundaries, so a UDP echo is
    /// always read whole and -Framing does not apply.
    /// </summary>
    internal sealed class UdpLoadWorker : LoadWorker
    {
        private readonly byte[] _request;
        private readonly byte[] _reply;
        private long _sequence;

        public UdpLoadWorker(LoadOptions options, LoadRunControl control)
            : base(options, control)
        {
            _request = new byte[Message.RequestLength];
            _reply = new byte[Message.ReplyContentLength + 1];   // one byte more, so a longer echo shows as wrong
        }

        protected override void Drive()
        {
            Socket socket = Connect(SocketType.Dgram, ProtocolType.Udp);
            while (!Stopping)
            {
                long sequence = _sequence++;   // a timed-out datagram's number is never reused, so its late echo cannot verify
                Message.Write(sequence, _request);
                long sentAt = Stopwatch.GetTimestamp();
                SendAll(socket, _request, _request.Length);
                while (true)
                {
                    int received = socket.Receive(_reply, 0, _reply.Length, SocketFlags.None, out SocketError error);
                    if (error == SocketError.MessageSize || (error == SocketError.Success && !Message.Matches(sequence, _reply, 0, received)))
                    {
                        Failed(LoadErrorKind.WrongBytes);
                        if (error == SocketError.Success && Message.CarriesSequence(sequence, _reply, 0, received))
                        {
                            break;   // this request's echo, corrupted: go on with the next one
                        }

                        continue;    // a stale or unrecognisable echo: keep waiting for this request's
                    }

                    if (error == SocketError.Success)
                    {
                        Completed(sentAt);
                        break;
                    }

                    if (LoadFailure.KindOf(error) == LoadErrorKind.TimedOut)
                    {
                        Failed(LoadErrorKind.TimedOut);   // lost: send the next one on the same socket
                        break;
                    }

                    throw LoadFailure.From(error);
                }
            }
        }
    }
}
