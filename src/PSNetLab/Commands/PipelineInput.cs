using System.Management.Automation;

namespace PSNetLab.Commands
{
    /// <summary>
    /// Reads pipeline items that arrive through an Object-typed parameter. Such a parameter binds
    /// every piped object by value, so properties that would otherwise bind by name are read here.
    /// </summary>
    internal static class PipelineInput
    {
        public static object Unwrap(object item) => item is PSObject wrapped ? wrapped.BaseObject : item;

        /// <summary>The value of the first of <paramref name="names"/> that the item has as a property.</summary>
        public static bool TryGetProperty(object item, out object? value, params string[] names)
        {
            PSObject wrapped = PSObject.AsPSObject(item);
            foreach (string name in names)
            {
                PSPropertyInfo? property = wrapped.Properties[name];
                if (property != null)
                {
                    value = property.Value is PSObject inner ? inner.BaseObject : property.Value;
                    return true;
                }
            }

            value = null;
            return false;
        }
    }
}
