using System;
using System.Collections.Generic;

namespace PSNetLab.Servers.Handlers
{
    /// <summary>
    /// What -Handler and its companion parameters asked for, as plain data: enough to build the
    /// same handler again in another process (a Process-mode worker), where a ScriptBlock object
    /// cannot go but its text can.
    /// </summary>
    public sealed class HandlerDefinition
    {
        private HandlerDefinition(string? builtInName, string? scriptText, string? prefix, IReadOnlyList<KeyValuePair<string, string>>? dictionary, int throttleLimit, TimeSpan handlerTimeout)
        {
            BuiltInName = builtInName;
            ScriptText = scriptText;
            Prefix = prefix;
            Dictionary = dictionary;
            ThrottleLimit = throttleLimit;
            HandlerTimeout = handlerTimeout;
        }

        /// <summary>Echo, Time, Dictionary...; null for a ScriptBlock.</summary>
        public string? BuiltInName { get; }

        /// <summary>The ScriptBlock's text; null for a built-in handler.</summary>
        public string? ScriptText { get; }

        public string? Prefix { get; }

        public IReadOnlyList<KeyValuePair<string, string>>? Dictionary { get; }

        public int ThrottleLimit { get; }

        public TimeSpan HandlerTimeout { get; }

        public bool IsScript => ScriptText != null;

        public string Name => IsScript ? "ScriptBlock" : BuiltInName!;

        public static HandlerDefinition BuiltIn(string name, string? prefix, IReadOnlyList<KeyValuePair<string, string>>? dictionary) =>
            new HandlerDefinition(name, null, prefix, dictionary, 1, TimeSpan.Zero);

        public static HandlerDefinition Script(string text, int throttleLimit, TimeSpan handlerTimeout) =>
            new HandlerDefinition(null, text, null, null, throttleLimit, handlerTimeout);

        /// <summary>A handler of this definition; ScriptBlocks need a host that can run them, so the caller supplies that part.</summary>
        public IMessageHandler Create(Func<HandlerDefinition, IMessageHandler> createScript) =>
            IsScript ? createScript(this) : BuiltInHandlers.Create(BuiltInName!, Prefix, Dictionary);
    }
}
