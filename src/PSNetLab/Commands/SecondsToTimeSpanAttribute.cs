using System;
using System.Globalization;
using System.Management.Automation;

namespace PSNetLab.Commands
{
    /// <summary>
    /// Lets a TimeSpan parameter take a plain number of seconds ("-Duration 5", "-Interval 0.25").
    /// Without it PowerShell reads a number as ticks, and 5 would mean half a microsecond.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SecondsToTimeSpanAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case TimeSpan span:
                    return span;
                case string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds):
                    return FromSeconds(seconds);
                case string text when TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan parsed):
                    return parsed;
                case byte _:
                case sbyte _:
                case short _:
                case ushort _:
                case int _:
                case uint _:
                case long _:
                case ulong _:
                case float _:
                case double _:
                case decimal _:
                    return FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                default:
                    throw new ArgumentTransformationMetadataException(
                        $"'{value}' is not a duration: give seconds (5, 0.25) or a TimeSpan ('00:01:00', [timespan]::FromMinutes(1)).");
            }
        }

        private static TimeSpan FromSeconds(double seconds)
        {
            if (double.IsNaN(seconds) || seconds < 0 || seconds > TimeSpan.MaxValue.TotalSeconds)
            {
                throw new ArgumentTransformationMetadataException($"{seconds} seconds is not a duration: give a number of seconds from 0 up.");
            }

            return TimeSpan.FromSeconds(seconds);
        }
    }
}
