using System.Management.Automation;
using PSNetLab.Conversion;
using PSNetLab.Errors;

namespace PSNetLab.Commands
{
    /// <summary>ntohs/ntohl/ntohll and inet_ntoa: reads a network-order integer or bytes back as a host value or an address.</summary>
    [Cmdlet(VerbsData.ConvertFrom, "NetworkOrder", DefaultParameterSetName = ValueSet)]
    [OutputType(typeof(NetworkOrderResult), typeof(System.Net.IPAddress))]
    public sealed class ConvertFromNetworkOrderCommand : NetLabCmdlet
    {
        private const string ValueSet = "Value";
        private const string BytesSet = "Bytes";

        /// <summary>
        /// A network-order integer as htonl returns it, a byte array, or an object with a
        /// NetworkBytes property such as a ConvertTo-NetworkOrder result, so the two cmdlets
        /// round-trip in a pipeline.
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ValueSet)]
        public object[] Value { get; set; } = null!;

        /// <summary>16, 32 or 64; by default 32 for values that fit, else 64.</summary>
        [Parameter(ParameterSetName = ValueSet)]
        [ValidateSet("16", "32", "64")]
        public int Width { get; set; }

        /// <summary>Network-order bytes: a byte array, or hex text such as '00 01 23 45' or '0x00012345'.</summary>
        [Parameter(Mandatory = true, ParameterSetName = BytesSet)]
        [Alias("NetworkBytes", "Hex")]
        public object Bytes { get; set; } = null!;

        /// <summary>Return the IP address (inet_ntoa) instead of a result object.</summary>
        [Parameter]
        public SwitchParameter AsIPAddress { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == BytesSet)
            {
                ForEachItem(() => WriteFromNetworkBytes(ReadBytes(PipelineInput.Unwrap(Bytes))));
                return;
            }

            foreach (object item in Value)
            {
                ForEachItem(() =>
                {
                    object input = PipelineInput.Unwrap(item);
                    if (input is NetworkOrderResult result)
                    {
                        WriteFromNetworkBytes(result.NetworkBytes);
                        return;
                    }

                    if (!(input is string) && PipelineInput.TryGetProperty(item, out object? networkBytes, "NetworkBytes"))
                    {
                        WriteFromNetworkBytes(ReadBytes(networkBytes ?? string.Empty));
                        return;
                    }

                    if (input is byte[] bytes)
                    {
                        WriteFromNetworkBytes(bytes);
                        return;
                    }

                    IntegerValue integer = IntegerValue.From(input);
                    int width = MyInvocation.BoundParameters.ContainsKey(nameof(Width)) ? Width : integer.NaturalWidth;
                    ByteOrder.EnsureFits(integer.Bits, width, item);

                    // The network-order integer's in-memory bytes are the wire bytes.
                    WriteFromNetworkBytes(ByteOrder.ToHostBytes(integer.Bits, width));
                });
            }
        }

        private void WriteFromNetworkBytes(byte[] networkBytes)
        {
            if (AsIPAddress)
            {
                WriteObject(NetworkAddress.FromBytes(networkBytes));
            }
            else if (networkBytes.Length == 16)
            {
                WriteObject(NetworkOrderResult.FromAddress(NetworkAddress.FromBytes(networkBytes)));
            }
            else
            {
                WriteObject(NetworkOrderResult.FromNetworkBytes(networkBytes));
            }
        }

        private static byte ToByte(object item)
        {
            ulong value = IntegerValue.From(item).Bits;
            if (value > byte.MaxValue)
            {
                throw new NetLabException(
                    "NetworkOrderHexInvalid",
                    NetLabErrorKind.InvalidArgument,
                    $"{item} is not a byte: bytes are 0 to 255 (0x00 to 0xFF).",
                    item);
            }

            return (byte)value;
        }

        private static byte[] ReadBytes(object input)
        {
            switch (input)
            {
                case byte[] bytes:
                    return bytes;
                case string text:
                    return HexBytes.Parse(text);
                case object[] items:
                    var result = new byte[items.Length];
                    for (int i = 0; i < items.Length; i++)
                    {
                        result[i] = ToByte(PipelineInput.Unwrap(items[i]));
                    }

                    return result;
                default:
                    return HexBytes.Parse(input.ToString() ?? string.Empty);
            }
        }
    }
}
