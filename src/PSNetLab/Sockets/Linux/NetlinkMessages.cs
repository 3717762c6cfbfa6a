using System;
using PSNetLab.Errors;

namespace PSNetLab.Sockets.Linux
{
    /// <summary>
    /// Walks the nlmsghdr framing of a netlink read. Kept apart from the socket so tests can feed it
    /// captured bytes. Netlink integers are in host byte order, so BitConverter reads them as they are.
    /// </summary>
    internal static class NetlinkMessages
    {
        public const int HeaderSize = 16;
        public const ushort NLMSG_ERROR = 2;
        public const ushort NLMSG_DONE = 3;
        public const ushort SOCK_DIAG_BY_FAMILY = 20;
        public const ushort TCPDIAG_GETSOCK = 18;
        public const ushort NLM_F_REQUEST = 0x1;
        public const ushort NLM_F_DUMP = 0x300;

        /// <summary>Gets one message's payload: the buffer, where it starts, and its length.</summary>
        public delegate void Handler(byte[] buffer, int offset, int length);

        /// <summary>Returns true when the dump is complete (NLMSG_DONE was seen).</summary>
        public static bool Walk(byte[] buffer, int length, Handler onMessage)
        {
            int offset = 0;
            while (offset + HeaderSize <= length)
            {
                int messageLength = (int)BitConverter.ToUInt32(buffer, offset);
                ushort type = BitConverter.ToUInt16(buffer, offset + 4);
                if (messageLength < HeaderSize || offset + messageLength > length)
                {
                    throw new NetLabException(
                        "SocketTableNetlinkMalformed",
                        NetLabErrorKind.InvalidData,
                        $"The kernel sent a netlink message of length {messageLength} at offset {offset} of a {length}-byte read.");
                }

                if (type == NLMSG_DONE)
                {
                    return true;
                }

                if (type == NLMSG_ERROR)
                {
                    int error = BitConverter.ToInt32(buffer, offset + HeaderSize);
                    if (error == 0)
                    {
                        // An acknowledgement, not a failure.
                        offset += Align(messageLength);
                        continue;
                    }

                    throw new NetLabException(
                        "SocketTableNetlinkRefused",
                        NetLabErrorKind.ResourceUnavailable,
                        $"The kernel refused the sock_diag request (errno {-error}).",
                        -error);
                }

                onMessage(buffer, offset + HeaderSize, messageLength - HeaderSize);
                offset += Align(messageLength);
            }

            return false;
        }

        public static int Align(int length) => (length + 3) & ~3;

        /// <summary>An nlmsghdr for a dump (SOCK_DIAG_BY_FAMILY unless told) followed by <paramref name="payloadLength"/> zero bytes.</summary>
        public static byte[] NewDumpRequest(int payloadLength, uint sequence, ushort type = SOCK_DIAG_BY_FAMILY)
        {
            var request = new byte[HeaderSize + payloadLength];
            WriteUInt32(request, 0, (uint)request.Length);
            WriteUInt16(request, 4, type);
            WriteUInt16(request, 6, NLM_F_REQUEST | NLM_F_DUMP);
            WriteUInt32(request, 8, sequence);
            return request;
        }

        public static void WriteUInt32(byte[] buffer, int offset, uint value) =>
            Buffer.BlockCopy(BitConverter.GetBytes(value), 0, buffer, offset, 4);

        public static void WriteUInt16(byte[] buffer, int offset, ushort value) =>
            Buffer.BlockCopy(BitConverter.GetBytes(value), 0, buffer, offset, 2);
    }
}
