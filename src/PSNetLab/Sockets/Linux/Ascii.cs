namespace PSNetLab.Sockets.Linux
{
    /// <summary>Writes paths for libc calls straight into reused byte buffers: no string per call.</summary>
    internal static class Ascii
    {
        public static int Write(byte[] buffer, int offset, string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                buffer[offset + i] = (byte)text[i];
            }

            return offset + text.Length;
        }

        public static int WriteNumber(byte[] buffer, int offset, int value)
        {
            int digits = 1;
            for (int rest = value / 10; rest > 0; rest /= 10)
            {
                digits++;
            }

            for (int i = offset + digits - 1; i >= offset; i--)
            {
                buffer[i] = (byte)('0' + (value % 10));
                value /= 10;
            }

            return offset + digits;
        }
    }
}
