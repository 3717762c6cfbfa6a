using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSNetLab.Text;

namespace PSNetLab.Servers.Handlers
{
    /// <summary>
    /// The seeds' chat room on one server: every line goes to every other client as '&lt;name&gt; text';
    /// '/nick name' sets a client's name; joins and leaves are announced. Control characters and
    /// ANSI escapes are neutralised, so no client can paint or clear another's terminal.
    /// </summary>
    public sealed class ChatHandler : IConnectionAwareHandler
    {
        public const int MaxNameLength = 32;

        private static readonly Task<HandlerReply> NoReply = Task.FromResult(HandlerReply.None);
        private readonly ConcurrentDictionary<IConnectionChannel, string> _names = new ConcurrentDictionary<IConnectionChannel, string>();

        public string Name => "Chat";

        public int MaxConcurrency => 1;

        public IReadOnlyCollection<string> Members => _names.Values.ToList();

        public void Connected(IConnectionChannel connection)
        {
            string name = ServerEvent.FormatEndPoint(connection.RemoteEndPoint.Address, connection.RemoteEndPoint.Port);
            _names[connection] = name;
            Broadcast(connection, $"* {name} joined ({_names.Count} here)");
        }

        public void Disconnected(IConnectionChannel connection)
        {
            if (_names.TryRemove(connection, out string? name))
            {
                Broadcast(connection, $"* {name} left");
            }
        }

        public Task<HandlerReply> HandleAsync(HandlerRequest request, CancellationToken cancellation)
        {
            IConnectionChannel? from = request.Connection;
            if (from == null || !_names.TryGetValue(from, out string? name))
            {
                return NoReply;
            }

            string text = TerminalText.Neutralise(request.Text);
            if (text.StartsWith("/nick", StringComparison.OrdinalIgnoreCase) && (text.Length == 5 || text[5] == ' '))
            {
                return Task.FromResult(Rename(from, name, text.Substring(5).Trim(), request));
            }

            if (text.Length > 0)
            {
                Broadcast(from, $"<{name}> {text}");
            }

            return NoReply;
        }

        public void Dispose()
        {
            _names.Clear();
        }

        private HandlerReply Rename(IConnectionChannel from, string oldName, string wanted, HandlerRequest request)
        {
            string name = wanted.Replace(' ', '_');
            if (name.Length == 0 || name.Length > MaxNameLength)
            {
                return HandlerReply.FromText($"* a name has 1 to {MaxNameLength} characters; you are still {oldName}", request.Encoding);
            }

            if (_names.Any(n => n.Key != from && string.Equals(n.Value, name, StringComparison.OrdinalIgnoreCase)))
            {
                return HandlerReply.FromText($"* {name} is taken; you are still {oldName}", request.Encoding);
            }

            _names[from] = name;
            Broadcast(from, $"* {oldName} is now {name}");
            return HandlerReply.FromText($"* you are now {name}", request.Encoding);
        }

        private void Broadcast(IConnectionChannel from, string line)
        {
            foreach (IConnectionChannel other in _names.Keys)
            {
                if (other != from)
                {
                    // A slow client is closed by its own connection; the others are not held up.
                    other.Send(line);
                }
            }
        }
    }
}
