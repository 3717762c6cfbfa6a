using System;
using System.Collections.Generic;
using System.Linq;

namespace PSNetLab.Ports
{
    /// <summary>The system services database with the built-in table merged in, read once per process.</summary>
    public static class PortCatalog
    {
        private static readonly Lazy<IReadOnlyList<WellKnownPort>> SystemCatalog =
            new Lazy<IReadOnlyList<WellKnownPort>>(() => Merge(ServicesFile.TryRead(ServicesFile.DefaultPath), BuiltInPorts.Entries));

        public static IReadOnlyList<WellKnownPort> Entries => SystemCatalog.Value;

        /// <summary>
        /// System entries win; a built-in entry adds its aliases to the system entry for the same
        /// name, port and protocol, and is added whole when the system has nothing on that port.
        /// </summary>
        public static IReadOnlyList<WellKnownPort> Merge(IReadOnlyList<WellKnownPort> system, IReadOnlyList<WellKnownPort> builtIn)
        {
            var merged = new List<WellKnownPort>(system);
            foreach (WellKnownPort extra in builtIn)
            {
                int index = merged.FindIndex(e => e.Port == extra.Port && e.Protocol == extra.Protocol);
                if (index < 0)
                {
                    merged.Add(extra);
                    continue;
                }

                WellKnownPort existing = merged[index];
                string[] newAliases = extra.Aliases.Append(extra.Name)
                    .Where(a => !string.Equals(a, existing.Name, StringComparison.OrdinalIgnoreCase)
                             && !existing.Aliases.Contains(a, StringComparer.OrdinalIgnoreCase))
                    .Distinct(StringComparer.OrdinalIgnoreCase)
                    .ToArray();
                if (newAliases.Length > 0)
                {
                    merged[index] = existing.WithAliases(existing.Aliases.Concat(newAliases).ToArray());
                }
            }

            merged.Sort((a, b) => a.Port != b.Port ? a.Port.CompareTo(b.Port) : a.Protocol.CompareTo(b.Protocol));
            return merged;
        }
    }
}
