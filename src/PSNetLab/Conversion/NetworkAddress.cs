using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PSNetLab.Errors;

namespace PSNetLab.Conversion
{
    /// <summary>inet_addr / inet_pton with the strictness a lab wants.</summary>
    public static class NetworkAddress
    {
        /// <summary>
        /// Parses a dotted quad or an IPv6 address. IPAddress.Parse also takes the legacy forms
        /// "10.1" and "3232235777", which inet_aton allows but which only confuse a student, so
        /// IPv4 text must have four decimal parts.
        /// </summary>
        public static IPAddress Parse(string text)
        {
            string trimmed = text.Trim();
            if (trimmed.Contains(":"))
            {
                if (IPAddress.TryParse(trimmed, out IPAddress? v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    return v6;
                }

                throw Invalid(text, "it is not a valid IPv6 address");
            }

            string[] parts = trimmed.Split('.');
            if (parts.Length != 4)
            {
                throw Invalid(text, "an IPv4 address has four parts separated by dots, like 192.168.1.1");
            }

            var bytes = new byte[4];
            for (int i = 0; i < 4; i++)
            {
                if (parts[i].Length == 0 || parts[i].Length > 3
                    || !byte.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
                {
                    throw Invalid(text, $"'{parts[i]}' is not a number from 0 to 255");
                }
            }

            return new IPAddress(bytes);
        }

        public static IPAddress FromBytes(byte[] bytes)
        {
            if (bytes.Length != 4 && bytes.Length != 16)
            {
                throw new NetLabException(
                    "NetworkOrderByteCountInvalid",
                    NetLabErrorKind.InvalidArgument,
                    $"An IP address is 4 bytes (IPv4) or 16 bytes (IPv6), not {bytes.Length}.",
                    bytes);
            }

            return new IPAddress(bytes);
        }

        private static NetLabException Invalid(string text, string reason) =>
            new NetLabException(
                "IPAddressInvalid",
                NetLabErrorKind.InvalidArgument,
                $"'{text}' is not an IP address: {reason}.",
                text);
    }
}
