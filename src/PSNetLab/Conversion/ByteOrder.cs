using System;
using PSNetLab.Errors;

namespace PSNetLab.Conversion
{
    /// <summary>
    /// htons/htonl/htonll and their inverses for unsigned values of 16, 32 or 64 bits.
    /// .NET's IPAddress.HostToNetworkOrder takes only signed types, so 0xFFFFFFFF would need a cast
    /// that hides what the lab is about; these work on the bits directly.
    /// </summary>
    public static class ByteOrder
    {
        public static readonly int[] Widths = { 16, 32, 64 };

        public static bool IsLittleEndianHost => BitConverter.IsLittleEndian;

        public static ulong MaxValue(int width) => width == 64 ? ulong.MaxValue : (1UL << width) - 1;

        /// <summary>Reverses the byte order of the low <paramref name="width"/> bits.</summary>
        public static ulong Swap(ulong value, int width)
        {
            EnsureWidth(width);
            ulong result = 0;
            for (int i = 0; i < width / 8; i++)
            {
                result = (result << 8) | (value & 0xFF);
                value >>= 8;
            }

            return result;
        }

        /// <summary>hton*: the integer whose in-memory bytes on this host are the value's big-endian bytes.</summary>
        public static ulong HostToNetwork(ulong value, int width) => IsLittleEndianHost ? Swap(value, width) : value;

        /// <summary>ntoh*: byte order conversion is its own inverse.</summary>
        public static ulong NetworkToHost(ulong value, int width) => HostToNetwork(value, width);

        /// <summary>The value's bytes most significant first, as they travel on the wire.</summary>
        public static byte[] ToNetworkBytes(ulong value, int width)
        {
            EnsureWidth(width);
            var bytes = new byte[width / 8];
            for (int i = bytes.Length - 1; i >= 0; i--)
            {
                bytes[i] = (byte)value;
                value >>= 8;
            }

            return bytes;
        }

        /// <summary>The value's bytes as this host keeps them in memory.</summary>
        public static byte[] ToHostBytes(ulong value, int width)
        {
            byte[] bytes = ToNetworkBytes(value, width);
            if (IsLittleEndianHost)
            {
                Array.Reverse(bytes);
            }

            return bytes;
        }

        /// <summary>Reads big-endian bytes (2, 4 or 8 of them) as an unsigned integer.</summary>
        public static ulong FromNetworkBytes(byte[] bytes)
        {
            EnsureWidth(bytes.Length * 8, bytes);
            ulong value = 0;
            foreach (byte b in bytes)
            {
                value = (value << 8) | b;
            }

            return value;
        }

        public static void EnsureFits(ulong value, int width, object? input)
        {
            EnsureWidth(width);
            if (value > MaxValue(width))
            {
                throw new NetLabException(
                    "NetworkOrderValueTooLarge",
                    NetLabErrorKind.InvalidArgument,
                    $"The value {input} (0x{value:X}) does not fit in {width} bits; the largest {width}-bit value is 0x{MaxValue(width):X}. Use a larger -Width.",
                    input);
            }
        }

        public static void EnsureWidth(int width, object? input = null)
        {
            if (width != 16 && width != 32 && width != 64)
            {
                string what = input is byte[] bytes ? $"{bytes.Length} bytes" : $"{width} bits";
                throw new NetLabException(
                    "NetworkOrderWidthInvalid",
                    NetLabErrorKind.InvalidArgument,
                    $"Byte order functions work on 16, 32 or 64 bits (2, 4 or 8 bytes), not {what}.",
                    input ?? width);
            }
        }
    }
}
