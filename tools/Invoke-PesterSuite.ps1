<#
.SYNOPSIS
    Runs the Pester suite in this (child) process and writes the counts as JSON for build.ps1.
#>
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string[]] $TestPath,
    [Parameter(Mandatory)] [string] $ResultFile,
    # The classroom labs, each checked against its reference solution.
    [string] $LabPath
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest -Force
# Test files import the staged module from here (tests/Pester/TestSetup.ps1).
$env:PSNETLAB_MODULE = (Resolve-Path $ModuleManifest).Path

$config = New-PesterConfiguration
$config.Run.Path = @($TestPath) + @($LabPath | Where-Object { $_ })
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = [IO.Path]::ChangeExtension($ResultFile, '.xml')

$result = Invoke-Pester -Configuration $config
# A failure in BeforeAll or in discovery fails a whole block or file without failing a test: count those too.
[pscustomobject]@{
    Passed  = $result.PassedCount
    Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount + $result.NotRunCount
} | ConvertTo-Json | Set-Content -Path $ResultFile -Encoding utf8

exit ([int]($result.Result -ne 'Passed'))
