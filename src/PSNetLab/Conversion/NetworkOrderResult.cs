using System.Globalization;
using System.Net;

namespace PSNetLab.Conversion
{
    /// <summary>One integer (or address) seen both ways: as this host stores it and as the network sends it.</summary>
    public sealed class NetworkOrderResult
    {
        private NetworkOrderResult(ulong? value, int width, byte[] networkBytes, IPAddress? address)
        {
            Value = value;
            Width = width;
            NetworkBytes = networkBytes;
            HostBytes = (byte[])networkBytes.Clone();
            if (IsLittleEndianHost)
            {
                System.Array.Reverse(HostBytes);
            }

            NetworkValue = value.HasValue ? ByteOrder.HostToNetwork(value.Value, width) : (ulong?)null;
            IPAddress = address;
        }

        /// <summary>The integer itself (null for an IPv6 address, which has no 64-bit integer).</summary>
        public ulong? Value { get; }

        /// <summary>16, 32 or 64 bits (htons, htonl, htonll); 128 for an IPv6 address.</summary>
        public int Width { get; }

        /// <summary>The bytes in this host's memory order.</summary>
        public byte[] HostBytes { get; }

        /// <summary>The bytes in network order (big-endian), as they travel on the wire.</summary>
        public byte[] NetworkBytes { get; }

        public string HostHex => HexBytes.Format(HostBytes);

        public string NetworkHex => HexBytes.Format(NetworkBytes);

        /// <summary>What htonl returns: the integer whose in-memory bytes on this host are the network bytes.</summary>
        public ulong? NetworkValue { get; }

        public bool IsLittleEndianHost => ByteOrder.IsLittleEndianHost;

        /// <summary>The address, when the value came from or is shown as an IP address.</summary>
        public IPAddress? IPAddress { get; }

        public static NetworkOrderResult FromHostValue(ulong value, int width)
        {
            ByteOrder.EnsureFits(value, width, value);
            return new NetworkOrderResult(value, width, ByteOrder.ToNetworkBytes(value, width), null);
        }

        public static NetworkOrderResult FromNetworkBytes(byte[] networkBytes) =>
            FromHostValue(ByteOrder.FromNetworkBytes(networkBytes), networkBytes.Length * 8);

        public static NetworkOrderResult FromAddress(IPAddress address)
        {
            byte[] bytes = address.GetAddressBytes();
            ulong? value = bytes.Length == 4 ? ByteOrder.FromNetworkBytes(bytes) : (ulong?)null;
            return new NetworkOrderResult(value, bytes.Length * 8, bytes, address);
        }

        /// <summary>Value as 0x-hex padded to the width; null for an IPv6 address, whose IPAddress column says it.</summary>
        public string? ValueHex => Value.HasValue ? FormatHex(Value.Value) : null;

        public string? NetworkValueHex => NetworkValue.HasValue ? FormatHex(NetworkValue.Value) : null;

        public override string ToString()
        {
            string subject = IPAddress?.ToString() ?? ValueHex ?? string.Empty;
            return $"{subject} ({Width}-bit): host bytes {HostHex} -> network bytes {NetworkHex}";
        }

        private string FormatHex(ulong value) =>
            "0x" + value.ToString("X" + (Width / 4).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
