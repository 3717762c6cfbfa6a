using System.Runtime.InteropServices;
using PSNetLab.Errors;
using PSNetLab.Sockets.Linux;
using PSNetLab.Sockets.MacOS;
using PSNetLab.Sockets.Windows;

namespace PSNetLab.Sockets
{
    /// <summary>Picks the provider for the OS this process runs on.</summary>
    public static class SocketTableSources
    {
        public static ISocketTableSource ForCurrentOS()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                return new LinuxSocketTableSource();
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return new WindowsSocketTableSource();
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                return new MacSocketTableSource();
            }

            throw new NetLabException(
                "SocketTableUnsupportedPlatform",
                NetLabErrorKind.NotImplemented,
                $"Get-SocketTable reads the socket table on Linux, Windows and macOS; {RuntimeInformation.OSDescription} is not one of them.");
        }
    }
}
