using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;

namespace PSNetLab.Servers.Hosting
{
    /// <summary>The server jobs of this process until Remove-Job disposes them: what Get-NetLabServer lists.</summary>
    public static class ServerJobs
    {
        private static readonly ConcurrentDictionary<ServerJob, byte> Jobs = new ConcurrentDictionary<ServerJob, byte>();

        public static IReadOnlyList<ServerJob> All => Jobs.Keys.OrderBy(j => j.Id).ToList();

        public static void Add(ServerJob job) => Jobs.TryAdd(job, 0);

        public static void Remove(ServerJob job) => Jobs.TryRemove(job, out _);
    }
}
