using System;
using System.Collections.Generic;
using System.Text;
using PSNetLab.Servers.Handlers;
using PSNetLab.Text;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>
    /// The Configure message: what a worker needs to serve connections exactly as the server's
    /// own loop would - the handler (a ScriptBlock as its text) and the connection-level options.
    /// Socket options (-NoDelay, -KeepAlive) are not here: the server sets them on the socket
    /// before handing it over, and they travel with it, being kernel state of the socket.
    /// </summary>
    public sealed class WorkerSettings
    {
        public WorkerSettings(HandlerDefinition handler, TcpServerOptions options)
        {
            Handler = handler;
            Options = options;
        }

        public HandlerDefinition Handler { get; }

        /// <summary>The connection-level options; its Handler is whatever the side holding it serves with.</summary>
        public TcpServerOptions Options { get; }

        public ControlFrame ToFrame()
        {
            using (var writer = new PayloadWriter())
            {
                writer.Text(Handler.BuiltInName).Text(Handler.ScriptText).Text(Handler.Prefix)
                    .Int(Handler.ThrottleLimit).Duration(Handler.HandlerTimeout);
                IReadOnlyList<KeyValuePair<string, string>>? words = Handler.Dictionary;
                writer.Int(words?.Count ?? -1);
                foreach (KeyValuePair<string, string> word in words ?? new KeyValuePair<string, string>[0])
                {
                    writer.Text(word.Key).Text(word.Value);
                }

                writer.Text(Options.Name).Int(Options.Encoding.CodePage).Int((int)Options.EventLevel)
                    .Int((int)Options.Framing).Int(Options.LengthPrefixSize).Duration(Options.IdleTimeout)
                    .Int(Options.MaxMessageLength).Int(Options.MaxPendingSends).Duration(Options.StopTimeout);
                return writer.ToFrame(ControlMessageKind.Configure);
            }
        }

        /// <summary>Decodes the settings; <paramref name="createHandler"/> builds the worker's handler from the definition.</summary>
        public static WorkerSettings From(ControlFrame frame, Func<HandlerDefinition, IMessageHandler> createHandler) =>
            PayloadReader.Decode(frame, ControlMessageKind.Configure, r =>
            {
                string? builtIn = r.Text();
                string? script = r.Text();
                string? prefix = r.Text();
                int throttle = r.Int();
                TimeSpan timeout = r.Duration();
                int wordCount = r.Int();
                List<KeyValuePair<string, string>>? words = null;
                if (wordCount >= 0)
                {
                    words = new List<KeyValuePair<string, string>>(Math.Min(wordCount, 4096));
                    for (int i = 0; i < wordCount; i++)
                    {
                        words.Add(new KeyValuePair<string, string>(r.Text() ?? string.Empty, r.Text() ?? string.Empty));
                    }
                }

                HandlerDefinition handler = script != null
                    ? HandlerDefinition.Script(script, throttle, timeout)
                    : HandlerDefinition.BuiltIn(builtIn ?? "Echo", prefix, words);
                string name = r.Text() ?? string.Empty;
                Encoding encoding = EncodingOf(r.Int());
                var level = (EventLevel)r.Int();
                var framing = (TcpFraming)r.Int();
                int prefixSize = r.Int();
                TimeSpan idle = r.Duration();
                int maxMessage = r.Int();
                int maxPending = r.Int();
                TimeSpan stopTimeout = r.Duration();
                var options = new TcpServerOptions(createHandler(handler))
                {
                    Name = name,
                    Encoding = encoding,
                    EventLevel = level,
                    Concurrency = ConcurrencyMode.Process,
                    Framing = framing,
                    LengthPrefixSize = prefixSize,
                    IdleTimeout = idle,
                    MaxMessageLength = maxMessage,
                    MaxPendingSends = maxPending,
                    StopTimeout = stopTimeout,
                };
                return new WorkerSettings(handler, options);
            });

        private static Encoding EncodingOf(int codePage)
        {
            // Touching TextEncodings registers the code-pages provider (gbk and friends) first.
            Encoding utf8 = TextEncodings.Utf8;
            return codePage == utf8.CodePage ? utf8 : TextEncodings.Tolerant(Encoding.GetEncoding(codePage));
        }
    }
}
