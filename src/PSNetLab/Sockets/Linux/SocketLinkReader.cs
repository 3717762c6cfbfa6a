using System;
using System.Text;

namespace PSNetLab.Sockets.Linux
{
    /// <summary>
    /// One worker's readlinkat("&lt;fd&gt;") calls relative to an open /proc/&lt;pid&gt;/fd, keeping
    /// that directory open while consecutive fds belong to the same process.
    /// </summary>
    internal sealed class SocketLinkReader : IDisposable
    {
        internal static readonly byte[] SocketPrefix = Encoding.ASCII.GetBytes("socket:[");

        private readonly byte[] _path = new byte[32];
        private readonly byte[] _name = new byte[16];
        private readonly byte[] _link = new byte[64];   // "socket:[<inode>]" fits; anything longer is no socket
        private IntPtr _dir;
        private int _dirFd = -1;
        private int _pid = -1;

        /// <summary>False for anything but a socket, and for fds that closed or processes that exited since they were listed.</summary>
        public bool TryReadSocketInode(ProcessFd entry, out long inode)
        {
            inode = 0;
            if (entry.Pid != _pid)
            {
                OpenProcess(entry.Pid);
            }

            if (_dirFd < 0)
            {
                return false;
            }

            _name[Ascii.WriteNumber(_name, 0, entry.Fd)] = 0;
            long read = LibC.readlinkat(_dirFd, _name, _link, (UIntPtr)_link.Length).ToInt64();
            if (read <= SocketPrefix.Length)
            {
                return false;
            }

            // Files, pipes and anon inodes are dropped on their first bytes.
            for (int i = 0; i < SocketPrefix.Length; i++)
            {
                if (_link[i] != SocketPrefix[i])
                {
                    return false;
                }
            }

            return TryInode(_link, (int)read, out inode);
        }

        public void Dispose() => Close();

        internal static bool TryInode(byte[] link, int length, out long inode)
        {
            inode = 0;
            int i = SocketPrefix.Length;
            for (; i < length && link[i] != (byte)']'; i++)
            {
                if (link[i] < (byte)'0' || link[i] > (byte)'9')
                {
                    return false;
                }

                inode = (inode * 10) + (link[i] - '0');
            }

            return i < length && i > SocketPrefix.Length;
        }

        private void OpenProcess(int pid)
        {
            Close();
            _pid = pid;
            ProcFdList.WriteFdDirectory(_path, pid);
            _dir = LibC.opendir(_path);
            _dirFd = _dir == IntPtr.Zero ? -1 : LibC.dirfd(_dir);
        }

        private void Close()
        {
            if (_dir != IntPtr.Zero)
            {
                LibC.closedir(_dir);
            }

            _dir = IntPtr.Zero;
            _dirFd = -1;
            _pid = -1;
        }
    }
}
