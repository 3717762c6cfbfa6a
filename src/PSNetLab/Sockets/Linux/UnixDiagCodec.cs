using System;
using System.Net.Sockets;
using System.Text;

namespace PSNetLab.Sockets.Linux
{
    /// <summary>
    /// Builds unix_diag_req dump requests and decodes unix_diag_msg replies with their attributes
    /// (include/uapi/linux/unix_diag.h).
    /// </summary>
    internal static class UnixDiagCodec
    {
        public const int AF_UNIX = 1;

        private const uint ShowName = 0x01;
        private const uint ShowPeer = 0x04;
        private const uint ShowRqLen = 0x10;
        private const uint ShowUid = 0x40;

        private const int AttrName = 0;
        private const int AttrPeer = 2;
        private const int AttrRqLen = 4;
        private const int AttrUid = 7;

        private const int RequestSize = 24;  // family, protocol, pad (2), states, ino, show, cookie (8)
        private const int MessageSize = 16;  // family, type, state, pad, ino, cookie (8)

        public static byte[] Request(uint states, uint sequence)
        {
            byte[] request = NetlinkMessages.NewDumpRequest(RequestSize, sequence);
            int p = NetlinkMessages.HeaderSize;
            request[p] = AF_UNIX;
            NetlinkMessages.WriteUInt32(request, p + 4, states);
            NetlinkMessages.WriteUInt32(request, p + 12, ShowName | ShowPeer | ShowRqLen | ShowUid);
            return request;
        }

        public static SocketTableRow? Decode(byte[] buffer, int offset, int length)
        {
            if (length < MessageSize)
            {
                return null;
            }

            var row = new SocketTableRow
            {
                Protocol = SocketProtocol.Unix,
                AddressFamily = AddressFamily.Unix,
                SocketType = (SocketType)buffer[offset + 1],
                Inode = BitConverter.ToUInt32(buffer, offset + 4),
            };
            int state = buffer[offset + 2];

            // rtattr: u16 length (header included), u16 type, payload, padded to 4 bytes.
            int p = offset + MessageSize;
            int end = offset + length;
            while (p + 4 <= end)
            {
                int attrLength = BitConverter.ToUInt16(buffer, p);
                int type = BitConverter.ToUInt16(buffer, p + 2);
                if (attrLength < 4 || p + attrLength > end)
                {
                    break;
                }

                int data = p + 4;
                int dataLength = attrLength - 4;
                switch (type)
                {
                    case AttrName:
                        row.LocalAddress = SocketName(buffer, data, dataLength);
                        break;
                    case AttrPeer when dataLength >= 4:
                        row.PeerInode = BitConverter.ToUInt32(buffer, data);
                        break;
                    case AttrRqLen when dataLength >= 8:
                        // For a listener: accept-queue length and backlog, as ss shows them.
                        row.RecvQ = BitConverter.ToUInt32(buffer, data);
                        row.SendQ = BitConverter.ToUInt32(buffer, data + 4);
                        break;
                    case AttrUid when dataLength >= 4:
                        row.Uid = (int)BitConverter.ToUInt32(buffer, data);
                        break;
                }

                p += NetlinkMessages.Align(attrLength);
            }

            row.State = LinuxSocketStates.FromUnix(state, row.LocalAddress.Length > 0);
            return row;
        }

        /// <summary>A sun_path as ss prints it: abstract names (leading NUL) as "@name", trailing NULs dropped.</summary>
        internal static string SocketName(byte[] buffer, int offset, int length)
        {
            if (length == 0)
            {
                return string.Empty;
            }

            if (buffer[offset] == 0)
            {
                return "@" + Encoding.UTF8.GetString(buffer, offset + 1, length - 1).Replace('\0', '@');
            }

            int end = offset + length;
            while (end > offset && buffer[end - 1] == 0)
            {
                end--;
            }

            return Encoding.UTF8.GetString(buffer, offset, end - offset);
        }
    }
}
