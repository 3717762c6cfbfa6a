using System;
using System.Collections.Generic;
using System.Net;

namespace PSNetLab.Servers.Udp
{
    /// <summary>
    /// Turns the raw sockaddr_in/sockaddr_in6 recvmmsg wrote into an IPEndPoint, reusing the one
    /// already made for the same sender: a busy server hears the same few peers again and again,
    /// and an IPEndPoint (with its IPAddress, and for IPv6 its array) per datagram is garbage.
    /// IPEndPoint is mutable, but handlers and events only read it.
    /// </summary>
    internal sealed class SenderEndPoints
    {
        // Enough for a classroom of peers; a scan of many source ports starts over rather than growing.
        private const int MaxRemembered = 1024;

        private readonly Dictionary<Key, IPEndPoint> _known = new Dictionary<Key, IPEndPoint>();

        /// <summary>The sender, or null when <paramref name="address"/> is not an IPv4/IPv6 socket address.</summary>
        public IPEndPoint? Get(ArraySegment<byte> address)
        {
            if (!TryKey(address, out Key key))
            {
                return null;
            }

            if (_known.TryGetValue(key, out IPEndPoint? known))
            {
                return known;
            }

            if (_known.Count >= MaxRemembered)
            {
                _known.Clear();
            }

            IPEndPoint created = Decode(address);
            _known.Add(key, created);
            return created;
        }

        private static bool TryKey(ArraySegment<byte> address, out Key key)
        {
            byte[] bytes = address.Array!;
            int at = address.Offset;
            ushort family = BitConverter.ToUInt16(bytes, at);
            int port = (bytes[at + 2] << 8) | bytes[at + 3];
            if (family == LinuxDatagramCalls.AF_INET && address.Count >= 8)
            {
                key = new Key(BitConverter.ToUInt32(bytes, at + 4), 0, port, 0);
                return true;
            }

            if (family == LinuxDatagramCalls.AF_INET6 && address.Count >= LinuxDatagramCalls.SocketAddressSize)
            {
                key = new Key(BitConverter.ToUInt64(bytes, at + 8), BitConverter.ToUInt64(bytes, at + 16), port | (1 << 16), BitConverter.ToUInt32(bytes, at + 24));
                return true;
            }

            key = default;
            return false;
        }

        private static IPEndPoint Decode(ArraySegment<byte> address)
        {
            byte[] bytes = address.Array!;
            int at = address.Offset;
            int port = (bytes[at + 2] << 8) | bytes[at + 3];
            if (BitConverter.ToUInt16(bytes, at) == LinuxDatagramCalls.AF_INET)
            {
                // sin_addr is in network order in memory, which is what IPAddress(long) expects.
                return new IPEndPoint(new IPAddress(BitConverter.ToUInt32(bytes, at + 4)), port);
            }

            var address6 = new byte[16];
            Buffer.BlockCopy(bytes, at + 8, address6, 0, 16);
            return new IPEndPoint(new IPAddress(address6, BitConverter.ToUInt32(bytes, at + 24)), port);
        }

        private readonly struct Key : IEquatable<Key>
        {
            private readonly ulong _high;
            private readonly ulong _low;
            private readonly int _portAndFamily;
            private readonly uint _scope;

            public Key(ulong high, ulong low, int portAndFamily, uint scope)
            {
                _high = high;
                _low = low;
                _portAndFamily = portAndFamily;
                _scope = scope;
            }

            public bool Equals(Key other) => _high == other._high && _low == other._low && _portAndFamily == other._portAndFamily && _scope == other._scope;

            public override bool Equals(object? obj) => obj is Key other && Equals(other);

            public override int GetHashCode() => unchecked((int)(_high ^ (_high >> 32) ^ _low ^ (_low >> 32)) * 31 + _portAndFamily) ^ (int)_scope;
        }
    }
}
