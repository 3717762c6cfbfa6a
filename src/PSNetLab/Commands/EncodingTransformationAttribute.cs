using System;
using System.Management.Automation;
using System.Text;
using PSNetLab.Errors;
using PSNetLab.Text;

namespace PSNetLab.Commands
{
    /// <summary>-Encoding takes a name (utf-8, gbk, any .NET name) or an Encoding object, on every text cmdlet.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class EncodingTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            try
            {
                switch (value)
                {
                    case Encoding encoding:
                        return TextEncodings.Tolerant(encoding);
                    case int codePage:
                        return TextEncodings.Tolerant(Encoding.GetEncoding(codePage));
                    default:
                        return TextEncodings.Resolve(value?.ToString() ?? string.Empty);
                }
            }
            catch (NetLabException e)
            {
                throw new ArgumentTransformationMetadataException(e.Message, e);
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException)
            {
                throw new ArgumentTransformationMetadataException($"Code page {value} is not an encoding this system knows.", e);
            }
        }
    }
}
