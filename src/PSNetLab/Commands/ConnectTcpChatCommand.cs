using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Net;
using System.Text;
using PSNetLab.Errors;
using PSNetLab.Ports;
using PSNetLab.Servers;
using PSNetLab.Tcp;
using PSNetLab.Text;

namespace PSNetLab.Commands
{
    /// <summary>
    /// The seeds' TCP client and chat: interactive (server lines print while you type; 88 or bye
    /// ends it) or scripted (each line from the pipeline or -Message is sent and its reply returned).
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "TcpChat")]
    [OutputType(typeof(TcpChatReply))]
    public sealed class ConnectTcpChatCommand : NetLabCmdlet
    {
        private TcpChatClient? _client;
        private bool _ended;
        private bool _sawInput;

        [Parameter]
        [Alias("Cn")]
        public string ComputerName { get; set; } = "localhost";

        [Parameter(Mandatory = true)]
        public int Port { get; set; }

        /// <summary>Lines to send, in order; pipeline input works the same way. Without either, the chat is interactive.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [AllowEmptyString]
        public string[]? Message { get; set; }

        [Parameter]
        [EncodingTransformation]
        [ArgumentCompleter(typeof(EncodingNameCompleter))]
        public Encoding Encoding { get; set; } = TextEncodings.Utf8;

        /// <summary>Words that end the chat when sent or received: the seeds' 88 and bye.</summary>
        [Parameter]
        public string[] ExitWord { get; set; } = { "88", "bye" };

        [Parameter]
        [DurationTransformation]
        public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>Scripted use: how long to wait for the reply to each line.</summary>
        [Parameter]
        [DurationTransformation]
        public TimeSpan ReplyTimeout { get; set; } = TimeSpan.FromSeconds(2);

        protected override void BeginProcessing()
        {
            OrStop(() =>
            {
                PortNumber.Validate(Port, nameof(Port));
                IPAddress address;
                try
                {
                    address = EndPoints.Resolve(ComputerName, nameof(ComputerName));
                }
                catch (NetLabException e) when (e.ErrorId == "HostNotFound")
                {
                    throw TcpChatErrors.HostNotFound(ComputerName, e);
                }

                _client = TcpChatClient.Connect(new IPEndPoint(address, Port), ConnectTimeout, Encoding, StopToken);
            });
            WriteVerbose($"Connected from {Format(_client!.LocalEndPoint)} to {Format(_client.RemoteEndPoint)}");
        }

        protected override void ProcessRecord()
        {
            if (Message == null)
            {
                return;
            }

            _sawInput = true;
            foreach (string line in Message)
            {
                if (_ended || StopToken.IsCancellationRequested)
                {
                    return;
                }

                OrStop(() => Exchange(line));
            }
        }

        protected override void EndProcessing()
        {
            if (!_sawInput && !_ended && IsInteractive())
            {
                RunConsole();
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _client?.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Exchange(string line)
        {
            TcpChatClient client = _client!;
            var clock = Stopwatch.StartNew();
            client.SendLine(line);
            if (IsExitWord(line))
            {
                _ended = true;
                return;
            }

            string? reply = null;
            while (reply == null && client.ClosedReason == null && clock.Elapsed < ReplyTimeout && !StopToken.IsCancellationRequested)
            {
                reply = client.TryReadLine(TimeSpan.FromMilliseconds(Math.Min(100, Math.Max(1, (ReplyTimeout - clock.Elapsed).TotalMilliseconds))));
            }

            if (reply != null)
            {
                WriteObject(new TcpChatReply(line, reply, clock.Elapsed, client.LocalEndPoint, client.RemoteEndPoint));
                _ended = IsExitWord(reply);
                return;
            }

            if (client.ClosedReason != null)
            {
                _ended = true;
                throw TcpChatErrors.Closed(client.RemoteEndPoint, client.ClosedReason);
            }

            if (!StopToken.IsCancellationRequested)
            {
                WriteError(ErrorRecords.From(TcpChatErrors.ReplyTimedOut(client.RemoteEndPoint, line, ReplyTimeout)));
            }
        }

        private void RunConsole()
        {
            TcpChatClient client = _client!;
            PSHostUserInterface ui = Host.UI;
            ui.WriteLine($"Connected to {Format(client.RemoteEndPoint)} from {Format(client.LocalEndPoint)}. Type {string.Join(" or ", ExitWord)} (or Ctrl+C) to end.");
            new ChatConsole(ui).Run(
                () => "> ",
                wait =>
                {
                    string? line = client.TryReadLine(wait);
                    if (line != null && IsExitWord(line))
                    {
                        _ended = true;
                    }

                    return line;
                },
                line =>
                {
                    try
                    {
                        client.SendLine(line);
                        _ended = IsExitWord(line);
                    }
                    catch (NetLabException e)
                    {
                        WriteError(ErrorRecords.From(e));
                        _ended = true;
                    }
                },
                () => _ended || client.ClosedReason != null,
                StopToken);
            if (client.ClosedReason != null)
            {
                ui.WriteLine(client.ClosedReason + ".");
            }
        }

        private bool IsExitWord(string text) => ExitWord.Any(w => string.Equals(w, text.Trim(), StringComparison.OrdinalIgnoreCase));

        private bool IsInteractive()
        {
            try
            {
                return Host.UI.RawUI != null && !Console.IsInputRedirected && Host.Name == "ConsoleHost";
            }
            catch (Exception e) when (e is NotImplementedException || e is HostException || e is InvalidOperationException)
            {
                return false;
            }
        }

        private static string Format(IPEndPoint endPoint) => ServerEvent.FormatEndPoint(endPoint.Address, endPoint.Port);
    }
}
