using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PSNetLab.Commands
{
    /// <summary>Tab completion for -LocalAddress keywords.</summary>
    public sealed class LocalAddressCompleter : IArgumentCompleter
    {
        private static readonly string[] Keywords = { "Loopback", "Any", "IPv6Loopback", "IPv6Any", "127.0.0.1", "::1", "0.0.0.0" };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Complete(Keywords, wordToComplete);

        internal static IEnumerable<CompletionResult> Complete(IEnumerable<string> values, string word) =>
            values.Where(v => v.StartsWith(word ?? string.Empty, System.StringComparison.OrdinalIgnoreCase))
                  .Select(v => new CompletionResult(v.Contains(":") ? "'" + v + "'" : v, v, CompletionResultType.ParameterValue, v));
    }

    /// <summary>Tab completion for -Encoding: the seeds' utf-8 and gbk first.</summary>
    public sealed class EncodingNameCompleter : IArgumentCompleter
    {
        private static readonly string[] Names = { "utf-8", "gbk", "gb2312", "gb18030", "big5", "shift_jis", "euc-kr", "latin1", "ascii", "utf-16", "utf-16BE", "utf-32" };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            LocalAddressCompleter.Complete(Names, wordToComplete);
    }

    /// <summary>Tab completion for -Handler: the built-in handler names.</summary>
    public sealed class HandlerNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            LocalAddressCompleter.Complete(Servers.Handlers.BuiltInHandlers.Names, wordToComplete);
    }

    /// <summary>Tab completion for Start-TcpServer -Handler: the built-in handlers and Chat.</summary>
    public sealed class TcpHandlerNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            LocalAddressCompleter.Complete(Servers.Handlers.BuiltInHandlers.Names.Concat(Servers.Handlers.BuiltInHandlers.ConnectionNames), wordToComplete);
    }
}
