using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PSNetLab.Sockets.Linux
{
    /// <summary>
    /// Parses /proc/net/{tcp,tcp6,udp,udp6,unix}: the fallback when netlink is refused. The files
    /// have no backlog (SendQ of a Listen row is 0) and no unix peers.
    /// </summary>
    internal static class ProcNetParser
    {
        // /proc prints timers in clock ticks (USER_HZ), which is 100 on every Linux ABI.
        private const double TicksPerSecond = 100;

        /// <summary>
        /// One line of /proc/net/tcp or udp:
        /// "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...".
        /// Null for the header line or anything else that is not a socket.
        /// </summary>
        public static SocketTableRow? ParseInet(string line, SocketProtocol protocol, bool ipv6)
        {
            string[] f = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 10 || !f[0].EndsWith(":", StringComparison.Ordinal))
            {
                return null;
            }

            if (!TryEndpoint(f[1], out string localAddress, out int localPort) ||
                !TryEndpoint(f[2], out string remoteAddress, out int remotePort) ||
                !TryHex(f[3], out long state))
            {
                return null;
            }

            string[] queues = f[4].Split(':');
            string[] timer = f[5].Split(':');
            TryHex(queues[0], out long tx);
            TryHex(queues.Length > 1 ? queues[1] : "0", out long rx);
            TryHex(timer[0], out long timerKind);
            TryHex(timer.Length > 1 ? timer[1] : "0", out long ticks);
            long.TryParse(f[7], NumberStyles.Integer, CultureInfo.InvariantCulture, out long uid);
            long.TryParse(f[9], NumberStyles.Integer, CultureInfo.InvariantCulture, out long inode);

            return new SocketTableRow
            {
                Protocol = protocol,
                AddressFamily = ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork,
                SocketType = protocol == SocketProtocol.Tcp ? SocketType.Stream : SocketType.Dgram,
                LocalAddress = localAddress,
                LocalPort = localPort,
                RemoteAddress = remoteAddress,
                RemotePort = remotePort,
                State = protocol == SocketProtocol.Tcp ? LinuxSocketStates.FromTcp((int)state) : LinuxSocketStates.FromUdp((int)state),
                RecvQ = rx,
                SendQ = tx,
                Uid = (int)uid,
                Inode = inode,
                // The timer codes are netlink's (1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 probe).
                Timer = InetDiagCodec.Timer((int)timerKind, (uint)Math.Min(uint.MaxValue, ticks * 1000 / TicksPerSecond)),
            };
        }

        /// <summary>
        /// One line of /proc/net/unix: "Num RefCount Protocol Flags Type St Inode [Path]".
        /// Flags 0x10000 (__SO_ACCEPTCON) marks a listener; St is SS_UNCONNECTED (1) ... SS_CONNECTED (3).
        /// </summary>
        public static SocketTableRow? ParseUnix(string line)
        {
            string[] f = line.Split((char[]?)null, 8, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 7 || !f[0].EndsWith(":", StringComparison.Ordinal) ||
                !TryHex(f[3], out long flags) || !TryHex(f[4], out long type) || !TryHex(f[5], out long socketState))
            {
                return null;
            }

            long.TryParse(f[6], NumberStyles.Integer, CultureInfo.InvariantCulture, out long inode);
            string path = f.Length > 7 ? f[7].Trim() : string.Empty;
            SocketState state;
            if ((flags & 0x10000) != 0)
            {
                state = SocketState.Listen;
            }
            else if (socketState == 3)
            {
                state = SocketState.Established;
            }
            else if (socketState == 2)
            {
                state = SocketState.SynSent;
            }
            else
            {
                state = path.Length > 0 ? SocketState.Bound : SocketState.None;
            }

            return new SocketTableRow
            {
                Protocol = SocketProtocol.Unix,
                AddressFamily = AddressFamily.Unix,
                SocketType = (SocketType)type,
                LocalAddress = path,
                State = state,
                Inode = inode,
            };
        }

        /// <summary>
        /// "0100007F:1F90": the address is printed as %08X of each 32-bit word as it sits in memory,
        /// so on a little-endian host the bytes of each word come out reversed; the port is plain hex.
        /// </summary>
        internal static bool TryEndpoint(string text, out string address, out int port)
        {
            address = string.Empty;
            port = 0;
            int colon = text.IndexOf(':');
            if (colon != 8 && colon != 32)
            {
                return false;
            }

            if (!TryHex(text.Substring(colon + 1), out long portValue))
            {
                return false;
            }

            var bytes = new byte[colon / 2];
            for (int word = 0; word < colon / 8; word++)
            {
                if (!uint.TryParse(text.Substring(word * 8, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value))
                {
                    return false;
                }

                byte[] wordBytes = BitConverter.GetBytes(value);   // back to the in-memory order
                Buffer.BlockCopy(wordBytes, 0, bytes, word * 4, 4);
            }

            address = new IPAddress(bytes).ToString();
            port = (int)portValue;
            return true;
        }

        private static bool TryHex(string text, out long value) =>
            long.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
