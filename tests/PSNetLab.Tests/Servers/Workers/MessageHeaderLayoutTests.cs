using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using PSNetLab.Servers.Tcp.Workers;
using Xunit;

namespace PSNetLab.Tests.Servers.Workers
{
    public class MessageHeaderLayoutTests
    {
        [Fact]
        public void Linux64MatchesGlibc()
        {
            MessageHeaderLayout linux = MessageHeaderLayout.Linux64;
            Assert.Equal(56, linux.Size);
            Assert.Equal((16, 24, 8), (linux.IovOffset, linux.IovLengthOffset, linux.IovLengthSize));
            Assert.Equal((32, 40, 8), (linux.ControlOffset, linux.ControlLengthOffset, linux.ControlLengthSize));
            Assert.Equal(48, linux.FlagsOffset);
            Assert.Equal((16, 8, 12), (linux.ControlHeaderSize, linux.LevelOffset, linux.TypeOffset));
            Assert.Equal(20, linux.ControlLength(4));      // CMSG_LEN(sizeof(int))
            Assert.Equal(24, linux.ControlSpace(4));       // CMSG_SPACE(sizeof(int))
            Assert.Equal(48, linux.ControlSpace(32));      // CMSG_SPACE(8 * sizeof(int))
            Assert.Equal((1, 1, 8), (linux.SocketLevel, linux.RightsType, linux.ControlTruncatedFlag));
        }

        [Fact]
        public void MacOS64MatchesDarwin()
        {
            MessageHeaderLayout mac = MessageHeaderLayout.MacOS64;
            Assert.Equal(48, mac.Size);
            Assert.Equal((16, 24, 4), (mac.IovOffset, mac.IovLengthOffset, mac.IovLengthSize));
            Assert.Equal((32, 40, 4), (mac.ControlOffset, mac.ControlLengthOffset, mac.ControlLengthSize));
            Assert.Equal(44, mac.FlagsOffset);
            Assert.Equal((12, 4, 8), (mac.ControlHeaderSize, mac.LevelOffset, mac.TypeOffset));
            Assert.Equal(16, mac.ControlLength(4));
            Assert.Equal(16, mac.ControlSpace(4));
            Assert.Equal(44, mac.ControlSpace(32));
            Assert.Equal((0xffff, 1, 0x20), (mac.SocketLevel, mac.RightsType, mac.ControlTruncatedFlag));
        }

        [Fact]
        public void TheRunningPlatformHasALayout()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                Assert.Same(MessageHeaderLayout.Linux64, MessageHeaderLayout.Current);
            }
            else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                Assert.Same(MessageHeaderLayout.MacOS64, MessageHeaderLayout.Current);
            }
            else
            {
                Assert.Null(MessageHeaderLayout.Current);
            }
        }

        [Theory]
        [MemberData(nameof(Layouts))]
        public void WritesTheHeaderFieldsAtTheirOffsets(string name)
        {
            MessageHeaderLayout layout = LayoutNamed(name);
            IntPtr block = Marshal.AllocHGlobal(256);
            try
            {
                for (int i = 0; i < 256; i++)
                {
                    Marshal.WriteByte(block, i, 0xAA);
                }

                IntPtr iovec = block + 64;
                IntPtr control = block + 96;
                UnixDescriptorPassing.WriteHeader(layout, block, iovec, new IntPtr(0x1000), 77, control, 24);
                Assert.Equal(IntPtr.Zero, Marshal.ReadIntPtr(block, 0));                    // msg_name
                Assert.Equal(0, Marshal.ReadInt32(block, 8));                               // msg_namelen
                Assert.Equal(iovec, Marshal.ReadIntPtr(block, layout.IovOffset));
                Assert.Equal(1L, Read(block, layout.IovLengthOffset, layout.IovLengthSize));
                Assert.Equal(control, Marshal.ReadIntPtr(block, layout.ControlOffset));
                Assert.Equal(24L, Read(block, layout.ControlLengthOffset, layout.ControlLengthSize));
                Assert.Equal(0, Marshal.ReadInt32(block, layout.FlagsOffset));
                Assert.Equal(new IntPtr(0x1000), Marshal.ReadIntPtr(iovec, 0));              // iov_base
                Assert.Equal(77L, Marshal.ReadInt64(iovec, 8));                             // iov_len
                Assert.Equal(0xAA, Marshal.ReadByte(block, layout.Size));                   // nothing written past the struct
            }
            finally
            {
                Marshal.FreeHGlobal(block);
            }
        }

        [Theory]
        [MemberData(nameof(Layouts))]
        public void RightsRoundTripAndOtherControlMessagesAreSkipped(string name)
        {
            MessageHeaderLayout layout = LayoutNamed(name);
            IntPtr control = Marshal.AllocHGlobal(128);
            try
            {
                // A foreign control message first (level 0, type 99, 3 data bytes), then SCM_RIGHTS:
                // the walk must step over the first with CMSG_ALIGN(cmsg_len), as CMSG_NXTHDR does.
                int foreign = layout.ControlSpace(3);
                for (int i = 0; i < foreign; i++)
                {
                    Marshal.WriteByte(control, i, 0);
                }

                Write(control, 0, layout.ControlLengthFieldSize, layout.ControlLength(3));
                Marshal.WriteInt32(control, layout.TypeOffset, 99);
                int space = UnixDescriptorPassing.WriteRights(layout, control + foreign, 42);
                Assert.Equal(layout.ControlSpace(4), space);
                Assert.Equal(layout.ControlLength(4), Read(control + foreign, 0, layout.ControlLengthFieldSize));

                var descriptors = new List<int>();
                UnixDescriptorPassing.ReadRights(layout, control, foreign + space, descriptors);
                Assert.Equal(new[] { 42 }, descriptors);
            }
            finally
            {
                Marshal.FreeHGlobal(control);
            }
        }

        [Fact]
        public void ATruncatedControlMessageYieldsNothing()
        {
            MessageHeaderLayout layout = MessageHeaderLayout.Linux64;
            IntPtr control = Marshal.AllocHGlobal(64);
            try
            {
                UnixDescriptorPassing.WriteRights(layout, control, 7);
                var descriptors = new List<int>();
                UnixDescriptorPassing.ReadRights(layout, control, layout.ControlLength(4) - 1, descriptors);
                Assert.Empty(descriptors);
            }
            finally
            {
                Marshal.FreeHGlobal(control);
            }
        }

        [Fact]
        public void PassesALiveTcpConnectionThroughAUnixSocket()
        {
            if (MessageHeaderLayout.Current == null)
            {
                return;   // Windows hands sockets over with DuplicateAndClose; nothing to pass here.
            }

            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(listener.LocalEndPoint!);
            Socket served = listener.Accept();

            (UnixControlChannel sender, UnixControlChannel receiver) = ChannelPair();
            using (sender)
            using (receiver)
            {
                Assert.True(sender.SendConnection(served, 5, 0));
                ControlFrame frame = receiver.Read()!;
                ConnectionHandOff handOff = ConnectionHandOff.From(frame);
                Assert.Equal(5, handOff.ConnectionId);
                using Socket adopted = receiver.Adopt(handOff);

                // The sender closed its copy; the adopted socket is the same connection.
                Assert.Throws<ObjectDisposedException>(() => served.Send(new byte[1]));
                adopted.Send(Encoding.ASCII.GetBytes("hi"));
                var buffer = new byte[2];
                Assert.Equal(2, client.Receive(buffer));
                Assert.Equal("hi", Encoding.ASCII.GetString(buffer));
                Assert.Equal(client.LocalEndPoint, adopted.RemoteEndPoint);
            }
        }

        public static IEnumerable<object[]> Layouts() => new[] { new object[] { "Linux64" }, new object[] { "MacOS64" } };

        private static MessageHeaderLayout LayoutNamed(string name) => name == "Linux64" ? MessageHeaderLayout.Linux64 : MessageHeaderLayout.MacOS64;

        private static (UnixControlChannel, UnixControlChannel) ChannelPair()
        {
            string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"psnetlab-test-{Guid.NewGuid():N}.sock");
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);
            var connecting = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            connecting.Connect(new UnixDomainSocketEndPoint(path));
            Socket accepted = listener.Accept();
            System.IO.File.Delete(path);
            return (new UnixControlChannel(accepted), new UnixControlChannel(connecting));
        }

        private static long Read(IntPtr at, int offset, int size) => size == 8 ? Marshal.ReadInt64(at, offset) : Marshal.ReadInt32(at, offset);

        private static void Write(IntPtr at, int offset, int size, long value)
        {
            if (size == 8)
            {
                Marshal.WriteInt64(at, offset, value);
            }
            else
            {
                Marshal.WriteInt32(at, offset, (int)value);
            }
        }
    }
}
