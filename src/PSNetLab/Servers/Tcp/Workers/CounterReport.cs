namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>
    /// What a worker counted since its last report. Increments, not totals, so the server adds
    /// them to its own counters and a replaced worker's numbers are never counted twice.
    /// </summary>
    public sealed class CounterReport
    {
        public long MessagesReceived { get; set; }

        public long BytesReceived { get; set; }

        public long MessagesSent { get; set; }

        public long BytesSent { get; set; }

        public long Errors { get; set; }

        /// <summary>Events the worker's bounded queue dropped before they could be sent.</summary>
        public long EventsDropped { get; set; }

        public bool IsEmpty => MessagesReceived == 0 && BytesReceived == 0 && MessagesSent == 0 && BytesSent == 0 && Errors == 0 && EventsDropped == 0;

        public ControlFrame ToFrame()
        {
            using (var writer = new PayloadWriter())
            {
                return writer.Long(MessagesReceived).Long(BytesReceived).Long(MessagesSent).Long(BytesSent).Long(Errors).Long(EventsDropped)
                    .ToFrame(ControlMessageKind.Counters);
            }
        }

        public static CounterReport From(ControlFrame frame) =>
            PayloadReader.Decode(frame, ControlMessageKind.Counters, r => new CounterReport
            {
                MessagesReceived = r.Long(),
                BytesReceived = r.Long(),
                MessagesSent = r.Long(),
                BytesSent = r.Long(),
                Errors = r.Long(),
                EventsDropped = r.Long(),
            });
    }
}
