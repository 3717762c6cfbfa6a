using System;
using System.Collections.Generic;

namespace PSNetLab.Servers.Handlers
{
    /// <summary>The seeds' English->Chinese server: known words are translated, unknown ones come back unchanged.</summary>
    public sealed class DictionaryHandler : SynchronousHandler
    {
        private readonly Dictionary<string, string> _words;

        public DictionaryHandler(IEnumerable<KeyValuePair<string, string>>? words = null)
        {
            _words = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (KeyValuePair<string, string> pair in words ?? DefaultWords)
            {
                _words[pair.Key.Trim()] = pair.Value;
            }
        }

        public static IReadOnlyDictionary<string, string> DefaultWords { get; } = new Dictionary<string, string>
        {
            ["hello"] = "你好",
            ["world"] = "世界",
            ["love"] = "爱",
        };

        public override string Name => "Dictionary";

        public IReadOnlyDictionary<string, string> Words => _words;

        public override HandlerReply Handle(HandlerRequest request)
        {
            string word = request.Text.Trim();
            return _words.TryGetValue(word, out string? translation)
                ? HandlerReply.FromText(translation, request.Encoding)
                : HandlerReply.FromBytes(request.Payload, request.Text);
        }
    }
}
