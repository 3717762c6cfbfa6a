using System;
using System.Runtime.InteropServices;

namespace PSNetLab.Sockets.MacOS
{
    /// <summary>The libSystem calls the macOS provider needs: sysctlbyname for the tables, libproc for names.</summary>
    internal static class Darwin
    {
        public const int ENOMEM = 12;

        [DllImport("libc", SetLastError = true)]
        public static extern int sysctlbyname(string name, byte[]? oldp, ref UIntPtr oldlenp, IntPtr newp, UIntPtr newlen);

        [DllImport("libproc", SetLastError = true)]
        public static extern int proc_name(int pid, byte[] buffer, uint buffersize);
    }
}
