using System;
using System.Management.Automation;
using System.Text;
using PSNetLab.Ports;
using PSNetLab.Servers;
using PSNetLab.Text;
using PSNetLab.Udp;

namespace PSNetLab.Commands
{
    /// <summary>The seeds' UDP client: sends each message as one datagram and returns it with the reply.</summary>
    [Cmdlet(VerbsCommunications.Send, "UdpMessage", DefaultParameterSetName = TextSet)]
    [OutputType(typeof(UdpExchange))]
    public sealed class SendUdpMessageCommand : NetLabCmdlet
    {
        private const string TextSet = "Message";
        private const string BytesSet = "Bytes";
        private UdpMessenger? _messenger;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = TextSet)]
        [AllowEmptyString]
        public string[] Message { get; set; } = null!;

        /// <summary>Raw bytes sent as they are, for byte-order and encoding labs.</summary>
        [Parameter(Mandatory = true, ParameterSetName = BytesSet)]
        public byte[] Bytes { get; set; } = null!;

        [Parameter]
        [Alias("Cn")]
        public string ComputerName { get; set; } = "localhost";

        [Parameter(Mandatory = true)]
        public int Port { get; set; }

        [Parameter]
        [EncodingTransformation]
        [ArgumentCompleter(typeof(EncodingNameCompleter))]
        public Encoding Encoding { get; set; } = TextEncodings.Utf8;

        /// <summary>How long to wait for each reply, in seconds (or a TimeSpan).</summary>
        [Parameter]
        [DurationTransformation]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>Send and do not wait: for servers that never answer (Discard), or one-way messages.</summary>
        [Parameter]
        public SwitchParameter NoReply { get; set; }

        protected override void BeginProcessing()
        {
            OrStop(() =>
            {
                PortNumber.Validate(Port, nameof(Port));
                _messenger = new UdpMessenger(new System.Net.IPEndPoint(EndPoints.Resolve(ComputerName, nameof(ComputerName)), Port));
            });
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == BytesSet)
            {
                Send(Bytes, null);
                return;
            }

            foreach (string message in Message)
            {
                Send(Encoding.GetBytes(message), message);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _messenger?.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Send(byte[] payload, string? text)
        {
            try
            {
                ForEachItem(() => WriteObject(_messenger!.Exchange(payload, text, Encoding, NoReply ? (TimeSpan?)null : Timeout, StopToken)));
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: the pipeline is stopping; Dispose closes the socket.
            }
        }
    }
}
