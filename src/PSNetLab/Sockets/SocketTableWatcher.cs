using System;
using System.Collections.Generic;

namespace PSNetLab.Sockets
{
    /// <summary>
    /// Turns successive looks at the table into changes. It polls, so a state that lasts less than
    /// the interval (SYN_SENT and FIN_WAIT_1 on loopback last microseconds) can pass unseen.
    /// </summary>
    public sealed class SocketTableWatcher
    {
        private Dictionary<(SocketProtocol, string, int, string, int, long), SocketTableRow>? _previous;

        public List<SocketTableChange> Next(IEnumerable<SocketTableRow> rows, DateTime time)
        {
            var current = new Dictionary<(SocketProtocol, string, int, string, int, long), SocketTableRow>();
            var changes = new List<SocketTableChange>();
            foreach (SocketTableRow row in rows)
            {
                var key = SocketRowIdentity.Socket(row);
                if (current.ContainsKey(key))
                {
                    continue;
                }

                current[key] = row;
                if (_previous == null)
                {
                    changes.Add(SocketTableChange.From(row, SocketChangeType.Existing, time));
                }
                else if (!_previous.TryGetValue(key, out SocketTableRow? before))
                {
                    changes.Add(SocketTableChange.From(row, SocketChangeType.Added, time));
                }
                else if (before.State != row.State)
                {
                    changes.Add(SocketTableChange.From(row, SocketChangeType.StateChanged, time, before.State));
                }
            }

            if (_previous != null)
            {
                foreach (var pair in _previous)
                {
                    if (!current.ContainsKey(pair.Key))
                    {
                        changes.Add(SocketTableChange.From(pair.Value, SocketChangeType.Removed, time));
                    }
                }
            }

            _previous = current;
            return changes;
        }
    }
}
