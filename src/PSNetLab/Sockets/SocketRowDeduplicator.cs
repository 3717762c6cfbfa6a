using System.Collections.Generic;

namespace PSNetLab.Sockets
{
    /// <summary>Drops rows a dump returned twice (see <see cref="SocketRowIdentity.Row"/>); the first copy wins.</summary>
    public static class SocketRowDeduplicator
    {
        public static List<SocketTableRow> Distinct(IEnumerable<SocketTableRow> rows)
        {
            var seen = new HashSet<(SocketProtocol, string, int, string, int, long, SocketState)>();
            var result = new List<SocketTableRow>();
            foreach (SocketTableRow row in rows)
            {
                if (seen.Add(SocketRowIdentity.Row(row)))
                {
                    result.Add(row);
                }
            }

            return result;
        }
    }
}
