using System;
using System.IO;
using System.Net.Sockets;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>A Unix domain socket in the temp folder (short enough for sun_path's 104 bytes on macOS), unlinked once accepted.</summary>
    internal sealed class UnixControlListener : ControlListener
    {
        private readonly Socket _listener;
        private readonly string _path;

        public UnixControlListener()
        {
            _path = Path.Combine(Path.GetTempPath(), UniqueName() + ".sock");
            _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                _listener.Bind(SocketAdoption.UnixEndPoint(_path));
                _listener.Listen(1);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public override string Address => _path;

        public override ControlChannel? Accept(TimeSpan timeout, Func<bool> givenUp)
        {
            DateTime deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline && !givenUp())
            {
                // Poll in short steps (the socket stays in blocking mode) so a worker that died is noticed at once.
                if (_listener.Poll(100 * 1000, SelectMode.SelectRead))
                {
                    Socket accepted = _listener.Accept();
                    Dispose();
                    return new UnixControlChannel(accepted);
                }
            }

            return null;
        }

        public override void Dispose()
        {
            _listener.Dispose();
            try
            {
                File.Delete(_path);
            }
            catch (IOException)
            {
                // Removed already.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to remove; the temp folder is cleaned by the OS.
            }
        }
    }
}
