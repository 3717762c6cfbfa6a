using System;
using System.Collections.Generic;
using System.Linq;
using PSNetLab.Errors;

namespace PSNetLab.Servers.Handlers
{
    /// <summary>Creates a built-in handler from the name a user types after -Handler.</summary>
    public static class BuiltInHandlers
    {
        public static IReadOnlyList<string> Names { get; } = new[] { "Echo", "Time", "Dictionary", "Discard" };

        /// <summary>Handlers that need connections (TCP only).</summary>
        public static IReadOnlyList<string> ConnectionNames { get; } = new[] { "Chat" };

        public static IMessageHandler Create(string name, string? prefix = null, IEnumerable<KeyValuePair<string, string>>? dictionary = null)
        {
            switch ((name ?? string.Empty).Trim().ToLowerInvariant())
            {
                case "echo":
                    return new EchoHandler(prefix);
                case "time":
                    return new TimeHandler();
                case "dictionary":
                    return new DictionaryHandler(dictionary);
                case "discard":
                    return new DiscardHandler();
                case "chat":
                    return new ChatHandler();
                default:
                    throw new NetLabException(
                        "ServerHandlerNotFound",
                        NetLabErrorKind.InvalidArgument,
                        $"-Handler '{name}' is not a built-in handler. Use one of {string.Join(", ", Names)}, or a ScriptBlock that returns the reply.",
                        name);
            }
        }

        public static bool IsBuiltIn(string name) => Names.Any(n => string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase));
    }
}
