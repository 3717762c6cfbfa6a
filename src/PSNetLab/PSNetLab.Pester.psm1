# PSNetLab.Pester: registers PSNetLab's Should operators with Pester 5. A nested module of PSNetLab,
# parsed and run on every Import-Module, so it holds only the function's signature. What the
# function does (Register-NetLabShouldOperator.ps1) and the operators themselves
# (PSNetLab.ShouldOperators.ps1) are parsed only when it is called: by the import when Pester 5 is
# already loaded (Commands/ShouldOperatorsOnImport.cs), by Start-NetLabFixture, or by the user.
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
