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
        /// <summary>
        /// What an event shares with the one before it in a frame: a connection's events share its
        /// remote end point, and an echo's Sent event its Received event's excerpt. Sent once, they
        /// are encoded and decoded once: a busy worker sends two events per message.
        /// </summary>
        [Flags]
        private enum Shared : byte
        {
            None = 0,
            Remote = 1,
            Payload = 2,
        }

        public static ControlFrame ToFrame(IReadOnlyList<WorkerEvent> events)
        {
            using (var writer = new PayloadWriter())
            {
                return ToFrame(events, writer);
            }
        }

        /// <summary>The events in one frame, written with <paramref name="writer"/> (cleared first), whose array a sender keeps from batch to batch.</summary>
        public static ControlFrame ToFrame(IReadOnlyList<WorkerEvent> events, PayloadWriter writer)
        {
            writer.Clear();
            writer.Int(events.Count);
            WorkerEvent? previous = null;
            foreach (WorkerEvent e in events)
            {
                Shared shared = SharedWith(previous, e);
                writer.Byte((byte)e.Kind).Byte((byte)shared);
                if ((shared & Shared.Remote) == 0)
                {
                    writer.EndPoint(e.Remote);
                }

                if ((shared & Shared.Payload) == 0)
                {
                    writer.Text(e.Text).Bytes(e.Bytes);
                }

                writer.Text(e.Detail).Int(e.Length).Long(e.UtcTime.Ticks);
                previous = e;
            }

            return writer.ToFrame(ControlMessageKind.Events);
        }

        /// <summary>
        /// The events of a frame. A message's excerpt usually comes as bytes only: the server's event
        /// decodes them when its text is read (<see cref="ServerEvent"/>).
        /// </summary>
        public static IReadOnlyList<WorkerEvent> ListFrom(ControlFrame frame) =>
            PayloadReader.Decode(frame, ControlMessageKind.Events, r =>
            {
                int count = r.Int();
                if (count < 0 || count > frame.Payload.Length)
                {
                    throw new InvalidDataException($"An Events control message announced {count} events.");
                }

                var events = new List<WorkerEvent>(count);
                WorkerEvent? previous = null;
                for (int i = 0; i < count; i++)
                {
                    var kind = (ServerEventKind)r.Byte();
                    var shared = (Shared)r.Byte();
                    if (shared != Shared.None && previous == null)
                    {
                        throw new InvalidDataException("The first event of an Events control message cannot share the event before it.");
                    }

                    IPEndPoint? remote = (shared & Shared.Remote) != 0 ? previous!.Remote : r.EndPoint();
                    string? text = (shared & Shared.Payload) != 0 ? previous!.Text : r.Text();
                    byte[]? bytes = (shared & Shared.Payload) != 0 ? previous!.Bytes : r.Bytes();
                    previous = new WorkerEvent(kind, remote, text, bytes, r.Text(), r.Int(), new DateTime(r.Long(), DateTimeKind.Utc));
                    events.Add(previous);
                }

                return (IReadOnlyList<WorkerEvent>)events;
            });

        private static Shared SharedWith(WorkerEvent? previous, WorkerEvent e)
        {
            Shared shared = Shared.None;
            if (previous == null)
            {
                return shared;
            }

            if (e.Remote != null && ReferenceEquals(e.Remote, previous.Remote))
            {
                shared |= Shared.Remote;
            }

            if (e.Bytes != null && ReferenceEquals(e.Bytes, previous.Bytes) && ReferenceEquals(e.Text, previous.Text))
            {
                shared |= Shared.Payload;
            }

            return shared;
        }
    }
}
