using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using PSNetLab.Servers;
using PSNetLab.Servers.Handlers;
using PSNetLab.Servers.Tcp;
using PSNetLab.Servers.Tcp.Workers;
using Xunit;

namespace PSNetLab.Tests.Servers.Workers
{
    public class ControlMessageTests
    {
        [Fact]
        public void AFrameIsABigEndianLengthAKindAndThePayload()
        {
            byte[] wire = new ControlFrame(ControlMessageKind.Done, new byte[] { 9, 8, 7 }).Encode();
            Assert.Equal(new byte[] { 0, 0, 0, 4, 7, 9, 8, 7 }, wire);
            ControlFrame read = ControlFrame.Read(new MemoryStream(wire))!;
            Assert.Equal(ControlMessageKind.Done, read.Kind);
            Assert.Equal(new byte[] { 9, 8, 7 }, read.Payload);
        }

        [Fact]
        public void ReadingStopsCleanlyBetweenFramesAndFailsInsideOne()
        {
            Assert.Null(ControlFrame.Read(new MemoryStream(new byte[0])));
            byte[] wire = new ControlFrame(ControlMessageKind.Ready, new byte[10]).Encode();
            Assert.Throws<EndOfStreamException>(() => ControlFrame.Read(new MemoryStream(wire, 0, wire.Length - 1)));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(ControlFrame.MaxLength + 1)]
        public void RefusesALengthOutsideTheLimitBeforeAllocating(int length)
        {
            byte[] header = { (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length, 1 };
            Assert.Throws<InvalidDataException>(() => ControlFrame.Read(new MemoryStream(header)));
        }

        [Fact]
        public void HelloHandOffAndDoneRoundTrip()
        {
            WorkerHello hello = WorkerHello.From(new WorkerHello("s3cret+/=", 4242).ToFrame());
            Assert.Equal(("s3cret+/=", 4242), (hello.Token, hello.ProcessId));

            ConnectionHandOff handOff = ConnectionHandOff.From(new ConnectionHandOff(long.MaxValue, new byte[] { 1, 2, 3 }, 6).ToFrame());
            Assert.Equal(long.MaxValue, handOff.ConnectionId);
            Assert.Equal(new byte[] { 1, 2, 3 }, handOff.SocketInformation);
            Assert.Equal(6, handOff.SocketInformationOptions);
            Assert.Empty(ConnectionHandOff.From(new ConnectionHandOff(1).ToFrame()).SocketInformation);

            ConnectionDone done = ConnectionDone.From(new ConnectionDone(3, "the client closed the connection").ToFrame());
            Assert.Equal((3L, "the client closed the connection"), (done.ConnectionId, done.Reason));
        }

        [Fact]
        public void CountersRoundTrip()
        {
            var report = new CounterReport { MessagesReceived = 1, BytesReceived = 2, MessagesSent = 3, BytesSent = 4, Errors = 5, EventsDropped = 6 };
            CounterReport read = CounterReport.From(report.ToFrame());
            Assert.Equal((1L, 2L, 3L, 4L, 5L, 6L), (read.MessagesReceived, read.BytesReceived, read.MessagesSent, read.BytesSent, read.Errors, read.EventsDropped));
            Assert.True(new CounterReport().IsEmpty);
        }

        [Fact]
        public void EventsRoundTripWithTheirEndPointsAndPayloads()
        {
            var events = new[]
            {
                new WorkerEvent(ServerEventKind.Received, new IPEndPoint(IPAddress.Loopback, 50412), "你好", Encoding.UTF8.GetBytes("你好"), null),
                new WorkerEvent(ServerEventKind.Sent, new IPEndPoint(IPAddress.IPv6Loopback, 7), "", new byte[0], null),
                new WorkerEvent(ServerEventKind.Error, null, null, null, "worker 12 failed"),
                new WorkerEvent(ServerEventKind.Received, new IPEndPoint(IPAddress.Loopback, 1), "x", new byte[] { 120 }, null, 16384, new DateTime(2026, 12, 3, 8, 0, 0, 123, DateTimeKind.Utc)),
            };
            IReadOnlyList<WorkerEvent> read = WorkerEvent.ListFrom(WorkerEvent.ToFrame(events));
            Assert.Equal(4, read.Count);
            Assert.Equal(Encoding.UTF8.GetBytes("你好").Length, read[0].Length);
            Assert.Equal(16384, read[3].Length);
            Assert.Equal(ServerEventKind.Received, read[0].Kind);
            Assert.Equal(new IPEndPoint(IPAddress.Loopback, 50412), read[0].Remote);
            Assert.Equal("你好", read[0].Text);
            Assert.Equal(Encoding.UTF8.GetBytes("你好"), read[0].Bytes);
            Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 7), read[1].Remote);
            Assert.Equal(string.Empty, read[1].Text);
            Assert.Null(read[2].Remote);
            Assert.Null(read[2].Text);
            Assert.Null(read[2].Bytes);
            Assert.Equal("worker 12 failed", read[2].Detail);
            Assert.Equal(new DateTime(2026, 12, 3, 8, 0, 0, 123, DateTimeKind.Utc), read[3].UtcTime);
            Assert.Equal(events[0].UtcTime, read[0].UtcTime);
            Assert.Equal(DateTimeKind.Utc, read[0].UtcTime.Kind);
        }

        [Fact]
        public void AConnectionsEventsSendTheirEndPointAndAnEchosSharedExcerptOnce()
        {
            var remote = new IPEndPoint(IPAddress.Loopback, 50412);
            byte[] bytes = Encoding.UTF8.GetBytes("hello");
            var events = new[]
            {
                new WorkerEvent(ServerEventKind.Received, remote, "hello", bytes, null),
                new WorkerEvent(ServerEventKind.Sent, remote, "hello", bytes, null),
                new WorkerEvent(ServerEventKind.Received, remote, "hello", Encoding.UTF8.GetBytes("hello"), null),
                new WorkerEvent(ServerEventKind.Error, null, null, null, "failed"),
            };
            ControlFrame frame = WorkerEvent.ToFrame(events);
            IReadOnlyList<WorkerEvent> read = WorkerEvent.ListFrom(frame);

            Assert.Equal(new[] { ServerEventKind.Received, ServerEventKind.Sent, ServerEventKind.Received, ServerEventKind.Error }, read.Select(e => e.Kind));
            Assert.Same(read[0].Remote, read[1].Remote);
            Assert.Same(read[0].Bytes, read[1].Bytes);
            Assert.Equal(remote, read[2].Remote);
            Assert.NotSame(read[1].Bytes, read[2].Bytes);
            Assert.Equal(bytes, read[2].Bytes);
            Assert.Null(read[3].Remote);
            Assert.Null(read[3].Bytes);
            Assert.Equal("failed", read[3].Detail);

            int unshared = WorkerEvent.ToFrame(new[] { events[0] }).Payload.Length + WorkerEvent.ToFrame(new[] { events[1] }).Payload.Length;
            Assert.True(frame.Payload.Length < unshared + WorkerEvent.ToFrame(new[] { events[2], events[3] }).Payload.Length - 20, "the Sent event's payload and end point are not written again");
        }

        [Fact]
        public void AFrameWhoseFirstEventSharesWithNothingIsRefused()
        {
            byte[] payload = WorkerEvent.ToFrame(new[] { new WorkerEvent(ServerEventKind.Error, null, null, null, "x") }).Payload;
            payload[5] = 1;   // count (4 bytes), kind (1), then the shared flags: "same end point as the event before"
            Assert.Throws<InvalidDataException>(() => WorkerEvent.ListFrom(new ControlFrame(ControlMessageKind.Events, payload)));
        }

        [Fact]
        public void SettingsCarryTheScriptTextAndTheConnectionOptions()
        {
            HandlerDefinition script = HandlerDefinition.Script("param($Request) $Request.Text.ToUpper()", 3, TimeSpan.FromSeconds(7));
            var options = new TcpServerOptions(new DiscardHandler())
            {
                Name = "lab",
                Encoding = PSNetLab.Text.TextEncodings.Resolve("gbk"),
                EventLevel = EventLevel.Connections,
                Framing = TcpFraming.LengthPrefixed,
                LengthPrefixSize = 2,
                IdleTimeout = TimeSpan.FromSeconds(30),
                MaxMessageLength = 1000,
                MaxPendingSends = 9,
                StopTimeout = TimeSpan.FromMilliseconds(1500),
            };
            HandlerDefinition? built = null;
            WorkerSettings read = WorkerSettings.From(new WorkerSettings(script, options).ToFrame(), d => { built = d; return new DiscardHandler(); });
            Assert.Equal(script.ScriptText, built!.ScriptText);
            Assert.Equal((3, TimeSpan.FromSeconds(7)), (built.ThrottleLimit, built.HandlerTimeout));
            TcpServerOptions o = read.Options;
            Assert.Equal(("lab", 936, EventLevel.Connections, TcpFraming.LengthPrefixed, 2), (o.Name, o.Encoding.CodePage, o.EventLevel, o.Framing, o.LengthPrefixSize));
            Assert.Equal((TimeSpan.FromSeconds(30), 1000, 9, TimeSpan.FromMilliseconds(1500)), (o.IdleTimeout, o.MaxMessageLength, o.MaxPendingSends, o.StopTimeout));
            Assert.Equal(ConcurrencyMode.Process, o.Concurrency);
        }

        [Fact]
        public void SettingsCarryABuiltInHandlerWithItsDictionary()
        {
            var words = new List<KeyValuePair<string, string>> { new KeyValuePair<string, string>("cat", "猫") };
            HandlerDefinition dictionary = HandlerDefinition.BuiltIn("Dictionary", "> ", words);
            WorkerSettings read = WorkerSettings.From(new WorkerSettings(dictionary, new TcpServerOptions(new DiscardHandler())).ToFrame(), d => d.Create(_ => throw new InvalidOperationException()));
            Assert.Equal("Dictionary", read.Handler.BuiltInName);
            Assert.Equal("> ", read.Handler.Prefix);
            Assert.Equal(words, read.Handler.Dictionary!.ToList());
            Assert.Equal("Dictionary", read.Options.Handler.Name);
            Assert.Equal(PSNetLab.Text.TextEncodings.Utf8, read.Options.Encoding);
        }

        [Fact]
        public void ADecoderRefusesAFrameOfAnotherKindOrOneThatEndsEarly()
        {
            Assert.Throws<InvalidDataException>(() => WorkerHello.From(new ConnectionDone(1, "x").ToFrame()));
            Assert.Throws<InvalidDataException>(() => CounterReport.From(new ControlFrame(ControlMessageKind.Counters, new byte[5])));
            Assert.Throws<InvalidDataException>(() => WorkerEvent.ListFrom(new ControlFrame(ControlMessageKind.Events, new byte[] { 255, 255, 255, 127 })));
        }

        [Theory]
        [InlineData("plain", "plain")]
        [InlineData("", "\"\"")]
        [InlineData("two words", "\"two words\"")]
        [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
        [InlineData("C:\\dir with space\\", "\"C:\\dir with space\\\\\"")]
        public void QuotesArgumentsTheWayTheRuntimeSplitsThem(string argument, string quoted) => Assert.Equal(quoted, WorkerHostCommand.Quote(argument));

        [Fact]
        public void AWorkerGetsItsAddressOnTheCommandLineAndItsTokenAndTelemetryOptOutInItsEnvironment()
        {
            var command = new WorkerHostCommand("pwsh", new[] { "-Command", "Run('" + WorkerHostCommand.AddressPlaceholder + "')" });
            var info = command.ToStartInfo("/tmp/o'brien.sock", "secret");
            Assert.Equal("-Command Run('/tmp/o''brien.sock')", info.Arguments);
            Assert.Equal("secret", info.EnvironmentVariables[WorkerHostCommand.TokenVariable]);
            Assert.Equal("1", info.EnvironmentVariables["POWERSHELL_TELEMETRY_OPTOUT"]);
            Assert.DoesNotContain("secret", info.Arguments);
        }

        [Fact]
        public void AWorkerRunsWithoutDynamicPgoUnlessTheUsersEnvironmentSaysOtherwise()
        {
            var command = new WorkerHostCommand("pwsh", new[] { "-Command", "Run" });
            string? before = Environment.GetEnvironmentVariable(WorkerHostCommand.TieredPgoVariable);
            try
            {
                Environment.SetEnvironmentVariable(WorkerHostCommand.TieredPgoVariable, null);
                Assert.Equal("0", command.ToStartInfo("/tmp/a.sock", "t").EnvironmentVariables[WorkerHostCommand.TieredPgoVariable]);

                Environment.SetEnvironmentVariable(WorkerHostCommand.TieredPgoVariable, "1");
                Assert.Equal("1", command.ToStartInfo("/tmp/a.sock", "t").EnvironmentVariables[WorkerHostCommand.TieredPgoVariable]);
            }
            finally
            {
                Environment.SetEnvironmentVariable(WorkerHostCommand.TieredPgoVariable, before);
            }
        }
    }
}
