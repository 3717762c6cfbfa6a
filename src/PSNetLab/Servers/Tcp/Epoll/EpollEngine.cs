using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using PSNetLab.Servers.Handlers;

namespace PSNetLab.Servers.Tcp.Epoll
{
    /// <summary>
    /// Chooses who carries a connection's bytes. On Linux, connections with a built-in handler
    /// (Echo, Dictionary, Time, Discard: they answer at once, without blocking) are served by a few
    /// process-wide epoll loops, as a C server would; ScriptBlock and Chat connections, and every
    /// connection on Windows and macOS, stay on .NET's async sockets (<see cref="TcpConnection"/>).
    /// Set PSNETLAB_SOCKET_ENGINE=dotnet before importing the module to use .NET's sockets everywhere
    /// (for comparisons, or should a system refuse epoll).
    /// </summary>
    internal static class EpollEngine
    {
        public const string SwitchVariable = "PSNETLAB_SOCKET_ENGINE";

        private static readonly Lazy<EpollLoop[]?> Loops = new Lazy<EpollLoop[]?>(CreateLoops, LazyThreadSafetyMode.ExecutionAndPublication);

        /// <summary>
        /// The loop of connections that hold their loop's thread (<see cref="EpollConnection.OnReady"/>):
        /// their own, so a held thread never stalls the connections of the shared loops.
        /// </summary>
        private static readonly Lazy<EpollLoop?> HeldLoop = new Lazy<EpollLoop?>(() => EpollLoop.TryCreate("PSNetLab epoll held", out _), LazyThreadSafetyMode.ExecutionAndPublication);

        private static int _next;

        /// <summary>PSNETLAB_SOCKET_ENGINE=dotnet: .NET's sockets everywhere (the servers, and Measure-TcpServer's connections).</summary>
        public static bool SwitchedOff => string.Equals(Environment.GetEnvironmentVariable(SwitchVariable), "dotnet", StringComparison.OrdinalIgnoreCase);

        /// <summary>Why the engine is off on this system, or null while it is on.</summary>
        public static string? WhyNot { get; private set; }

        /// <summary>The handler as the engine can run it, or null when its connections need .NET's async sockets.</summary>
        public static SynchronousHandler? Serves(IMessageHandler handler) =>
            handler is SynchronousHandler synchronous && !(handler is IConnectionAwareHandler) && Loops.Value != null ? synchronous : null;

        /// <summary>
        /// <paramref name="holdsLoop"/>: serve it on the held loop, whose thread it keeps until it ends
        /// (<see cref="EpollConnection.OnReady"/>); a second held connection waits for the first, so
        /// only a caller that serves one connection at a time asks for it. Should that loop not be
        /// made, the connection goes to a shared loop like any other.
        /// </summary>
        public static Task<string> Serve(Socket socket, TcpServerOptions options, SynchronousHandler handler, ITcpConnectionObserver observer, CancellationToken stopping, bool holdsLoop = false)
        {
            EpollLoop[] loops = Loops.Value!;
            EpollLoop? held = holdsLoop ? HeldLoop.Value : null;
            EpollLoop loop = held ?? loops[(int)((uint)Interlocked.Increment(ref _next) % (uint)loops.Length)];
            return EpollConnection.Serve(loop, socket, options, handler, observer, stopping, held != null);
        }

        private static EpollLoop[]? CreateLoops()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                WhyNot = "epoll is Linux's";
                return null;
            }

            if (SwitchedOff)
            {
                WhyNot = SwitchVariable + "=dotnet";
                return null;
            }

            if (!SocketHandles.Available)
            {
                WhyNot = "this .NET has no Socket.SafeHandle";
                return null;
            }

            // One loop per two cores: on the 2-core machines the labs run on, one loop and the
            // clients each get a core, as with the C reference server.
            var loops = new EpollLoop[Math.Max(1, Math.Min(8, Environment.ProcessorCount / 2))];
            for (int i = 0; i < loops.Length; i++)
            {
                EpollLoop? loop = EpollLoop.TryCreate($"PSNetLab epoll {i + 1}", out string? whyNot);
                if (loop == null)
                {
                    WhyNot = whyNot;
                    return null;
                }

                loops[i] = loop;
            }

            return loops;
        }
    }
}
