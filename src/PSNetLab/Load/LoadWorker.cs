using System;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;

namespace PSNetLab.Load
{
    /// <summary>
    /// One connection (or UDP socket) driven by its own thread with blocking I/O. A dedicated thread
    /// per connection wakes exactly when its echo arrives: no thread-pool hop per message, which is
    /// what makes .NET async clients the bottleneck on a 2-core machine. The counters are written by
    /// this thread only and read, a little stale, by the thread that shows progress.
    /// </summary>
    internal abstract class LoadWorker : LoadDriver
    {
        private Socket? _socket;

        protected LoadWorker(LoadOptions options, LoadRunControl control)
            : base(options, control)
        {
        }

        /// <summary>Closing the socket unblocks a thread waiting in Receive or Connect; the run is stopping, so the error is not counted.</summary>
        public override void CloseSocket() => Volatile.Read(ref _socket)?.Dispose();

        protected abstract void Drive();

        protected Socket Connect(SocketType type, ProtocolType protocol)
        {
            var socket = new Socket(Options.Target.AddressFamily, type, protocol);
            Volatile.Write(ref _socket, socket);
            if (Stopping)
            {
                socket.Dispose();   // the stop may have closed the previous socket just before this one was published
                throw new ObjectDisposedException(nameof(Socket));
            }

            try
            {
                if (protocol == ProtocolType.Tcp)
                {
                    socket.NoDelay = true;
                    ConnectStarting();
                }

                socket.ReceiveTimeout = (int)Math.Min(int.MaxValue, Options.Timeout.TotalMilliseconds);
                socket.Connect(Options.Target);
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
                socket.Dispose();
                if (TakeConnectTimedOut())
                {
                    throw new LoadFailure(LoadErrorKind.TimedOut);
                }

                throw e is SocketException s ? LoadFailure.From(s.SocketErrorCode) : e;
            }
            finally
            {
                ConnectEnded();
            }

            ConnectionMade();
            return socket;
        }

        /// <summary>Counts a failure unless the run is stopping (then it is the stop's own doing), and waits 10 ms before the next try as echoload does.</summary>
        protected void Failed(LoadErrorKind kind)
        {
            CountError(kind);
            Control.WaitForStop(TimeSpan.FromMilliseconds(10));
        }

        protected override void Run()
        {
            while (!Stopping)
            {
                try
                {
                    Drive();
                }
                catch (LoadFailure f)
                {
                    Failed(f.Kind);
                }
                catch (SocketException e)
                {
                    Failed(LoadFailure.KindOf(e.SocketErrorCode));
                }
                catch (ObjectDisposedException)
                {
                    // CloseSocket at the end of the run, or a hung connect abandoned just as it completed.
                    TakeConnectTimedOut();
                    Failed(LoadErrorKind.TimedOut);
                }
                finally
                {
                    Volatile.Read(ref _socket)?.Dispose();
                }
            }
        }
    }
}
