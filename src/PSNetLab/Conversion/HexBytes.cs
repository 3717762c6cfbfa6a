using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using PSNetLab.Errors;

namespace PSNetLab.Conversion
{
    /// <summary>Bytes as the two-digit hex text that a packet dump or a memory view shows: "00 01 23 45".</summary>
    public static class HexBytes
    {
        public static string Format(byte[] bytes)
        {
            var text = new StringBuilder(bytes.Length * 3);
            foreach (byte b in bytes)
            {
                if (text.Length > 0)
                {
                    text.Append(' ');
                }

                text.Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }

            return text.ToString();
        }

        /// <summary>
        /// Accepts bytes separated by spaces, '-', ':' or ',' (each optionally 0x-prefixed), or one
        /// run of hex digits ("0x00012345", "00012345") read two digits a byte.
        /// </summary>
        public static byte[] Parse(string text)
        {
            string[] parts = text.Split(new[] { ' ', '\t', '-', ':', ',' }, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                throw Malformed(text, "there are no hex digits");
            }

            var bytes = new List<byte>();
            foreach (string part in parts)
            {
                string digits = part.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? part.Substring(2) : part;
                if (parts.Length > 1 && digits.Length > 2)
                {
                    throw Malformed(text, $"'{part}' is more than one byte; separate bytes with spaces");
                }

                if (digits.Length == 0 || (parts.Length == 1 && digits.Length % 2 != 0))
                {
                    throw Malformed(text, "a run of hex digits needs two digits a byte");
                }

                for (int i = 0; i < digits.Length; i += 2)
                {
                    string pair = digits.Substring(i, Math.Min(2, digits.Length - i));
                    if (!byte.TryParse(pair, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte b))
                    {
                        throw Malformed(text, $"'{pair}' is not hex");
                    }

                    bytes.Add(b);
                }
            }

            return bytes.ToArray();
        }

        private static NetLabException Malformed(string text, string reason) =>
            new NetLabException(
                "NetworkOrderHexInvalid",
                NetLabErrorKind.InvalidArgument,
                $"Cannot read '{text}' as hex bytes: {reason}. Write bytes like '00 01 23 45' or '0x00012345'.",
                text);
    }
}
