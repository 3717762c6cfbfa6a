using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace PSNetLab.Tests.Servers
{
    /// <summary>A test client's side of a loopback connection: every read and write is bounded and says what it got.</summary>
    internal static class LoopbackIO
    {
        public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

        /// <summary>Megabytes through small socket buffers on a shared 2-core machine: a bound, not a speed.</summary>
        public static readonly TimeSpan FloodBound = TimeSpan.FromSeconds(60);

        public static readonly Encoding AsciiText = Encoding.ASCII;

        /// <summary>A writer the test cut off: it may end with a reset or an abort, but it must end.</summary>
        public static async Task EndedAsync(Task writing)
        {
            try
            {
                await writing.WaitAsync(Bound);
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException || e is OperationCanceledException)
            {
                // Expected: the server closed while this was still writing.
            }
        }

        /// <summary>Closes with SO_LINGER 0: the server gets a reset instead of end of stream.</summary>
        public static void Reset(Socket client)
        {
            client.LingerState = new LingerOption(true, 0);
            client.Dispose();
        }

        public static async Task<int> ReceiveOnceAsync(Socket socket, byte[] buffer)
        {
            using var timeout = new CancellationTokenSource(Bound);
            return await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        }

        public static async Task ExpectAsync(Socket socket, string expected) =>
            Assert.Equal(expected, AsciiText.GetString(await ReadExactlyAsync(socket, AsciiText.GetByteCount(expected))));

        public static async Task<byte[]> ReadExactlyAsync(Socket socket, int count, TimeSpan? bound = null)
        {
            var data = new byte[count];
            using var timeout = new CancellationTokenSource(bound ?? Bound);
            for (int read = 0; read < count;)
            {
                int received = await socket.ReceiveAsync(data.AsMemory(read), SocketFlags.None, timeout.Token);
                if (received == 0)
                {
                    Assert.Fail($"end of stream after {read} of {count} bytes: '{Excerpt(data, 0, read)}'");
                }

                read += received;
            }

            return data;
        }

        /// <summary>Everything until end of stream, or until a reset (then <c>Reset</c> is true).</summary>
        public static async Task<(byte[] Data, bool Reset)> ReadToEndAsync(Socket socket)
        {
            var data = new MemoryStream();
            var buffer = new byte[64 * 1024];
            using var timeout = new CancellationTokenSource(Bound);
            while (true)
            {
                int received;
                try
                {
                    received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
                {
                    return (data.ToArray(), true);
                }

                if (received == 0)
                {
                    return (data.ToArray(), false);
                }

                data.Write(buffer, 0, received);
            }
        }

        public static async Task ExpectEndOfStreamAsync(Socket socket)
        {
            (byte[] data, bool reset) = await ReadToEndAsync(socket);
            Assert.Equal(string.Empty, AsciiText.GetString(data));
            Assert.False(reset, "a reset where end of stream was due");
        }

        public static void AssertSameBytes(byte[] expected, byte[] actual)
        {
            int common = Math.Min(expected.Length, actual.Length);
            int same = expected.AsSpan(0, common).CommonPrefixLength(actual.AsSpan(0, common));
            if (same == common && expected.Length == actual.Length)
            {
                return;
            }

            Assert.Fail($"{actual.Length} bytes for {expected.Length} expected; the first difference is at byte {same}: expected '{Excerpt(expected, same, 40)}', got '{Excerpt(actual, same, 40)}'");
        }

        public static string Excerpt(byte[] bytes, int from, int count) =>
            AsciiText.GetString(bytes, from, Math.Max(0, Math.Min(count, bytes.Length - from))).Replace("\n", "\\n").Replace("\r", "\\r");

        public static async Task SendAsync(Socket socket, string text) => await SendAsync(socket, AsciiText.GetBytes(text));

        public static async Task SendAsync(Socket socket, ReadOnlyMemory<byte> bytes, TimeSpan? bound = null)
        {
            using var timeout = new CancellationTokenSource(bound ?? Bound);
            while (bytes.Length > 0)
            {
                int sent = await socket.SendAsync(bytes, SocketFlags.None, timeout.Token);
                bytes = bytes.Slice(sent);
            }
        }
    }
}
