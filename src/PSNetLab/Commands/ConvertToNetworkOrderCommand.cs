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

        /// <summary>Integers: any integer type, or decimal / 0x-hex text. Negative values are read as their bit pattern.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ValueSet)]
        public object[] Value { get; set; } = null!;

        /// <summary>16 (htons), 32 (htonl) or 64 (htonll); by default 32 for values that fit, else 64.</summary>
        [Parameter(ParameterSetName = ValueSet)]
        [ValidateSet("16", "32", "64")]
        public int Width { get; set; }

        /// <summary>An IPv4 address in dotted form (inet_addr) or an IPv6 address (inet_pton).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = AddressSet)]
        [Alias("Address")]
        public string[] IPAddress { get; set; } = null!;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == AddressSet)
            {
                foreach (string address in IPAddress)
                {
                    ForEachItem(() => WriteObject(NetworkOrderResult.FromAddress(NetworkAddress.Parse(address))));
                }

                return;
            }

            foreach (object item in Value)
            {
                ForEachItem(() =>
                {
                    IntegerValue integer = IntegerValue.From(item is PSObject wrapped ? wrapped.BaseObject : item);
                    int width = MyInvocation.BoundParameters.ContainsKey(nameof(Width)) ? Width : integer.NaturalWidth;
                    ByteOrder.EnsureFits(integer.Bits, width, item);
                    WriteObject(NetworkOrderResult.FromHostValue(integer.Bits, width));
                });
            }
        }
    }
}
