using System;
using System.Globalization;
using System.Numerics;
using PSNetLab.Errors;

namespace PSNetLab.Conversion
{
    /// <summary>
    /// An integer as the user typed it: its bits, and the size of the type it came in.
    /// PowerShell parses the hex literal 0xFFFFFFFF as the Int32 -1, so a negative value is read
    /// as its two's-complement bit pattern at its own type's size (0xFFFFFFFF means 4294967295).
    /// </summary>
    public readonly struct IntegerValue
    {
        public IntegerValue(ulong bits, int sourceWidth)
        {
            Bits = bits;
            SourceWidth = sourceWidth;
        }

        public ulong Bits { get; }

        /// <summary>8, 16, 32 or 64 for a typed integer; 64 for text and other sources.</summary>
        public int SourceWidth { get; }

        /// <summary>The smallest width among 16, 32 and 64 that holds the value: the htons/htonl/htonll choice.</summary>
        public int NaturalWidth => Bits <= uint.MaxValue ? 32 : 64;

        /// <summary>The requested width, or the natural one; throws when the value does not fit in it.</summary>
        public int WidthFor(int? requestedWidth, object? input)
        {
            int width = requestedWidth ?? NaturalWidth;
            ByteOrder.EnsureFits(Bits, width, input);
            return width;
        }

        public static IntegerValue From(object? input)
        {
            switch (input)
            {
                case null:
                    throw Invalid(input, "no value was given");
                case byte b: return new IntegerValue(b, 8);
                case sbyte sb: return new IntegerValue((byte)sb, 8);
                case ushort us: return new IntegerValue(us, 16);
                case short s: return new IntegerValue((ushort)s, 16);
                case uint ui: return new IntegerValue(ui, 32);
                case int i: return new IntegerValue((uint)i, 32);
                case ulong ul: return new IntegerValue(ul, 64);
                case long l: return new IntegerValue((ulong)l, 64);
                case char c: return new IntegerValue(c, 16);
                case BigInteger big: return FromBigInteger(big, input);
                case decimal d: return FromIntegral(d, input);
                case double db: return FromIntegral((decimal)db, input);
                case float f: return FromIntegral((decimal)f, input);
                case string text: return Parse(text);
                default:
                    throw Invalid(input, $"a {input.GetType().Name} is not an integer");
            }
        }

        /// <summary>Reads decimal ("74565") or hex ("0x12345", "0X12345", "12345h") text.</summary>
        public static IntegerValue Parse(string text)
        {
            string trimmed = text.Trim().Replace("_", string.Empty);
            bool isHex = false;
            if (trimmed.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed.Substring(2);
                isHex = true;
            }
            else if (trimmed.EndsWith("h", StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed.Substring(0, trimmed.Length - 1);
                isHex = true;
            }

            NumberStyles style = isHex ? NumberStyles.AllowHexSpecifier : NumberStyles.None;
            if (trimmed.Length > 0 && ulong.TryParse(trimmed, style, CultureInfo.InvariantCulture, out ulong value))
            {
                return new IntegerValue(value, 64);
            }

            if (!isHex && BigInteger.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out BigInteger big))
            {
                return FromBigInteger(big, text);
            }

            throw Invalid(text, "it is not a decimal or 0x-prefixed hex integer of at most 64 bits");
        }

        private static IntegerValue FromIntegral(decimal value, object input)
        {
            if (decimal.Truncate(value) != value)
            {
                throw Invalid(input, "it has a fractional part");
            }

            return FromBigInteger(new BigInteger(value), input);
        }

        private static IntegerValue FromBigInteger(BigInteger value, object input)
        {
            if (value >= 0 && value <= ulong.MaxValue)
            {
                return new IntegerValue((ulong)value, 64);
            }

            if (value < 0 && value >= long.MinValue)
            {
                return new IntegerValue((ulong)(long)value, 64);
            }

            throw new NetLabException(
                "NetworkOrderValueTooLarge",
                NetLabErrorKind.InvalidArgument,
                $"The value {input} does not fit in 64 bits, the widest integer that has a network byte order function (htonll).",
                input);
        }

        private static NetLabException Invalid(object? input, string reason) =>
            new NetLabException(
                "NetworkOrderValueInvalid",
                NetLabErrorKind.InvalidArgument,
                $"Cannot read '{input}' as an integer: {reason}.",
                input);
    }
}
