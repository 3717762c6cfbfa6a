using System;
using System.IO;
using System.IO.Pipes;
using System.Net.Sockets;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>
    /// A control channel on a named pipe (Windows). A socket is handed over the Windows way:
    /// Socket.DuplicateAndClose(workerPid) makes a WSAPROTOCOL_INFO the worker turns back into a
    /// socket with new Socket(SocketInformation), and closes the server's copy.
    /// Written from the documentation and compiled, but not run here (the lab machine is Linux).
    /// </summary>
    internal sealed class PipeControlChannel : ControlChannel
    {
        private readonly PipeStream _pipe;

        public PipeControlChannel(PipeStream pipe)
        {
            _pipe = pipe;
        }

        public static PipeControlChannel Open(string pipeName, TimeSpan timeout)
        {
            // Asynchronous: on a pipe opened for synchronous I/O a pending ReadFile blocks every
            // WriteFile on the same handle, and the reader thread always has a read pending.
            var pipe = new NamedPipeClientStream(".", pipeName, PipeDirection.InOut, PipeOptions.Asynchronous);
            try
            {
                pipe.Connect((int)timeout.TotalMilliseconds);
                return new PipeControlChannel(pipe);
            }
            catch
            {
                pipe.Dispose();
                throw;
            }
        }

        public override Socket Adopt(ConnectionHandOff handOff) =>
            new Socket(new SocketInformation
            {
                ProtocolInformation = handOff.SocketInformation,
                Options = (SocketInformationOptions)handOff.SocketInformationOptions,
            });

        protected override Stream ReadStream => _pipe;

        protected override void Write(byte[] bytes)
        {
            _pipe.Write(bytes, 0, bytes.Length);
            _pipe.Flush();
        }

        protected override void HandOver(Socket connection, long connectionId, int workerProcessId, ref bool released)
        {
            SocketInformation information = connection.DuplicateAndClose(workerProcessId);
            released = true;
            Write(new ConnectionHandOff(connectionId, information.ProtocolInformation, (int)information.Options).ToFrame().Encode());
        }

        protected override void Close() => _pipe.Dispose();
    }
}
