using System;
using System.Collections.Generic;
using System.Linq;

namespace PSNetLab.Labs
{
    /// <summary>
    /// What existed when a lab's BeforeAll began: every server and job not in <see cref="Known"/>
    /// was started by the lab, so Stop-NetLabFixture can stop exactly those, even after a failed test.
    /// </summary>
    public sealed class NetLabFixture
    {
        // Open fixtures of this process, newest last: Stop-NetLabFixture without -Fixture closes the newest.
        private static readonly List<NetLabFixture> Open = new List<NetLabFixture>();

        private NetLabFixture(string name, IEnumerable<Guid> known)
        {
            Name = name;
            Known = new HashSet<Guid>(known);
        }

        public string Name { get; }

        public DateTime StartTime { get; } = DateTime.Now;

        /// <summary>Instance ids of the servers and jobs that existed before the fixture started.</summary>
        public IReadOnlyCollection<Guid> Known { get; }

        public bool IsOpen
        {
            get
            {
                lock (Open)
                {
                    return Open.Contains(this);
                }
            }
        }

        public static NetLabFixture Start(string name, IEnumerable<Guid> known)
        {
            var fixture = new NetLabFixture(name, known);
            lock (Open)
            {
                Open.Add(fixture);
            }

            return fixture;
        }

        public static NetLabFixture? Newest()
        {
            lock (Open)
            {
                return Open.LastOrDefault();
            }
        }

        public void Close()
        {
            lock (Open)
            {
                Open.Remove(this);
            }
        }

        public bool StartedAfter(Guid instanceId) => !((HashSet<Guid>)Known).Contains(instanceId);

        public override string ToString() => $"{Name} (since {StartTime:HH:mm:ss}, {Known.Count} servers and jobs before it)";
    }
}
