using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Text;
using PSNetLab.Errors;
using PSNetLab.Ports;
using PSNetLab.Servers;
using PSNetLab.Text;
using PSNetLab.Udp;

namespace PSNetLab.Commands
{
    /// <summary>The seeds' UDP receiver: binds a port and returns datagrams as they arrive.</summary>
    [Cmdlet(VerbsCommunications.Receive, "UdpMessage")]
    [OutputType(typeof(UdpDatagram))]
    public sealed class ReceiveUdpMessageCommand : NetLabCmdlet
    {
        private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(100);

        [Parameter(Mandatory = true, Position = 0)]
        public int Port { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(LocalAddressCompleter))]
        public string LocalAddress { get; set; } = "Loopback";

        /// <summary>Stop after this many datagrams; 0 (default) means until -Timeout or Ctrl+C.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int Count { get; set; }

        /// <summary>Stop listening after this long (seconds or a TimeSpan); by default, wait until -Count or Ctrl+C.</summary>
        [Parameter]
        [DurationTransformation]
        public TimeSpan? Timeout { get; set; }

        [Parameter]
        [EncodingTransformation]
        [ArgumentCompleter(typeof(EncodingNameCompleter))]
        public Encoding Encoding { get; set; } = TextEncodings.Utf8;

        protected override void EndProcessing()
        {
            UdpReceiver? receiver = null;
            OrStop(() =>
            {
                PortNumber.Validate(Port, nameof(Port));
                receiver = new UdpReceiver(EndPoints.ParseLocalAddress(LocalAddress, nameof(LocalAddress)), Port, Encoding, "UdpMessage");
            });

            using (receiver!)
            {
                WriteVerbose($"Listening on udp {ServerEvent.FormatEndPoint(receiver!.LocalEndPoint.Address, receiver.LocalEndPoint.Port)}");
                var clock = Stopwatch.StartNew();
                int received = 0;
                while (!StopToken.IsCancellationRequested && (Count == 0 || received < Count))
                {
                    if (Timeout.HasValue && clock.Elapsed >= Timeout.Value)
                    {
                        if (Count > 0)
                        {
                            WriteError(ErrorRecords.Create(
                                "UdpMessageTimedOut",
                                NetLabErrorKind.OperationTimeout,
                                $"Received {received} of {Count} datagrams in {Timeout.Value.TotalSeconds:0.###} s on port {receiver.LocalEndPoint.Port}. Raise -Timeout, or check that the sender uses this address and port.",
                                receiver.LocalEndPoint));
                        }

                        return;
                    }

                    UdpDatagram? datagram = receiver.TryReceive(Slice);
                    if (datagram != null)
                    {
                        received++;
                        WriteObject(datagram);
                    }
                }
            }
        }
    }
}
