using System.Collections.Generic;

namespace PSNetLab.Sockets
{
    /// <summary>One OS's way of reading the socket table. Rows may repeat; the caller removes duplicates.</summary>
    public interface ISocketTableSource
    {
        /// <summary>A short name for messages and -Verbose, such as "netlink" or "/proc/net".</summary>
        string Name { get; }

        /// <summary>The protocols this OS's table has (Windows and macOS have no unix-socket table here).</summary>
        IReadOnlyCollection<SocketProtocol> Protocols { get; }

        IReadOnlyList<SocketTableRow> Read(SocketTableQuery query);
    }
}
