using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSNetLab.Servers.Tcp;
using static PSNetLab.Tests.Servers.LoopbackIO;

namespace PSNetLab.Tests.Servers
{
    /// <summary>One loopback connection, its accepted end being served by a <see cref="TcpConnectionLoop"/>.</summary>
    internal sealed class ServedConnection : IAsyncDisposable
    {
        private ServedConnection(Socket client, Socket accepted, RecordingObserver observer, CancellationTokenSource stopping, Task<string> ended)
        {
            Client = client;
            Accepted = accepted;
            Observer = observer;
            Stopping = stopping;
            Ended = ended;
        }

        public Socket Client { get; }

        /// <summary>The server's end; the loop owns it (the test only closes it, as the server's CloseListener would, or asks how much is unread).</summary>
        public Socket Accepted { get; }

        public RecordingObserver Observer { get; }

        public CancellationTokenSource Stopping { get; }

        /// <summary>Why the connection ended, once the loop has closed the accepted socket.</summary>
        public Task<string> Ended { get; }

        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<TcpServerOptions, object> OneAtATime = new System.Runtime.CompilerServices.ConditionalWeakTable<TcpServerOptions, object>();

        /// <summary>Marks options whose connections are served as a Process worker serves its one connection (it holds its loop's thread).</summary>
        public static TcpServerOptions AsWorkerServes(TcpServerOptions options)
        {
            OneAtATime.AddOrUpdate(options, true);
            return options;
        }

        public static async Task<ServedConnection> StartAsync(TcpServerOptions options, string address = "127.0.0.1", RecordingObserver? observer = null, int? socketBuffers = null, bool stoppedFirst = false)
        {
            IPAddress ip = IPAddress.Parse(address);
            using Socket listener = Listen(ip, 1, socketBuffers);
            var client = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            if (socketBuffers != null)
            {
                client.ReceiveBufferSize = socketBuffers.Value;
                client.SendBufferSize = socketBuffers.Value;
            }

            Task<Socket> accepting = listener.AcceptAsync();
            Socket accepted;
            try
            {
                await client.ConnectAsync(listener.LocalEndPoint!).WaitAsync(Bound);
                accepted = await accepting.WaitAsync(Bound);
            }
            catch
            {
                client.Dispose();
                listener.Dispose();   // fails a pending accept, whose socket is then never made
                throw;
            }

            observer ??= new RecordingObserver();
            var stopping = new CancellationTokenSource();
            if (stoppedFirst)
            {
                stopping.Cancel();
            }

            bool oneAtATime = OneAtATime.TryGetValue(options, out _);
            Task<string> ended = new TcpConnectionLoop(options, observer, oneAtATime).ServeAsync(accepted, stopping.Token);
            return new ServedConnection(client, accepted, observer, stopping, ended);
        }

        public static Socket Listen(IPAddress address, int backlog, int? socketBuffers)
        {
            var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (socketBuffers != null)
            {
                // Accepted sockets inherit these: the server's side of the pipe stays small.
                listener.ReceiveBufferSize = socketBuffers.Value;
                listener.SendBufferSize = socketBuffers.Value;
            }

            listener.Bind(new IPEndPoint(address, 0));
            listener.Listen(backlog);
            return listener;
        }

        /// <summary>
        /// Until the server has taken every byte sent so far out of its socket: on loopback they
        /// are in its receive queue once send() returned, so the next write arrives separately.
        /// </summary>
        public async Task UntilServerReadAsync()
        {
            using var timeout = new CancellationTokenSource(Bound);
            while (Accepted.Available > 0)
            {
                await Task.Delay(1, timeout.Token);
            }
        }

        /// <summary>What AcceptedConnection.Abort does when the server closes its connections: the socket closed under the loop.</summary>
        public Task CloseFromAnotherThreadAsync() => Task.Run(() => Accepted.Dispose()).WaitAsync(Bound);

        public async ValueTask DisposeAsync()
        {
            Stopping.Cancel();
            try
            {
                await Ended.WaitAsync(Bound);
            }
            finally
            {
                Accepted.Dispose();   // the loop has closed it unless Ended timed out
                Client.Dispose();
                Stopping.Dispose();
            }
        }
    }
}
