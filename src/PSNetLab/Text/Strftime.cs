using System;
using System.Globalization;
using System.Text;

namespace PSNetLab.Text
{
    /// <summary>
    /// C strftime in the "C" locale, because the seeds' time server takes its format from the
    /// client: a lab sends '%Y-%m-%d %X' from Python or C and must get what strftime would give.
    /// </summary>
    public static class Strftime
    {
        /// <summary>The seeds' default when the client sends an empty format.</summary>
        public const string DefaultFormat = "%Y-%m-%d %X";

        private static readonly string[] Days = { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday" };
        private static readonly string[] Months =
        {
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
        };

        public static string Format(string format, DateTimeOffset time)
        {
            if (string.IsNullOrEmpty(format))
            {
                format = DefaultFormat;
            }

            var text = new StringBuilder(format.Length * 2);
            for (int i = 0; i < format.Length; i++)
            {
                char c = format[i];
                if (c != '%' || i == format.Length - 1)
                {
                    text.Append(c);
                    continue;
                }

                char spec = format[++i];
                if (!AppendField(text, spec, time))
                {
                    // glibc prints an unknown conversion as written, which is kinder than failing the request.
                    text.Append('%').Append(spec);
                }
            }

            return text.ToString();
        }

        private static bool AppendField(StringBuilder text, char spec, DateTimeOffset t)
        {
            switch (spec)
            {
                case 'Y': text.Append(t.Year.ToString(CultureInfo.InvariantCulture)); return true;
                case 'C': Two(text, t.Year / 100); return true;
                case 'y': Two(text, t.Year % 100); return true;
                case 'm': Two(text, t.Month); return true;
                case 'd': Two(text, t.Day); return true;
                case 'e': text.Append(t.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2)); return true;
                case 'j': text.Append(t.DayOfYear.ToString("000", CultureInfo.InvariantCulture)); return true;
                case 'H': Two(text, t.Hour); return true;
                case 'k': text.Append(t.Hour.ToString(CultureInfo.InvariantCulture).PadLeft(2)); return true;
                case 'I': Two(text, Hour12(t)); return true;
                case 'l': text.Append(Hour12(t).ToString(CultureInfo.InvariantCulture).PadLeft(2)); return true;
                case 'M': Two(text, t.Minute); return true;
                case 'S': Two(text, t.Second); return true;
                case 'p': text.Append(t.Hour < 12 ? "AM" : "PM"); return true;
                case 'a': text.Append(Days[(int)t.DayOfWeek], 0, 3); return true;
                case 'A': text.Append(Days[(int)t.DayOfWeek]); return true;
                case 'b':
                case 'h': text.Append(Months[t.Month - 1], 0, 3); return true;
                case 'B': text.Append(Months[t.Month - 1]); return true;
                case 'u': text.Append(t.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)t.DayOfWeek); return true;
                case 'w': text.Append((int)t.DayOfWeek); return true;
                case 's': text.Append(t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)); return true;
                case 'z': AppendOffset(text, t.Offset); return true;
                case 'Z': text.Append(t.Offset == TimeSpan.Zero ? "UTC" : TimeZoneInfo.Local.StandardName); return true;
                case 'n': text.Append('\n'); return true;
                case 't': text.Append('\t'); return true;
                case '%': text.Append('%'); return true;
                case 'X':
                case 'T': return AppendAll(text, "%H:%M:%S", t);
                case 'R': return AppendAll(text, "%H:%M", t);
                case 'r': return AppendAll(text, "%I:%M:%S %p", t);
                case 'x':
                case 'D': return AppendAll(text, "%m/%d/%y", t);
                case 'F': return AppendAll(text, "%Y-%m-%d", t);
                case 'c': return AppendAll(text, "%a %b %e %H:%M:%S %Y", t);
                default: return false;
            }
        }

        private static bool AppendAll(StringBuilder text, string format, DateTimeOffset t)
        {
            text.Append(Format(format, t));
            return true;
        }

        private static int Hour12(DateTimeOffset t) => t.Hour % 12 == 0 ? 12 : t.Hour % 12;

        private static void Two(StringBuilder text, int value) => text.Append(value.ToString("00", CultureInfo.InvariantCulture));

        private static void AppendOffset(StringBuilder text, TimeSpan offset)
        {
            text.Append(offset < TimeSpan.Zero ? '-' : '+');
            TimeSpan abs = offset.Duration();
            Two(text, abs.Hours);
            Two(text, abs.Minutes);
        }
    }
}
