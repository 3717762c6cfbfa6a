using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace PSNetLab.Servers.Tcp
{
    /// <summary>
    /// A connection the server accepted and admitted, handed to an <see cref="IConnectionDispatcher"/>.
    /// The dispatcher owns <see cref="Socket"/> from then on and must call <see cref="Finish"/> exactly
    /// once when the connection is over (a second call is ignored): that releases the connection's
    /// slot in the limits and records the Closed event with the reason.
    /// </summary>
    public sealed class AcceptedConnection
    {
        private readonly Action<AcceptedConnection, string> _finished;
        private int _done;

        public AcceptedConnection(Socket socket, IPEndPoint remoteEndPoint, IPEndPoint localEndPoint, Action<AcceptedConnection, string> finished)
        {
            Socket = socket;
            RemoteEndPoint = remoteEndPoint;
            LocalEndPoint = localEndPoint;
            _finished = finished;
        }

        public Socket Socket { get; }

        public IPEndPoint RemoteEndPoint { get; }

        public IPEndPoint LocalEndPoint { get; }

        public bool IsFinished => Volatile.Read(ref _done) == 1;

        /// <summary>Closes the server's socket for this connection; safe to call at any time and twice.</summary>
        public void Abort()
        {
            try
            {
                Socket.Dispose();
            }
            catch (ObjectDisposedException)
            {
                // Already closed.
            }
        }

        public void Finish(string reason)
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                Abort();
                _finished(this, reason);
            }
        }
    }
}
