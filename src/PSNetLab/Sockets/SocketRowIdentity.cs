namespace PSNetLab.Sockets
{
    /// <summary>
    /// Keys that tell sockets apart. Two keys, because the questions differ: is this row a repeat
    /// within one dump (<see cref="Row"/>), and is this the same socket as last time (<see cref="Socket"/>).
    /// </summary>
    internal static class SocketRowIdentity
    {
        /// <summary>
        /// A dump can return a socket twice when the kernel's hash walk resumes after a buffer fills
        /// while sockets come and go. The same socket has the same endpoints and inode; inode 0
        /// (TIME_WAIT, SYN_RECV request sockets) is shared by many, so the state joins the key there.
        /// </summary>
        public static (SocketProtocol, string, int, string, int, long, SocketState) Row(SocketTableRow row) =>
            (row.Protocol, row.LocalAddress, row.LocalPort, row.RemoteAddress, row.RemotePort, row.Inode ?? 0,
             (row.Inode ?? 0) == 0 ? row.State : SocketState.None);

        /// <summary>
        /// Across two looks a connection keeps its four-tuple while its inode goes to 0 in TIME_WAIT,
        /// so a connected TCP socket is known by its endpoints alone. Sockets with no peer (listeners,
        /// UDP, unix) can share endpoints (SO_REUSEPORT), so their inode joins the key.
        /// </summary>
        public static (SocketProtocol, string, int, string, int, long) Socket(SocketTableRow row)
        {
            bool connectedTcp = row.Protocol == SocketProtocol.Tcp && row.RemotePort != 0;
            long inode = connectedTcp ? 0 : row.Inode ?? 0;
            // Windows has no inodes: a listener's owner tells SO_REUSEPORT twins apart well enough.
            if (!connectedTcp && row.Inode == null)
            {
                inode = -(row.OwningProcess ?? 0);
            }

            return (row.Protocol, row.LocalAddress, row.LocalPort, row.RemoteAddress, row.RemotePort, inode);
        }
    }
}
