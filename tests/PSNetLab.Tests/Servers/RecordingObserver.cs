using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using PSNetLab.Servers;
using PSNetLab.Servers.Tcp;

namespace PSNetLab.Tests.Servers
{
    /// <summary>One event a connection reported, as the observer got it.</summary>
    public sealed record RecordedEvent(ServerEventKind Kind, IPEndPoint? Remote, string? Text, byte[]? Bytes, string? Detail, int Length);

    /// <summary>
    /// Stands in for the server (or a Process worker's reporter): keeps every event and counter a
    /// <see cref="TcpConnectionLoop"/> reports. Connections call it from their own threads (the epoll
    /// loop, socket completions), so everything here is thread-safe and never blocks.
    /// </summary>
    public sealed class RecordingObserver : ITcpConnectionObserver
    {
        private readonly ConcurrentQueue<RecordedEvent> _events = new ConcurrentQueue<RecordedEvent>();
        private readonly bool _recordsMessages;
        private long _receivedBytes;
        private long _sentBytes;
        private long _errors;

        /// <param name="recordsMessages">False for floods: Received/Sent events are then declined, as a server at EventLevel Connections would.</param>
        public RecordingObserver(bool recordsMessages = true)
        {
            _recordsMessages = recordsMessages;
        }

        public long ReceivedBytes => Interlocked.Read(ref _receivedBytes);

        public long SentBytes => Interlocked.Read(ref _sentBytes);

        public long Errors => Interlocked.Read(ref _errors);

        public RecordedEvent[] Events => _events.ToArray();

        public RecordedEvent[] Of(ServerEventKind kind) => _events.Where(e => e.Kind == kind).ToArray();

        public bool Records(ServerEventKind kind) => _recordsMessages || (kind != ServerEventKind.Received && kind != ServerEventKind.Sent);

        /// <summary>The text is what the server's event would show (decoded from the bytes when the connection gave none).</summary>
        public void Record(ServerEventKind kind, IPEndPoint? remote, string? text = null, byte[]? bytes = null, string? detail = null, int length = -1, System.DateTime? time = null, Encoding? textEncoding = null) =>
            _events.Enqueue(new RecordedEvent(kind, remote, new ServerEvent("test", 0, kind, remote, text, bytes, detail, length, time, textEncoding).Text, bytes, detail, length));

        public void CountReceived(int bytes) => Interlocked.Add(ref _receivedBytes, bytes);

        public void CountSent(int bytes) => Interlocked.Add(ref _sentBytes, bytes);

        public void CountError() => Interlocked.Increment(ref _errors);
    }
}
