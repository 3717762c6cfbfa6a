using System;
using System.Net;
using System.Text;
using PSNetLab.Servers.Handlers;
using PSNetLab.Text;

namespace PSNetLab.Servers
{
    /// <summary>What every server kind shares; TCP adds its own options in a subclass.</summary>
    public class ServerOptions
    {
        public ServerOptions(IMessageHandler handler)
        {
            Handler = handler;
        }

        public string Name { get; set; } = string.Empty;

        public IPAddress LocalAddress { get; set; } = IPAddress.Loopback;

        /// <summary>0 lets the OS pick; the server reports the real port after binding.</summary>
        public int Port { get; set; }

        public IMessageHandler Handler { get; }

        public Encoding Encoding { get; set; } = TextEncodings.Utf8;

        public EventLevel EventLevel { get; set; } = EventLevel.Messages;

        /// <summary>How long Stop waits for the serving loop and handlers before giving up on them.</summary>
        public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(1);
    }
}
