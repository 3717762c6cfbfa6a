using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PSNetLab.Errors;

namespace PSNetLab.Servers.Tcp
{
    /// <summary>A CIDR block such as 10.0.0.0/8 or ::1/128 (a bare address is a /32 or /128).</summary>
    public sealed class AddressRange
    {
        private readonly byte[] _network;
        private readonly int _prefixLength;

        private AddressRange(IPAddress network, int prefixLength, string text)
        {
            _network = network.GetAddressBytes();
            _prefixLength = prefixLength;
            Text = text;
        }

        public string Text { get; }

        public static AddressRange Parse(string text, string parameterName)
        {
            string value = (text ?? string.Empty).Trim();
            int slash = value.IndexOf('/');
            string addressText = slash < 0 ? value : value.Substring(0, slash);
            if (IPAddress.TryParse(addressText, out IPAddress? address) && (addressText.Contains(".") || addressText.Contains(":")))
            {
                int max = address!.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
                int length = max;
                if (slash < 0 || (int.TryParse(value.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length) && length <= max))
                {
                    return new AddressRange(address, length, value);
                }
            }

            throw new NetLabException(
                "AddressRangeInvalid",
                NetLabErrorKind.InvalidArgument,
                $"-{parameterName} '{text}' is not an address or CIDR block. Write it as 127.0.0.1, 192.168.1.0/24 or ::1/128.",
                text);
        }

        public bool Contains(IPAddress address)
        {
            // A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d.
            if (address.IsIPv4MappedToIPv6 && _network.Length == 4)
            {
                address = address.MapToIPv4();
            }

            byte[] bytes = address.GetAddressBytes();
            if (bytes.Length != _network.Length)
            {
                return false;
            }

            int whole = _prefixLength / 8;
            for (int i = 0; i < whole; i++)
            {
                if (bytes[i] != _network[i])
                {
                    return false;
                }
            }

            int rest = _prefixLength % 8;
            if (rest == 0)
            {
                return true;
            }

            int mask = 0xFF << (8 - rest) & 0xFF;
            return (bytes[whole] & mask) == (_network[whole] & mask);
        }

        public override string ToString() => Text;
    }
}
