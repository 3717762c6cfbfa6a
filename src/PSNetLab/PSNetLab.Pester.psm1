# PSNetLab.Pester: registers PSNetLab's Should operators with Pester 5. A nested module of PSNetLab,
# parsed on every Import-Module: the operators themselves live in PSNetLab.ShouldOperators.ps1
# and are loaded only when Pester is in use.

function Register-NetLabShouldOperator {
    <#
    .ExternalHelp PSNetLab.dll-Help.xml
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([switch] $PassThru)

    $pester = Get-Module Pester | Where-Object { $_.Version.Major -ge 5 } | Select-Object -First 1
    if (-not $pester) {
        $pester = Import-Module Pester -MinimumVersion 5.0 -Global -PassThru -ErrorAction Ignore | Select-Object -First 1
    }
    if (-not $pester) {
        $exception = [System.InvalidOperationException]::new('Pester 5 is neither loaded nor installed: run Install-Module Pester -MinimumVersion 5.0, then Import-Module Pester.')
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($exception, 'PesterNotFound', 'ObjectNotFound', $null))
    }
    $operators = [scriptblock]::Create([System.IO.File]::ReadAllText("$PSScriptRoot/PSNetLab.ShouldOperators.ps1"))
    $null = New-Module -Name PSNetLab.ShouldOperators -ScriptBlock $operators -ArgumentList $pester
    if ($PassThru) { 'BeListening', 'HaveSocketState', 'ReplyWith' }
}

# Pester loaded first (Invoke-Pester, then Import-Module PSNetLab in BeforeAll): register now.
# Otherwise Start-NetLabFixture or a call to Register-NetLabShouldOperator does it.
if (Get-Module Pester | Where-Object { $_.Version.Major -ge 5 }) { Register-NetLabShouldOperator }

Export-ModuleMember -Function Register-NetLabShouldOperator
