using System;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace PSNetLab.Commands
{
    /// <summary>
    /// Import-Module PSNetLab in a session that already has Pester 5 (Invoke-Pester, then the import in
    /// BeforeAll) registers the Should operators. The check lives here rather than in
    /// PSNetLab.Pester.psm1 because here it costs nothing when Pester is not in the process: a
    /// Get-Module in the nested module was a fifth of every import's time.
    /// </summary>
    public sealed class ShouldOperatorsOnImport : IModuleAssemblyInitializer
    {
        // PowerShell calls OnImport after the nested module has loaded but before its function reaches
        // the importing session, so the function is called through that module.
        private const string RegisterIfPesterIsLoaded = @"
param([string] $ModuleBase)
if (Get-Module Pester | Where-Object { $_.Version.Major -ge 5 }) {
    $pesterPart = Get-Module -All -Name PSNetLab.Pester | Where-Object ModuleBase -EQ $ModuleBase | Select-Object -Last 1
    if ($pesterPart) { & $pesterPart { Register-NetLabShouldOperator } }
}";

        public void OnImport()
        {
            // Pester 5 loads its own Pester.dll when it is imported: without that assembly no session
            // of this process has Pester 5, and there is nothing to ask PowerShell.
            if (!AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Pester"))
            {
                return;
            }

            string moduleBase = Path.GetDirectoryName(typeof(ShouldOperatorsOnImport).Assembly.Location);
            ScriptBlock.Create(RegisterIfPesterIsLoaded).Invoke(moduleBase);
        }
    }
}
