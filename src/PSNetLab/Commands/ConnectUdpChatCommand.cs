using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Net;
using System.Text;
using PSNetLab.Errors;
using PSNetLab.Ports;
using PSNetLab.Servers;
using PSNetLab.Text;
using PSNetLab.Udp;

namespace PSNetLab.Commands
{
    /// <summary>
    /// The seeds' UDP "QQ" chat: one bound port, a name book of peers; an interactive console where
    /// incoming lines print while you type, or lines from the pipeline for scripts. 88 or bye ends it.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "UdpChat", DefaultParameterSetName = PeerSet)]
    [OutputType(typeof(UdpDatagram))]
    public sealed class ConnectUdpChatCommand : NetLabCmdlet
    {
        private const string PeerSet = "Peer";
        private const string BookSet = "Peers";
        private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(20);

        private readonly List<KeyValuePair<string, IPEndPoint>> _book = new List<KeyValuePair<string, IPEndPoint>>();
        private UdpReceiver? _receiver;
        private string _current = string.Empty;
        private bool _ended;
        private bool _sawInput;

        [Parameter]
        public int LocalPort { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(LocalAddressCompleter))]
        public string LocalAddress { get; set; } = "Loopback";

        /// <summary>The one peer to talk to, as host:port.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PeerSet)]
        public string Peer { get; set; } = null!;

        /// <summary>A name book: @{ alice = '127.0.0.1:7001'; bob = '127.0.0.1:7002' }.</summary>
        [Parameter(Mandatory = true, ParameterSetName = BookSet)]
        public Hashtable Peers { get; set; } = null!;

        /// <summary>Who plain lines go to (a name from -Peers); '@name text' picks someone for one line.</summary>
        [Parameter]
        public string? To { get; set; }

        /// <summary>Lines to send without the interactive console; pipeline input works the same way.</summary>
        [Parameter(ValueFromPipeline = true)]
        [AllowEmptyString]
        public string[]? Message { get; set; }

        [Parameter]
        [EncodingTransformation]
        [ArgumentCompleter(typeof(EncodingNameCompleter))]
        public Encoding Encoding { get; set; } = TextEncodings.Utf8;

        /// <summary>Words that end the chat, sent or received: the seeds' 88 and bye.</summary>
        [Parameter]
        public string[] ExitWord { get; set; } = { "88", "bye" };

        /// <summary>Scripted use: how long to keep listening for replies after the last line (seconds or a TimeSpan).</summary>
        [Parameter]
        [DurationTransformation]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

        protected override void BeginProcessing()
        {
            OrStop(() =>
            {
                PortNumber.Validate(LocalPort, nameof(LocalPort));
                ReadBook();
                _receiver = new UdpReceiver(EndPoints.ParseLocalAddress(LocalAddress, nameof(LocalAddress)), LocalPort, Encoding, "UdpChat");
            });
            WriteVerbose($"Chatting on udp {Format(_receiver!.LocalEndPoint)}; peers: {string.Join(", ", _book.Select(p => $"{p.Key} ({Format(p.Value)})"))}");
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
                if (_ended)
                {
                    return;
                }

                ForEachItem(() => SendLine(line));
                WriteIncoming(TimeSpan.Zero);
            }
        }

        protected override void EndProcessing()
        {
            if (_ended)
            {
                return;
            }

            if (!_sawInput && IsInteractive())
            {
                RunConsole();
                return;
            }

            // Scripted: listen a little longer for replies to the last line.
            var clock = Stopwatch.StartNew();
            while (!_ended && !StopToken.IsCancellationRequested && clock.Elapsed < Timeout)
            {
                WriteIncoming(Slice);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _receiver?.Dispose();
            }

            base.Dispose(disposing);
        }

        private void ReadBook()
        {
            if (ParameterSetName == PeerSet)
            {
                _book.Add(new KeyValuePair<string, IPEndPoint>(Peer, EndPoints.ParsePeer(Peer, nameof(Peer))));
            }
            else
            {
                foreach (DictionaryEntry entry in Peers)
                {
                    string name = entry.Key.ToString() ?? string.Empty;
                    string address = (entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value)?.ToString() ?? string.Empty;
                    _book.Add(new KeyValuePair<string, IPEndPoint>(name, EndPoints.ParsePeer(address, nameof(Peers))));
                }

                _book.Sort((a, b) => string.Compare(a.Key, b.Key, StringComparison.OrdinalIgnoreCase));
            }

            if (_book.Count == 0)
            {
                throw new NetLabException("UdpChatPeerNotFound", NetLabErrorKind.InvalidArgument, "-Peers is empty: give at least one name = 'host:port'.", Peers);
            }

            _current = To ?? _book[0].Key;
            Lookup(_current);
        }

        private IPEndPoint Lookup(string name)
        {
            foreach (KeyValuePair<string, IPEndPoint> peer in _book)
            {
                if (string.Equals(peer.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return peer.Value;
                }
            }

            throw new NetLabException(
                "UdpChatPeerNotFound",
                NetLabErrorKind.ObjectNotFound,
                $"'{name}' is not in the name book. Known peers: {string.Join(", ", _book.Select(p => p.Key))}.",
                name);
        }

        private string? NameOf(IPEndPoint remote) =>
            _book.Where(p => p.Value.Equals(remote)).Select(p => p.Key).FirstOrDefault();

        /// <summary>Sends one line: '@name text' goes to name (and makes it current); an exit word is sent, then ends the chat.</summary>
        private void SendLine(string line)
        {
            string text = line;
            string target = _current;
            if (line.StartsWith("@", StringComparison.Ordinal) && _book.Count > 1)
            {
                int space = line.IndexOf(' ');
                target = space < 0 ? line.Substring(1) : line.Substring(1, space - 1);
                text = space < 0 ? string.Empty : line.Substring(space + 1);
                Lookup(target);
                _current = target;
            }

            _receiver!.SendTo(Encoding.GetBytes(text), Lookup(target));
            if (IsExitWord(text))
            {
                _ended = true;
            }
        }

        private void WriteIncoming(TimeSpan wait)
        {
            UdpDatagram? datagram;
            while (!_ended && (datagram = _receiver!.TryReceive(wait, NameOf)) != null)
            {
                WriteObject(datagram);
                _ended = IsExitWord(datagram.Text);
                wait = TimeSpan.Zero;
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

        private void RunConsole()
        {
            PSHostUserInterface ui = Host.UI;
            ui.WriteLine($"Chat on udp {Format(_receiver!.LocalEndPoint)}. Lines go to {_current}{(_book.Count > 1 ? "; '@name text' talks to someone else" : string.Empty)}. Type {string.Join(" or ", ExitWord)} to end.");
            new ChatConsole(ui).Run(
                () => $"{_current}> ",
                wait =>
                {
                    UdpDatagram? datagram = _receiver.TryReceive(wait, NameOf);
                    if (datagram == null || !IsExitWord(datagram.Text))
                    {
                        return datagram?.ToString();
                    }

                    _ended = true;
                    return datagram + Environment.NewLine + $"{datagram.Peer ?? datagram.Remote} left the chat.";
                },
                line =>
                {
                    try
                    {
                        SendLine(line);
                    }
                    catch (NetLabException e)
                    {
                        WriteError(ErrorRecords.From(e));
                    }
                },
                () => _ended,
                StopToken);
        }

        private static string Format(IPEndPoint endPoint) => ServerEvent.FormatEndPoint(endPoint.Address, endPoint.Port);
    }
}
