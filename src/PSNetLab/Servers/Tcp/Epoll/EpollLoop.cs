using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading;
using PSNetLab.Sockets.Linux;

namespace PSNetLab.Servers.Tcp.Epoll
{
    /// <summary>
    /// One thread that serves many connections the way the C epoll server does: epoll_wait, then for
    /// each ready socket one recv, the handler, one send, all on this thread. The .NET socket engine
    /// hands every completion from its epoll thread to a thread-pool worker instead; on two cores that
    /// hop (and the spinning of idle workers) halved the echo rate (bench/NOTES.md). Other threads
    /// reach a connection only through <see cref="Post"/>, which wakes the loop with an eventfd.
    /// </summary>
    internal sealed unsafe class EpollLoop
    {
        private const int MaxEvents = 256;

        private const ulong WakeToken = 0;

        /// <summary>How often idle connections are looked for while some connection has -IdleTimeout.</summary>
        private const int IdleSweepMilliseconds = 50;

        private readonly int _epoll;
        private readonly int _wake;
        private readonly ConcurrentQueue<Action> _commands = new ConcurrentQueue<Action>();
        private readonly List<EpollConnection?> _slots = new List<EpollConnection?>();
        private readonly Stack<int> _freeSlots = new Stack<int>();
        private int _wakePending;
        private int _idleTracked;
        private long _nextIdleSweep;

        private EpollLoop(int epoll, int wake, string name)
        {
            _epoll = epoll;
            _wake = wake;
            var thread = new Thread(Run, 256 * 1024) { IsBackground = true, Name = name };
            thread.Start();
        }

        /// <summary>The receive buffer every connection of this loop reads into; a connection keeps bytes only while a message is unfinished.</summary>
        public byte[] ReceiveBuffer { get; } = new byte[BufferPool.BufferSize];

        /// <summary>Where a batch of replies is gathered so it leaves in one send().</summary>
        public ReplyBuffer Replies { get; } = new ReplyBuffer();

        /// <summary>A loop, or null with the reason when this system cannot give one.</summary>
        public static EpollLoop? TryCreate(string name, out string? whyNot)
        {
            whyNot = null;
            int epoll = EpollInterop.epoll_create1(EpollInterop.EPOLL_CLOEXEC);
            if (epoll < 0)
            {
                whyNot = "epoll_create1 failed: " + EpollInterop.Describe(Marshal.GetLastWin32Error());
                return null;
            }

            int wake = EpollInterop.eventfd(0, EpollInterop.EFD_NONBLOCK | EpollInterop.EFD_CLOEXEC);
            if (wake < 0 || EpollInterop.Control(epoll, EpollInterop.EPOLL_CTL_ADD, wake, EpollInterop.EPOLLIN, WakeToken) < 0)
            {
                whyNot = "eventfd failed: " + EpollInterop.Describe(Marshal.GetLastWin32Error());
                LibC.close(epoll);
                return null;
            }

            return new EpollLoop(epoll, wake, name);
        }

        /// <summary>Runs <paramref name="command"/> on the loop's thread, after the commands posted before it.</summary>
        public void Post(Action command)
        {
            _commands.Enqueue(command);
            if (Interlocked.Exchange(ref _wakePending, 1) == 0)
            {
                ulong one = 1;
                EpollInterop.write(_wake, (byte*)&one, (UIntPtr)sizeof(ulong));
            }
        }

        /// <summary>Loop thread: starts watching the connection's socket for data.</summary>
        public bool Add(EpollConnection connection)
        {
            int slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : AddSlot();
            if (EpollInterop.Control(_epoll, EpollInterop.EPOLL_CTL_ADD, connection.Descriptor, EpollInterop.EPOLLIN, (ulong)slot + 1) < 0)
            {
                _freeSlots.Push(slot);
                return false;
            }

            _slots[slot] = connection;
            connection.Slot = slot;
            if (connection.TracksIdleness)
            {
                _idleTracked++;
            }

            return true;
        }

        /// <summary>Loop thread: EPOLLIN while reading, EPOLLOUT while a reply waits for room (the client is not read meanwhile: back-pressure).</summary>
        public void Watch(EpollConnection connection, bool forWriting) =>
            EpollInterop.Control(_epoll, EpollInterop.EPOLL_CTL_MOD, connection.Descriptor, forWriting ? EpollInterop.EPOLLOUT : EpollInterop.EPOLLIN, (ulong)connection.Slot + 1);

        /// <summary>Loop thread: stops watching; called before the socket is closed.</summary>
        public void Remove(EpollConnection connection)
        {
            EpollInterop.Control(_epoll, EpollInterop.EPOLL_CTL_DEL, connection.Descriptor, 0, 0);
            _slots[connection.Slot] = null;
            _freeSlots.Push(connection.Slot);
            if (connection.TracksIdleness)
            {
                _idleTracked--;
            }
        }

        private int AddSlot()
        {
            _slots.Add(null);
            return _slots.Count - 1;
        }

        private void Run()
        {
            byte* events = (byte*)Marshal.AllocHGlobal(MaxEvents * EpollInterop.EventSize);
            while (true)
            {
                int ready = EpollInterop.epoll_wait(_epoll, events, MaxEvents, _idleTracked > 0 ? IdleSweepMilliseconds : -1);
                if (ready < 0)
                {
                    if (Marshal.GetLastWin32Error() == LibC.EINTR)
                    {
                        continue;
                    }

                    // Cannot happen with a valid epoll descriptor; never spin if it does.
                    Thread.Sleep(IdleSweepMilliseconds);
                    continue;
                }

                for (int i = 0; i < ready; i++)
                {
                    ulong token = EpollInterop.TokenAt(events, i);
                    if (token == WakeToken)
                    {
                        RunCommands();
                    }
                    else
                    {
                        _slots[(int)(token - 1)]?.OnReady();
                    }
                }

                if (_idleTracked > 0)
                {
                    SweepIdle();
                }
            }
        }

        private void RunCommands()
        {
            ulong count;
            EpollInterop.read(_wake, (byte*)&count, (UIntPtr)sizeof(ulong));
            Volatile.Write(ref _wakePending, 0);
            while (_commands.TryDequeue(out Action? command))
            {
                try
                {
                    command();
                }
                catch (Exception e)
                {
                    // A command is a connection's; it records its own failures. Never lose the loop.
                    Trace.WriteLine("PSNetLab epoll command failed: " + e);
                }
            }
        }

        private void SweepIdle()
        {
            long now = Stopwatch.GetTimestamp();
            if (now < _nextIdleSweep)
            {
                return;
            }

            _nextIdleSweep = now + (Stopwatch.Frequency * IdleSweepMilliseconds / 1000);
            for (int i = 0; i < _slots.Count; i++)
            {
                EpollConnection? connection = _slots[i];
                if (connection != null && connection.TracksIdleness && connection.IsIdleAt(now))
                {
                    connection.CloseIdle();
                }
            }
        }
    }
}
