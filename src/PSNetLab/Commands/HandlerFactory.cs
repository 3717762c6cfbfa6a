using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PSNetLab.Errors;
using PSNetLab.Servers.Handlers;
using PSNetLab.Servers.Hosting;

namespace PSNetLab.Commands
{
    /// <summary>Turns a -Handler argument (a built-in name or a ScriptBlock) into a handler; shared by the UDP and TCP servers.</summary>
    public static class HandlerFactory
    {
        public static IMessageHandler Create(object handler, string? prefix, Hashtable? dictionary, int throttleLimit, TimeSpan handlerTimeout) =>
            Define(handler, prefix, dictionary, throttleLimit, handlerTimeout).Create(ScriptBlockHandler.FromDefinition);

        /// <summary>The handler as data, for servers that build it elsewhere (Process-mode workers).</summary>
        public static HandlerDefinition Define(object handler, string? prefix, Hashtable? dictionary, int throttleLimit, TimeSpan handlerTimeout)
        {
            object value = handler is PSObject wrapped ? wrapped.BaseObject : handler;
            if (value is ScriptBlock script)
            {
                return HandlerDefinition.Script(script.ToString(), throttleLimit, handlerTimeout);
            }

            if (value is string name)
            {
                return HandlerDefinition.BuiltIn(name, prefix, dictionary == null ? null : ToWords(dictionary));
            }

            throw new NetLabException(
                "ServerHandlerNotFound",
                NetLabErrorKind.InvalidArgument,
                $"-Handler takes a built-in handler name ({string.Join(", ", BuiltInHandlers.Names)}) or a ScriptBlock, not a {value?.GetType().Name ?? "null"}.",
                handler);
        }

        private static IReadOnlyList<KeyValuePair<string, string>> ToWords(Hashtable dictionary) =>
            dictionary.Cast<DictionaryEntry>().Select(e => new KeyValuePair<string, string>(
                Unwrap(e.Key)?.ToString() ?? string.Empty,
                Unwrap(e.Value)?.ToString() ?? string.Empty)).ToList();

        private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
    }
}
