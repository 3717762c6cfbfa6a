using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using PSNetLab.Errors;
using PSNetLab.Servers.Handlers;

namespace PSNetLab.Commands
{
    /// <summary>-Dictionary takes a hashtable, or the path of a 'word = translation' file that becomes one.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class DictionaryTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (!(value is string path) && !(value is System.IO.FileInfo))
            {
                return inputData;
            }

            string fullPath = engineIntrinsics.SessionState.Path.GetUnresolvedProviderPathFromPSPath(value.ToString());
            try
            {
                var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
                foreach (KeyValuePair<string, string> word in DictionaryFile.Read(fullPath))
                {
                    table[word.Key] = word.Value;
                }

                return table;
            }
            catch (NetLabException e)
            {
                throw new ArgumentTransformationMetadataException(e.Message, e);
            }
        }
    }
}
