using System;
using System.Globalization;
using System.Management.Automation;

namespace PSNetLab.Commands
{
    /// <summary>
    /// Durations are seconds as numbers (-Timeout 2.5), as the seeds' settimeout takes them; a
    /// TimeSpan works too. Without this, PowerShell would read an integer as ticks.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class DurationTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            TimeSpan duration;
            switch (value)
            {
                case TimeSpan span:
                    duration = span;
                    break;
                case string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds):
                    duration = FromSeconds(seconds);
                    break;
                case string text when TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan parsed):
                    duration = parsed;
                    break;
                case IConvertible number when !(value is string) && !(value is bool) && !(value is char):
                    duration = FromSeconds(number.ToDouble(CultureInfo.InvariantCulture));
                    break;
                default:
                    throw new ArgumentTransformationMetadataException($"'{value}' is not a duration: give seconds as a number (2.5) or a TimeSpan.");
            }

            if (duration < TimeSpan.Zero)
            {
                throw new ArgumentTransformationMetadataException($"'{value}' is negative: a duration is 0 seconds or more.");
            }

            return duration;
        }

        private static TimeSpan FromSeconds(double seconds)
        {
            if (double.IsNaN(seconds) || seconds > TimeSpan.MaxValue.TotalSeconds)
            {
                throw new ArgumentTransformationMetadataException($"{seconds} is not a usable number of seconds.");
            }

            return TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
        }
    }
}
