using System;
using System.Linq;
using System.Linq.Expressions;
using System.Management.Automation;
using System.Reflection;

namespace PSNetLab.Servers.Hosting
{
    /// <summary>
    /// Whether an item may be put into a PSDataCollection's store without its Add, because nothing
    /// would notice the difference. Add refuses a closed collection, serializes the item when asked
    /// to, raises DataAdding and DataAdded (Receive-Job -Wait reads each added item from DataAdded's
    /// index), sets the internal wait handle readers block on, and wakes blocking enumerators.
    /// Nothing public tells whether an event has handlers, and the public flags each take the
    /// collection's lock again, so this reads PowerShell's own fields. Where one is not found
    /// (another PowerShell), the answer is always "use Add".
    /// </summary>
    internal static class CollectionWatchers
    {
        private static readonly Func<PSDataCollection<PSObject>, bool>? NeedsAddCheck = CompileNeedsAddCheck();

        /// <summary>True when this PowerShell's collection has the fields the check reads.</summary>
        public static bool CanTell => NeedsAddCheck != null;

        /// <summary>Call under the collection's lock, and when this is false store the item under that same lock.</summary>
        public static bool NeedsAdd(PSDataCollection<PSObject> collection) => NeedsAddCheck == null || NeedsAddCheck(collection);

        /// <summary>
        /// (collection) => !open || blocking enumerator || serialize input || DataAdded != null ||
        /// DataAdding != null || wait handle != null, compiled once: a field read each, no reflection per item.
        /// Windows PowerShell 5.1 names some of these fields without the underscore.
        /// </summary>
        private static Func<PSDataCollection<PSObject>, bool>? CompileNeedsAddCheck()
        {
            try
            {
                Type type = typeof(PSDataCollection<PSObject>);
                FieldInfo?[] flags = { Field(type, typeof(bool), "_blockingEnumerator", "blockingEnumerator"), Field(type, typeof(bool), "_serializeInput", "serializeInput") };
                FieldInfo?[] watchers = { Field(type, null, "DataAdded"), Field(type, null, "DataAdding"), Field(type, null, "_readWaitHandle", "readWaitHandle") };
                FieldInfo? open = Field(type, typeof(bool), "_isOpen", "isOpen");
                if (open == null || flags.Contains(null) || watchers.Contains(null))
                {
                    return null;
                }

                ParameterExpression collection = Expression.Parameter(type, "collection");
                Expression check = Expression.Not(Expression.Field(collection, open));
                foreach (FieldInfo? flag in flags)
                {
                    check = Expression.OrElse(check, Expression.Field(collection, flag!));
                }

                foreach (FieldInfo? watcher in watchers)
                {
                    check = Expression.OrElse(check, Expression.ReferenceNotEqual(Expression.Field(collection, watcher!), Expression.Constant(null, watcher!.FieldType)));
                }

                Func<PSDataCollection<PSObject>, bool> needsAdd = Expression.Lambda<Func<PSDataCollection<PSObject>, bool>>(check, collection).Compile();

                // Where reading private fields is refused (a partial-trust host), it is refused here, once.
                using (var probe = new PSDataCollection<PSObject>())
                {
                    needsAdd(probe);
                }

                return needsAdd;
            }
            catch (Exception)
            {
                // Whatever failed to build or run the check, every item simply goes through Add.
                return null;
            }
        }

        /// <summary>The first field of these names, of type <paramref name="valueType"/> (or any reference type when null).</summary>
        private static FieldInfo? Field(Type type, Type? valueType, params string[] names) =>
            names.Select(name => type.GetField(name, BindingFlags.Instance | BindingFlags.NonPublic))
                .FirstOrDefault(field => field != null && (valueType == null ? !field.FieldType.IsValueType : field.FieldType == valueType));
    }
}
