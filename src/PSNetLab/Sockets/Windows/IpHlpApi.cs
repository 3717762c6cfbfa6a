using System;
using System.Runtime.InteropServices;

namespace PSNetLab.Sockets.Windows
{
    /// <summary>iphlpapi.dll's owner-aware tables (GetExtendedTcpTable / GetExtendedUdpTable).</summary>
    internal static class IpHlpApi
    {
        public const int AF_INET = 2;
        public const int AF_INET6 = 23;
        public const int TCP_TABLE_OWNER_PID_ALL = 5;
        public const int UDP_TABLE_OWNER_PID = 1;
        public const uint NO_ERROR = 0;
        public const uint ERROR_INSUFFICIENT_BUFFER = 122;

        [DllImport("iphlpapi.dll", ExactSpelling = true)]
        public static extern uint GetExtendedTcpTable(IntPtr table, ref int size, bool sorted, int family, int tableClass, uint reserved);

        [DllImport("iphlpapi.dll", ExactSpelling = true)]
        public static extern uint GetExtendedUdpTable(IntPtr table, ref int size, bool sorted, int family, int tableClass, uint reserved);
    }
}
