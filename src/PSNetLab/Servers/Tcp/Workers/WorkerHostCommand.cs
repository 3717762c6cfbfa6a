using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;

namespace PSNetLab.Servers.Tcp.Workers
{
    /// <summary>
    /// The command line that starts one worker process; <see cref="AddressPlaceholder"/> in an
    /// argument is replaced by the worker's control-channel address, with single quotes doubled
    /// because the placeholder sits inside a single-quoted PowerShell string. Only the address is on the
    /// command line: the token and the handler (a ScriptBlock's text) go over the channel or the
    /// environment, where other users cannot read them with ps.
    /// </summary>
    public sealed class WorkerHostCommand
    {
        public const string AddressPlaceholder = "{address}";

        /// <summary>The environment variable that carries the worker's secret token.</summary>
        public const string TokenVariable = "PSNETLAB_WORKER_TOKEN";

        private const string TelemetryOptOutVariable = "POWERSHELL_TELEMETRY_OPTOUT";

        /// <summary>The runtime's dynamic PGO switch; set for workers unless the user's environment sets it.</summary>
        public const string TieredPgoVariable = "DOTNET_TieredPGO";

        public WorkerHostCommand(string fileName, IReadOnlyList<string> arguments)
        {
            FileName = fileName;
            Arguments = arguments;
        }

        public string FileName { get; }

        public IReadOnlyList<string> Arguments { get; }

        public ProcessStartInfo ToStartInfo(string address, string token)
        {
            var info = new ProcessStartInfo(FileName, string.Join(" ", Arguments.Select(a => Quote(a.Replace(AddressPlaceholder, address.Replace("'", "''"))))))
            {
                UseShellExecute = false,
                CreateNoWindow = true,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            info.EnvironmentVariables[TokenVariable] = token;

            // A worker is part of its server, not a PowerShell session of the user's: without this each
            // one starts PowerShell's telemetry, whose start-up (Application Insights, JIT on pool
            // threads) took a share of every worker's CPU in its first minute of serving.
            info.EnvironmentVariables[TelemetryOptOutVariable] = "1";

            // Every worker compiles the connection loop for itself once load arrives. With dynamic PGO
            // each hot method is compiled three times (tier 0, instrumented, optimised): 16 fresh
            // workers spent 2.8-3.7 CPU-seconds in the JIT during their first 10 s of load, 0.5-0.6
            // without it, and the served rate once warm did not differ (bench/NOTES.md).
            if (!info.EnvironmentVariables.ContainsKey(TieredPgoVariable))
            {
                info.EnvironmentVariables[TieredPgoVariable] = "0";
            }

            return info;
        }

        public override string ToString() => FileName + " " + string.Join(" ", Arguments);

        /// <summary>Quotes one argument the way the MSVC runtime and .NET parse command lines (netstandard2.0 has no ArgumentList).</summary>
        public static string Quote(string argument)
        {
            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '"', '\n' }) < 0)
            {
                return argument;
            }

            var quoted = new StringBuilder("\"");
            int backslashes = 0;
            foreach (char c in argument)
            {
                if (c == '\\')
                {
                    backslashes++;
                    continue;
                }

                quoted.Append('\\', c == '"' ? (backslashes * 2) + 1 : backslashes);
                backslashes = 0;
                quoted.Append(c);
            }

            quoted.Append('\\', backslashes * 2).Append('"');
            return quoted.ToString();
        }
    }
}
