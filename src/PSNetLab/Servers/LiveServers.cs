using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;

namespace PSNetLab.Servers
{
    /// <summary>
    /// Every server that is listening in this process, so module removal and process exit can
    /// stop them all: nothing is left listening after a lab.
    /// </summary>
    public static class LiveServers
    {
        private static readonly ConcurrentDictionary<NetLabServer, byte> Servers = new ConcurrentDictionary<NetLabServer, byte>();

        static LiveServers()
        {
            AppDomain.CurrentDomain.ProcessExit += (sender, e) => StopAll();
        }

        public static IReadOnlyCollection<NetLabServer> All => Servers.Keys.ToList();

        public static void Add(NetLabServer server) => Servers.TryAdd(server, 0);

        public static void Remove(NetLabServer server) => Servers.TryRemove(server, out _);

        public static void StopAll()
        {
            foreach (NetLabServer server in Servers.Keys.ToList())
            {
                server.Stop();
            }
        }
    }
}
