using System.Collections.Generic;

namespace PSNetLab.Sockets.Linux
{
    /// <summary>
    /// Linux's TCP_* state numbers (include/net/tcp_states.h) and how each protocol uses them:
    /// UDP and unix sockets borrow TCP_ESTABLISHED for "connected" and TCP_CLOSE for "not connected".
    /// </summary>
    internal static class LinuxSocketStates
    {
        public const int Established = 1;
        public const int SynSent = 2;
        public const int SynRecv = 3;
        public const int FinWait1 = 4;
        public const int FinWait2 = 5;
        public const int TimeWait = 6;
        public const int Close = 7;
        public const int CloseWait = 8;
        public const int LastAck = 9;
        public const int Listen = 10;
        public const int Closing = 11;
        public const int NewSynRecv = 12;   // request sockets of a listener, shown as SYN-RECV
        public const int BoundInactive = 13; // Linux 6.7+: bound, neither listening nor connected

        public const uint AllStates = 0xFFFFFFFF;
        public const uint ListenBit = 1u << Listen;

        public static SocketState FromTcp(int state)
        {
            switch (state)
            {
                case Established: return SocketState.Established;
                case SynSent: return SocketState.SynSent;
                case SynRecv:
                case NewSynRecv: return SocketState.SynReceived;
                case FinWait1: return SocketState.FinWait1;
                case FinWait2: return SocketState.FinWait2;
                case TimeWait: return SocketState.TimeWait;
                case CloseWait: return SocketState.CloseWait;
                case LastAck: return SocketState.LastAck;
                case Listen: return SocketState.Listen;
                case Closing: return SocketState.Closing;
                case BoundInactive: return SocketState.Bound;
                default: return SocketState.Closed;
            }
        }

        public static SocketState FromUdp(int state) =>
            state == Established ? SocketState.Established : SocketState.Bound;

        public static SocketState FromUnix(int state, bool hasName)
        {
            switch (state)
            {
                case Listen: return SocketState.Listen;
                case Established: return SocketState.Established;
                case SynSent: return SocketState.SynSent;
                default: return hasName ? SocketState.Bound : SocketState.None;
            }
        }

        /// <summary>
        /// The idiag_states mask that asks the kernel only for the wanted states, so that
        /// "-State Listen" never walks the established hash at all.
        /// </summary>
        public static uint KernelMask(SocketProtocol protocol, ICollection<SocketState> wanted)
        {
            if (wanted.Count == 0)
            {
                return AllStates;
            }

            uint mask = 0;
            foreach (SocketState state in wanted)
            {
                mask |= KernelMask(protocol, state);
            }

            return mask;
        }

        /// <summary>The idiag_states bits of one state: what a row read from /proc/net is checked against.</summary>
        public static uint KernelMask(SocketProtocol protocol, SocketState state)
        {
            if (protocol == SocketProtocol.Tcp)
            {
                switch (state)
                {
                    case SocketState.Established: return Bit(Established);
                    case SocketState.SynSent: return Bit(SynSent);
                    case SocketState.SynReceived: return Bit(SynRecv) | Bit(NewSynRecv);
                    case SocketState.FinWait1: return Bit(FinWait1);
                    case SocketState.FinWait2: return Bit(FinWait2);
                    case SocketState.TimeWait: return Bit(TimeWait);
                    case SocketState.Closed: return Bit(Close);
                    case SocketState.CloseWait: return Bit(CloseWait);
                    case SocketState.LastAck: return Bit(LastAck);
                    case SocketState.Listen: return Bit(Listen);
                    case SocketState.Closing: return Bit(Closing);
                    case SocketState.Bound: return Bit(BoundInactive);
                    default: return 0;
                }
            }

            switch (state)
            {
                case SocketState.Established: return Bit(Established);
                case SocketState.Listen: return protocol == SocketProtocol.Unix ? Bit(Listen) : 0;
                case SocketState.SynSent: return protocol == SocketProtocol.Unix ? Bit(SynSent) : 0;
                case SocketState.Bound:
                case SocketState.None:
                case SocketState.Closed: return Bit(Close);
                default: return 0;
            }
        }

        private static uint Bit(int state) => 1u << state;
    }
}
