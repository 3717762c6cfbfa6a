using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using static PSNetLab.Tests.Servers.LoopbackIO;

namespace PSNetLab.Tests.Servers
{
    /// <summary>What test clients send: payloads whose every byte can be checked when it comes back.</summary>
    internal static class TestPayloads
    {
        public static byte[] Pattern(int length)
        {
            var bytes = new byte[length];
            for (int i = 0; i < length; i++)
            {
                bytes[i] = (byte)('a' + ((i * 7) % 26));
            }

            return bytes;
        }

        /// <summary>Numbered lines of varied length (now and then longer than a socket buffer), so a lost, repeated or reordered line shows.</summary>
        public static byte[] ManyLines(int atLeast, out long payload)
        {
            var random = new Random(20261202);
            var lines = new MemoryStream(atLeast + (32 * 1024));
            payload = 0;
            for (int i = 0; lines.Length < atLeast; i++)
            {
                byte[] number = AsciiText.GetBytes(i.ToString("D7", CultureInfo.InvariantCulture) + ":");
                var line = new byte[Math.Max(number.Length, i % 997 == 0 ? 20_000 : random.Next(0, 300))];
                number.CopyTo(line, 0);
                for (int j = number.Length; j < line.Length; j++)
                {
                    line[j] = (byte)('a' + random.Next(26));
                }

                lines.Write(line, 0, line.Length);
                lines.WriteByte((byte)'\n');
                payload += line.Length;
            }

            return lines.ToArray();
        }

        public static byte[] Framed(int prefixSize, params string[] messages)
        {
            var bytes = new List<byte>();
            foreach (string message in messages)
            {
                byte[] body = AsciiText.GetBytes(message);
                for (int i = prefixSize - 1; i >= 0; i--)
                {
                    bytes.Add((byte)(body.Length >> (8 * i)));
                }

                bytes.AddRange(body);
            }

            return bytes.ToArray();
        }
    }
}
