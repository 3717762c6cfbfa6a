using System.Text;
using System.Text.RegularExpressions;

namespace PSNetLab.Text
{
    /// <summary>Makes text from the network safe to print on someone else's terminal.</summary>
    public static class TerminalText
    {
        // CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), and two-character ESC sequences.
        private static readonly Regex EscapeSequence = new Regex(@"\x1B(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1B]*(\x07|\x1B\\)?|[@-Z\\-_])|\x9B[0-?]*[ -/]*[@-~]", RegexOptions.Compiled | RegexOptions.CultureInvariant);

        /// <summary>Drops ANSI escape sequences and replaces other control characters (C0, DEL, C1) with '?', tabs with a space.</summary>
        public static string Neutralise(string text)
        {
            string stripped = EscapeSequence.Replace(text, string.Empty);
            StringBuilder? clean = null;
            for (int i = 0; i < stripped.Length; i++)
            {
                char c = stripped[i];
                bool control = c < 0x20 || (c >= 0x7F && c <= 0x9F);
                if (control && clean == null)
                {
                    clean = new StringBuilder(stripped, 0, i, stripped.Length);
                }

                if (clean != null)
                {
                    clean.Append(!control ? c : c == '\t' ? ' ' : '?');
                }
            }

            return clean?.ToString() ?? stripped;
        }
    }
}
