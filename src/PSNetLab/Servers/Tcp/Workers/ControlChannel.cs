using System;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>
    /// The private connection between the server and one worker process: framed messages both
    /// ways, and the one thing .NET cannot do by itself, handing over an open TCP socket. Reads
    /// happen on one thread (each side has a reader thread); sends may come from any thread.
    /// When either process dies the other's <see cref="Read"/> returns null: a worker exits then,
    /// so no worker outlives its server.
    /// </summary>
    public abstract class ControlChannel : IDisposable
    {
        private readonly object _sending = new object();
        private int _disposed;

        /// <summary>Connects a worker to the address its server gave it on the command line.</summary>
        public static ControlChannel Connect(string address, TimeSpan timeout) =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
                ? PipeControlChannel.Open(address, timeout)
                : UnixControlChannel.Open(address);

        /// <summary>The next message; null when the other side closed the channel (or died).</summary>
        public ControlFrame? Read()
        {
            try
            {
                return ControlFrame.Read(ReadStream);
            }
            catch (Exception e) when (IsChannelFailure(e))
            {
                return null;
            }
        }

        public void Send(ControlFrame frame)
        {
            byte[] bytes = frame.Encode();
            lock (_sending)
            {
                Write(bytes);
            }
        }

        /// <summary>
        /// Gives <paramref name="connection"/> to the worker with <paramref name="workerProcessId"/>
        /// and closes this process's copy, so only the worker holds the connection afterwards.
        /// False when the channel failed before this process let go of the connection (it may go
        /// to another worker); throws when it failed after (the connection is lost).
        /// </summary>
        public bool SendConnection(Socket connection, long connectionId, int workerProcessId)
        {
            bool released = false;
            lock (_sending)
            {
                try
                {
                    HandOver(connection, connectionId, workerProcessId, ref released);
                    return true;
                }
                catch (Exception e) when (!released && IsChannelFailure(e))
                {
                    return false;
                }
            }
        }

        public static bool IsChannelFailure(Exception e) =>
            e is IOException || e is ObjectDisposedException || e is SocketException || e is System.ComponentModel.Win32Exception;

        /// <summary>The socket a Connection message carried, now owned by this process.</summary>
        public abstract Socket Adopt(ConnectionHandOff handOff);

        public void Dispose()
        {
            if (System.Threading.Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Close();
            }
        }

        protected abstract Stream ReadStream { get; }

        protected abstract void Write(byte[] bytes);

        /// <summary>Sends the connection; sets <paramref name="released"/> at the moment this process's copy is closed.</summary>
        protected abstract void HandOver(Socket connection, long connectionId, int workerProcessId, ref bool released);

        protected abstract void Close();
    }
}
