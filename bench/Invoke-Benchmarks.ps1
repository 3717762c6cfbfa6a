<#
.SYNOPSIS
    Runs PSNetLab's benchmarks and writes bench/results.md. Never part of the test run.
.DESCRIPTION
    Measures in this one process so that ratios come from one run on a noisy machine. Today it
    measures Import-Module in a warm pwsh (target: 150 ms or less); later issues add the server
    and socket-table benchmarks.
#>
param([Parameter(Mandatory)] [string] $ModuleManifest, [int] $Repeat = 10)

$ErrorActionPreference = 'Stop'

function Measure-ImportModule {
    # Each import runs in a new runspace of this warm process: the assembly load is paid once
    # per process, which is what a user who imports the module in a running session sees first.
    $times = foreach ($i in 1..$Repeat) {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$ModuleManifest' -ErrorAction Stop")
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $null = $ps.Invoke()
            $watch.Stop()
            if ($ps.HadErrors) { throw $ps.Streams.Error[0] }
            $watch.Elapsed.TotalMilliseconds
        }
        finally {
            $ps.Dispose()
        }
    }
    return [pscustomobject]@{ First = $times[0]; Median = ($times | Sort-Object)[[int]($times.Count / 2)] }
}

$import = Measure-ImportModule
$lines = @(
    '# PSNetLab benchmark results'
    ''
    "Measured $(Get-Date -Format 'yyyy-MM-dd HH:mm') UTC on $([Environment]::ProcessorCount) cores, PowerShell $($PSVersionTable.PSVersion)."
    ''
    '| case | result | target |'
    '|---|---|---|'
    ('| Import-Module PSNetLab, first import in a warm pwsh | {0:N1} ms | <= 150 ms |' -f $import.First)
    ('| Import-Module PSNetLab, later imports (median of {0}) | {1:N1} ms | |' -f ($Repeat - 1), $import.Median)
)
$results = Join-Path $PSScriptRoot 'results.md'
$lines | Set-Content -Path $results -Encoding utf8
$lines | Write-Output
