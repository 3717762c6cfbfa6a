# PSNetLab.Pester: registers PSNetLab's Should operators with Pester 5. A nested module of PSNetLab,
# parsed and run on every Import-Module, so it holds only what the import needs: the function's
# signature and the check for Pester. What the function does (Register-NetLabShouldOperator.ps1)
# and the operators themselves (PSNetLab.ShouldOperators.ps1) are parsed only when it is called.
# No Export-ModuleMember: the manifest's FunctionsToExport already names the one function, and the
# command would be one more to start at every import.

function Register-NetLabShouldOperator {
    <#
    .ExternalHelp PSNetLab.dll-Help.xml
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([switch] $PassThru)

    . "$PSScriptRoot/Register-NetLabShouldOperator.ps1"
}

# Pester loaded first (Invoke-Pester, then Import-Module PSNetLab in BeforeAll): register now.
# Otherwise Start-NetLabFixture or a call to Register-NetLabShouldOperator does it.
if (Get-Module Pester | Where-Object { $_.Version.Major -ge 5 }) { Register-NetLabShouldOperator }
