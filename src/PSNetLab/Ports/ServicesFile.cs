using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace PSNetLab.Ports
{
    /// <summary>
    /// Reads the services(5) format: "name port/protocol [aliases...] [# comment]". Linux, macOS
    /// and Windows (%SystemRoot%\System32\drivers\etc\services) all use it.
    /// </summary>
    public static class ServicesFile
    {
        public static string DefaultPath =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.System), "drivers", "etc", "services")
                : "/etc/services";

        /// <summary>The entries of the file, or an empty list when it does not exist or cannot be read.</summary>
        public static IReadOnlyList<WellKnownPort> TryRead(string path)
        {
            try
            {
                return File.Exists(path) ? Parse(File.ReadAllLines(path)) : Array.Empty<WellKnownPort>();
            }
            catch (IOException)
            {
                return Array.Empty<WellKnownPort>();
            }
            catch (UnauthorizedAccessException)
            {
                return Array.Empty<WellKnownPort>();
            }
        }

        public static IReadOnlyList<WellKnownPort> Parse(IEnumerable<string> lines)
        {
            var entries = new List<WellKnownPort>();
            foreach (string line in lines)
            {
                WellKnownPort? entry = ParseLine(line);
                if (entry != null)
                {
                    entries.Add(entry);
                }
            }

            return entries;
        }

        public static WellKnownPort? ParseLine(string line)
        {
            int hash = line.IndexOf('#');
            string body = hash >= 0 ? line.Substring(0, hash) : line;
            string? comment = hash >= 0 ? line.Substring(hash + 1).Trim() : null;
            string[] fields = body.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2)
            {
                return null;
            }

            string[] portAndProtocol = fields[1].Split('/');
            if (portAndProtocol.Length != 2
                || !int.TryParse(portAndProtocol[0], NumberStyles.None, CultureInfo.InvariantCulture, out int port)
                || port > PortNumber.Max
                || !TryParseProtocol(portAndProtocol[1], out PortProtocol protocol))
            {
                return null;
            }

            var aliases = new string[fields.Length - 2];
            Array.Copy(fields, 2, aliases, 0, aliases.Length);
            return new WellKnownPort(fields[0], port, protocol, aliases, string.IsNullOrEmpty(comment) ? null : comment, PortSource.System);
        }

        private static bool TryParseProtocol(string text, out PortProtocol protocol)
        {
            switch (text.ToLowerInvariant())
            {
                case "tcp":
                    protocol = PortProtocol.Tcp;
                    return true;
                case "udp":
                    protocol = PortProtocol.Udp;
                    return true;
                default:
                    protocol = default;
                    return false;
            }
        }
    }
}
