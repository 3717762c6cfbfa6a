using System.Management.Automation;
using PSNetLab.Conversion;

namespace PSNetLab.Commands
{
    /// <summary>htons/htonl/htonll and inet_addr: shows an integer or address in host and network byte order.</summary>
    [Cmdlet(VerbsData.ConvertTo, "NetworkOrder", DefaultParameterSetName = ValueSet)]
    [OutputType(typeof(NetworkOrderResult))]
    public sealed class ConvertToNetworkOrderCommand : NetLabCmdlet
    {
        private const string ValueSet = "Value";
        private const string AddressSet = "IPAddress";

        /// <summary>
        /// Integers (any integer type, or decimal / 0x-hex text; negative values are read as their
        /// bit pattern). Addresses that arrive here - dotted or IPv6 text, IPAddress objects,
        /// objects with an IPAddress or Address property - are converted as -IPAddress would.
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ValueSet)]
        public object[] Value { get; set; } = null!;

        /// <summary>16 (htons), 32 (htonl) or 64 (htonll); by default 32 for values that fit, else 64.</summary>
        [Parameter(ParameterSetName = ValueSet)]
        [ValidateSet("16", "32", "64")]
        public int Width { get; set; }

        /// <summary>An IPv4 address in dotted form (inet_addr) or an IPv6 address (inet_pton).</summary>
        [Parameter(Mandatory = true, ParameterSetName = AddressSet)]
        [Alias("Address")]
        public string[] IPAddress { get; set; } = null!;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == AddressSet)
            {
                foreach (string text in IPAddress)
                {
                    ForEachItem(() => WriteObject(NetworkOrderResult.FromAddress(NetworkAddress.Parse(text))));
                }

                return;
            }

            foreach (object item in Value)
            {
                ForEachItem(() =>
                {
                    if (TryGetAddress(item, out System.Net.IPAddress? address))
                    {
                        WriteObject(NetworkOrderResult.FromAddress(address!));
                        return;
                    }

                    IntegerValue integer = IntegerValue.From(PipelineInput.Unwrap(item));
                    int width = MyInvocation.BoundParameters.ContainsKey(nameof(Width)) ? Width : integer.NaturalWidth;
                    ByteOrder.EnsureFits(integer.Bits, width, item);
                    WriteObject(NetworkOrderResult.FromHostValue(integer.Bits, width));
                });
            }
        }

        private static bool TryGetAddress(object item, out System.Net.IPAddress? address)
        {
            object input = PipelineInput.Unwrap(item);
            if (input is not System.Net.IPAddress && !(input is string) && PipelineInput.TryGetProperty(item, out object? property, "IPAddress", "Address"))
            {
                input = property ?? string.Empty;
            }

            switch (input)
            {
                case System.Net.IPAddress ip:
                    address = ip;
                    return true;
                case string text when text.Contains(".") || text.Contains(":"):
                    address = NetworkAddress.Parse(text);
                    return true;
                default:
                    address = null;
                    return false;
            }
        }
    }
}
