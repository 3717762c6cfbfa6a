using System;
using System.Collections.Generic;
using System.IO;
using System.Net;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>A Received, Sent or Error event of a worker's connection, on its way to the server's event log.</summary>
    public sealed class WorkerEvent
    {
        public WorkerEvent(ServerEventKind kind, IPEndPoint? remote, string? text, byte[]? bytes, string? detail, int length = -1, DateTime? utcTime = null)
        {
            UtcTime = utcTime ?? DateTime.UtcNow;
            Length = length >= 0 ? length : bytes?.Length ?? 0;
            Kind = kind;
            Remote = remote;
            Text = text;
            Bytes = bytes;
            Detail = detail;
        }

        public ServerEventKind Kind { get; }

        public IPEndPoint? Remote { get; }

        public string? Text { get; }

        public byte[]? Bytes { get; }

        public string? Detail { get; }

        /// <summary>The payload's full length: Bytes and Text are an excerpt of long messages.</summary>
        public int Length { get; }

        /// <summary>When it happened in the worker: events reach the server in batches, some milliseconds later.</summary>
        public DateTime UtcTime { get; }

        /// <summary>Several events in one message, so a busy connection costs one write per batch, not per event.</summary>
        public static ControlFrame ToFrame(IReadOnlyList<WorkerEvent> events)
        {
            using (var writer = new PayloadWriter())
            {
                writer.Int(events.Count);
                foreach (WorkerEvent e in events)
                {
                    writer.Byte((byte)e.Kind).EndPoint(e.Remote).Text(e.Text).Bytes(e.Bytes).Text(e.Detail).Int(e.Length).Long(e.UtcTime.Ticks);
                }

                return writer.ToFrame(ControlMessageKind.Events);
            }
        }

        public static IReadOnlyList<WorkerEvent> ListFrom(ControlFrame frame) =>
            PayloadReader.Decode(frame, ControlMessageKind.Events, r =>
            {
                int count = r.Int();
                if (count < 0 || count > frame.Payload.Length)
                {
                    throw new InvalidDataException($"An Events control message announced {count} events.");
                }

                var events = new List<WorkerEvent>(count);
                for (int i = 0; i < count; i++)
                {
                    events.Add(new WorkerEvent((ServerEventKind)r.Byte(), r.EndPoint(), r.Text(), r.Bytes(), r.Text(), r.Int(), new DateTime(r.Long(), DateTimeKind.Utc)));
                }

                return (IReadOnlyList<WorkerEvent>)events;
            });
    }
}
