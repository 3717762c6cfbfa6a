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
        private ServerEventCollection(SerializationInfo info, StreamingContext context)
            : base(info, context)
        {
        }

        /// <summary>
        /// A collection over <paramref name="store"/>, open for writing; a plain PSDataCollection (slower
        /// drops, same behaviour) and no store if this PowerShell's PSDataCollection does not take its
        /// store that way.
        /// </summary>
        public static PSDataCollection<PSObject> Create(out LazilyWrappedList<PSObject>? store)
        {
            store = null;
            try
            {
                var ring = new LazilyWrappedList<PSObject>(unwrapped => new PSObject(unwrapped));
                var info = new SerializationInfo(typeof(ServerEventCollection), new FormatterConverter());
                info.AddValue("Data", ring, typeof(System.Collections.Generic.IList<PSObject>));
                info.AddValue("BlockingEnumerator", false);
                info.AddValue("DataAddedCount", 1);
                info.AddValue("EnumeratorNeverBlocks", false);
                info.AddValue("IsOpen", true);
                var collection = new ServerEventCollection(info, default);
                store = ring;
                return collection;
            }
            catch (Exception e) when (e is SerializationException || e is ArgumentException || e is InvalidCastException || e is PlatformNotSupportedException)
            {
                return new PSDataCollection<PSObject>();
            }
        }
    }
}
