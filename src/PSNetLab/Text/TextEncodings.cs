using System;
using System.Text;
using PSNetLab.Errors;

namespace PSNetLab.Text
{
    /// <summary>
    /// Turns an encoding name into an Encoding that never throws on bad bytes: the seeds send utf-8
    /// and gbk, and a lab must show what arrived even when the two ends disagree.
    /// </summary>
    public static class TextEncodings
    {
        static TextEncodings()
        {
            // .NET Core knows only the Unicode encodings and Latin-1 until the code-pages provider is
            // registered; without it 'gbk' would not resolve. Registering twice is harmless.
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        }

        /// <summary>UTF-8 without a byte-order mark, replacing invalid bytes with U+FFFD.</summary>
        public static Encoding Utf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

        public static Encoding Resolve(string name)
        {
            string trimmed = (name ?? string.Empty).Trim();
            if (trimmed.Length == 0)
            {
                throw NotFound(name ?? string.Empty);
            }

            if (string.Equals(trimmed, "utf-8", StringComparison.OrdinalIgnoreCase) || string.Equals(trimmed, "utf8", StringComparison.OrdinalIgnoreCase))
            {
                return Utf8;
            }

            try
            {
                return Encoding.GetEncoding(trimmed, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);
            }
            catch (ArgumentException)
            {
                throw NotFound(trimmed);
            }
        }

        /// <summary>The same encoding with replacement fallbacks, so a caller's strict encoding cannot stop a server.</summary>
        public static Encoding Tolerant(Encoding encoding)
        {
            if (encoding is UTF8Encoding)
            {
                return Utf8;
            }

            if (encoding.DecoderFallback is DecoderReplacementFallback && encoding.EncoderFallback is EncoderReplacementFallback)
            {
                return encoding;
            }

            return Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);
        }

        private static NetLabException NotFound(string name) =>
            new NetLabException(
                "EncodingNotFound",
                NetLabErrorKind.InvalidArgument,
                $"'{name}' is not an encoding this system knows. Use a name such as utf-8, gbk, gb2312, big5, shift_jis, latin1 or utf-16, or an Encoding object.",
                name);
    }
}
