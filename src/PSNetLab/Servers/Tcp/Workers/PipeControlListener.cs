using System;
using System.IO.Pipes;
using System.Threading.Tasks;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>A named pipe with one instance (Windows). Not run here: written from the System.IO.Pipes documentation.</summary>
    internal sealed class PipeControlListener : ControlListener
    {
        private readonly NamedPipeServerStream _pipe;
        private readonly string _name;
        private bool _accepted;

        public PipeControlListener()
        {
            _name = UniqueName();
            _pipe = new NamedPipeServerStream(_name, PipeDirection.InOut, 1, PipeTransmissionMode.Byte, PipeOptions.Asynchronous);
        }

        public override string Address => _name;

        public override ControlChannel? Accept(TimeSpan timeout, Func<bool> givenUp)
        {
            Task waiting = _pipe.WaitForConnectionAsync();
            DateTime deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline && !givenUp())
            {
                if (waiting.Wait(TimeSpan.FromMilliseconds(100)))
                {
                    _accepted = true;
                    return new PipeControlChannel(_pipe);
                }
            }

            Dispose();
            return null;
        }

        public override void Dispose()
        {
            // Once accepted the pipe belongs to the channel.
            if (!_accepted)
            {
                _pipe.Dispose();
            }
        }
    }
}
