using System;
using System.Management.Automation;
using System.Runtime.Serialization;

namespace PSNetLab.Servers.Hosting
{
    /// <summary>
    /// A server job's Output: the PSDataCollection that Receive-Job reads, stored in a
    /// <see cref="LazilyWrappedList{T}"/> (a ring) so the full log drops its oldest event in O(1) and
    /// takes events nobody watches without a PSObject each. PSDataCollection takes its store only
    /// through its (protected) deserializing constructor, which is what this uses.
    /// </summary>
    [Serializable]
    internal sealed class ServerEventCollection : PSDataCollection<PSObject>
    {
        private readonly LazilyWrappedList<PSObject> _store;

        private ServerEventCollection(SerializationInfo info, LazilyWrappedList<PSObject> store)
            : base(info, default)
        {
            _store = store;
        }

        /// <summary>
        /// A collection over a ring, open for writing; a plain PSDataCollection (slower drops, every
        /// event through Add, same behaviour) if this PowerShell's PSDataCollection does not take its
        /// store that way.
        /// </summary>
        public static PSDataCollection<PSObject> Create()
        {
            try
            {
                var store = new LazilyWrappedList<PSObject>(unwrapped => new PSObject(unwrapped));
                var info = new SerializationInfo(typeof(ServerEventCollection), new FormatterConverter());
                info.AddValue("Data", store, typeof(System.Collections.Generic.IList<PSObject>));
                info.AddValue("BlockingEnumerator", false);
                info.AddValue("DataAddedCount", 1);
                info.AddValue("EnumeratorNeverBlocks", false);
                info.AddValue("IsOpen", true);
                return new ServerEventCollection(info, store);
            }
            catch (Exception e) when (e is SerializationException || e is ArgumentException || e is InvalidCastException || e is PlatformNotSupportedException)
            {
                return new PSDataCollection<PSObject>();
            }
        }

        /// <summary>
        /// Appends <paramref name="serverEvent"/> as it is, to get its PSObject when something reads it,
        /// unless anything watches the collection (<see cref="CollectionWatchers"/>): then false, and
        /// the caller adds it. Call under the collection's lock. Whatever starts watching after the
        /// check (Receive-Job -Wait) first reads what the log holds under that lock, so it still gets
        /// the event.
        /// </summary>
        public bool TryAppendUnwatched(ServerEvent serverEvent, int capacity, out int dropped)
        {
            if (CollectionWatchers.NeedsAdd(this))
            {
                dropped = 0;
                return false;
            }

            dropped = _store.AppendUnwrapped(serverEvent, capacity);
            return true;
        }
    }
}
