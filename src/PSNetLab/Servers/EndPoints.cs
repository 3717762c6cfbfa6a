using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PSNetLab.Errors;
using PSNetLab.Ports;

namespace PSNetLab.Servers
{
    /// <summary>Parses the addresses users type: -LocalAddress keywords and literals, and host:port peers.</summary>
    public static class EndPoints
    {
        /// <summary>Loopback (default), IPv6Loopback, Any (INADDR_ANY), IPv6Any, or an IPv4/IPv6 literal.</summary>
        public static IPAddress ParseLocalAddress(string? text, string parameterName)
        {
            string value = (text ?? string.Empty).Trim();
            switch (value.ToLowerInvariant())
            {
                case "":
                case "loopback":
                case "localhost":
                    return IPAddress.Loopback;
                case "ipv6loopback":
                    return IPAddress.IPv6Loopback;
                case "any":
                case "*":
                    return IPAddress.Any;
                case "ipv6any":
                    return IPAddress.IPv6Any;
            }

            return ParseAddress(value, parameterName);
        }

        public static IPAddress ParseAddress(string text, string parameterName)
        {
            string value = text.Trim().TrimStart('[').TrimEnd(']');
            if (IPAddress.TryParse(value, out IPAddress? address) && LooksLikeAddress(value))
            {
                return address!;
            }

            throw new NetLabException(
                "AddressInvalid",
                NetLabErrorKind.InvalidArgument,
                $"-{parameterName} '{text}' is not an IP address. Use a dotted IPv4 address such as 127.0.0.1, an IPv6 address such as ::1, or Loopback / Any / IPv6Loopback / IPv6Any.",
                text);
        }

        /// <summary>"host:port", "[v6]:port" or "v4:port"; names are resolved, IPv4 preferred as the seeds do.</summary>
        public static IPEndPoint ParsePeer(string text, string parameterName)
        {
            string value = text.Trim();
            int colon = value.LastIndexOf(':');
            bool bracketed = value.StartsWith("[", StringComparison.Ordinal);
            if (colon <= 0 || (!bracketed && value.IndexOf(':') != colon)
                || !int.TryParse(value.Substring(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port))
            {
                throw new NetLabException(
                    "AddressInvalid",
                    NetLabErrorKind.InvalidArgument,
                    $"-{parameterName} '{text}' is not host:port. Write it as 127.0.0.1:7891, [::1]:7891 or localhost:7891.",
                    text);
            }

            PortNumber.Validate(port, parameterName);
            return new IPEndPoint(Resolve(value.Substring(0, colon).TrimStart('[').TrimEnd(']'), parameterName), port);
        }

        /// <summary>An address literal as is; a name through DNS, first IPv4 answer preferred (localhost -> 127.0.0.1).</summary>
        public static IPAddress Resolve(string computerName, string parameterName)
        {
            if (IPAddress.TryParse(computerName, out IPAddress? literal) && LooksLikeAddress(computerName))
            {
                return literal!;
            }

            IPAddress[] addresses;
            try
            {
                addresses = Dns.GetHostAddresses(computerName);
            }
            catch (SocketException e)
            {
                throw NotResolved(computerName, parameterName, e);
            }
            catch (ArgumentException e)
            {
                throw NotResolved(computerName, parameterName, e);
            }

            if (addresses.Length == 0)
            {
                throw NotResolved(computerName, parameterName, null);
            }

            return Array.Find(addresses, a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
        }

        private static NetLabException NotResolved(string name, string parameterName, Exception? inner) =>
            new NetLabException(
                "HostNotFound",
                NetLabErrorKind.ObjectNotFound,
                $"-{parameterName} '{name}' could not be resolved to an address. Check the spelling, or use an address such as 127.0.0.1.",
                name,
                inner);

        // IPAddress.TryParse accepts "1" or "12345" as IPv4; a user typing those meant something else.
        private static bool LooksLikeAddress(string value) => value.Contains(".") || value.Contains(":");
    }
}
