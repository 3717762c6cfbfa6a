# What Register-NetLabShouldOperator (PSNetLab.Pester.psm1) does, dot-sourced into it so that
# $PassThru and $PSCmdlet are the function's own. A file of its own because Import-Module parses
# the whole nested module every time: this part is parsed only when the function is called.

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
