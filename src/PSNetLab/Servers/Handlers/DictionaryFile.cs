using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using PSNetLab.Errors;

namespace PSNetLab.Servers.Handlers
{
    /// <summary>Reads a word list for the Dictionary handler: 'word = translation' or 'word&lt;TAB&gt;translation' per line, '#' comments, UTF-8.</summary>
    public static class DictionaryFile
    {
        public static IReadOnlyList<KeyValuePair<string, string>> Read(string path)
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(path, Encoding.UTF8);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                throw new NetLabException("ServerDictionaryNotFound", NetLabErrorKind.ObjectNotFound, $"The dictionary file '{path}' cannot be read: {e.Message}", path, e);
            }

            var words = new List<KeyValuePair<string, string>>();
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i].Trim();
                if (line.Length == 0 || line.StartsWith("#", StringComparison.Ordinal))
                {
                    continue;
                }

                int split = line.IndexOf('\t');
                split = split < 0 ? line.IndexOf('=') : split;
                if (split <= 0)
                {
                    throw new NetLabException(
                        "ServerDictionaryInvalid",
                        NetLabErrorKind.InvalidData,
                        $"Line {i + 1} of '{path}' is not 'word = translation' (or word, a tab, and the translation): {line}",
                        path);
                }

                words.Add(new KeyValuePair<string, string>(line.Substring(0, split).Trim(), line.Substring(split + 1).Trim()));
            }

            return words;
        }
    }
}
