using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Management.Automation;
using PSNetLab.Servers.Tcp.Workers;

namespace PSNetLab.Servers.Hosting
{
    /// <summary>
    /// How a Process-mode worker is hosted: a child of the same PowerShell executable as the
    /// server (pwsh, powershell.exe, or `dotnet pwsh.dll` under `dotnet pwsh`) that imports this
    /// assembly from its own folder and calls <see cref="Run"/>. A child PowerShell, not a tiny
    /// dotnet program, because a ScriptBlock handler needs a PowerShell to run in, and because it
    /// is sure to exist wherever the module is loaded.
    /// </summary>
    public static class ProcessWorkerHost
    {
        /// <summary>The command line of a worker; the control address is its only variable part.</summary>
        public static WorkerHostCommand Command()
        {
            string self = Process.GetCurrentProcess().MainModule!.FileName!;
            var arguments = new List<string>();
            if (string.Equals(Path.GetFileNameWithoutExtension(self), "dotnet", StringComparison.OrdinalIgnoreCase))
            {
                // `dotnet pwsh` runs pwsh.dll inside the dotnet host: the child needs the same.
                arguments.Add(Path.Combine(Path.GetDirectoryName(typeof(PSObject).Assembly.Location)!, "pwsh.dll"));
            }

            string assembly = typeof(ProcessWorkerHost).Assembly.Location.Replace("'", "''");
            arguments.AddRange(new[]
            {
                "-NoLogo", "-NoProfile", "-NonInteractive", "-Command",
                $"Import-Module -Name '{assembly}' -ErrorAction Stop; exit [PSNetLab.Servers.Hosting.ProcessWorkerHost]::Run('{WorkerHostCommand.AddressPlaceholder}')",
            });
            return new WorkerHostCommand(self, arguments);
        }

        /// <summary>The worker's entry point; not for interactive use (it serves until its server goes away).</summary>
        [EditorBrowsable(EditorBrowsableState.Never)]
        public static int Run(string address)
        {
            // Read and remove the token, so nothing the handler starts inherits it.
            string token = Environment.GetEnvironmentVariable(WorkerHostCommand.TokenVariable) ?? string.Empty;
            Environment.SetEnvironmentVariable(WorkerHostCommand.TokenVariable, null);
            int exitCode = WorkerService.Run(address, token, ScriptBlockHandler.FromDefinition);

            // A handler stuck in a .NET call can hold a runspace thread forever: end the process regardless.
            Environment.Exit(exitCode);
            return exitCode;
        }
    }
}
