using System;
using System.Management.Automation;
using System.Runtime.Serialization;

namespace PSNetLab.Servers.Hosting
{
    /// <summary>
    /// A server job's Output: the PSDataCollection that Receive-Job reads, stored in a
    /// <see cref="RingList{T}"/> so the full log drops its oldest event in O(1). PSDataCollection
    /// takes its store only through its (protected) deserializing constructor, which is what this uses.
    /// </summary>
    [Serializable]
    internal sealed class ServerEventCollection : PSDataCollection<PSObject>
    {
        private ServerEventCollection(SerializationInfo info, StreamingContext context)
            : base(info, context)
        {
        }

        /// <summary>
        /// A collection over a ring, open for writing; a plain PSDataCollection (slower drops, same
        /// behaviour) if this PowerShell's PSDataCollection does not take its store that way.
        /// </summary>
        public static PSDataCollection<PSObject> Create()
        {
            try
            {
                var info = new SerializationInfo(typeof(ServerEventCollection), new FormatterConverter());
                info.AddValue("Data", new RingList<PSObject>(), typeof(System.Collections.Generic.IList<PSObject>));
                info.AddValue("BlockingEnumerator", false);
                info.AddValue("DataAddedCount", 1);
                info.AddValue("EnumeratorNeverBlocks", false);
                info.AddValue("IsOpen", true);
                return new ServerEventCollection(info, default);
            }
            catch (Exception e) when (e is SerializationException || e is ArgumentException || e is InvalidCastException || e is PlatformNotSupportedException)
            {
                return new PSDataCollection<PSObject>();
            }
        }
    }
}
