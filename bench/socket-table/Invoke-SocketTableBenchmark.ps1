<#
.SYNOPSIS
    Times Get-SocketTable against ss and .NET's IPGlobalProperties on 1k and 10k loopback sockets.
.DESCRIPTION
    For each size, starts New-SocketPopulation.ps1 in a child process (with `ulimit -n` raised),
    then in this one pwsh session times, median of -Repeat runs after a warm-up:
    Get-SocketTable (plain, -IncludeProcess, -State Listen), `ss -tuan` and `ss -tuanp` (started
    and read to the end, as a script would use them) and IPGlobalProperties'
    GetActiveTcpConnections + GetActiveTcpListeners + GetActiveUdpListeners.
    Writes results.md beside this script. Linux only: ss is the yardstick.
.EXAMPLE
    dotnet pwsh ./bench/socket-table/Invoke-SocketTableBenchmark.ps1 -ModuleManifest ./out/PSNetLab/PSNetLab.psd1
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [int[]] $Size = @(1000, 10000),
    [ValidateRange(3, 101)] [int] $Repeat = 15,
    [string] $ResultFile = (Join-Path $PSScriptRoot 'results.md')
)

$ErrorActionPreference = 'Stop'
if (-not $IsLinux) { throw 'The socket-table benchmark compares against ss and runs on Linux only.' }
Import-Module (Resolve-Path $ModuleManifest).Path -Force

function Measure-Median([scriptblock] $Work) {
    $null = & $Work   # warm-up: JIT, page cache, first /proc walk
    $times = foreach ($i in 1..$Repeat) {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $null = & $Work
        $clock.Elapsed.TotalMilliseconds
    }
    ($times | Sort-Object)[[int][math]::Floor($times.Count / 2)]
}

# ss is timed as a script uses it: started, and its whole output read.
function Invoke-Ss([string] $Options) {
    $info = [System.Diagnostics.ProcessStartInfo]::new('ss', $Options)
    $info.RedirectStandardOutput = $true
    $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    $text = $process.StandardOutput.ReadToEnd()
    $process.WaitForExit()
    $process.Dispose()
    $text
}

function Start-Population([int] $Count) {
    $dir = Join-Path ([IO.Path]::GetTempPath()) "psnetlab-bench-$PID-$Count"
    $null = New-Item -ItemType Directory -Force $dir
    $ready = Join-Path $dir 'ready.json'
    $stop = Join-Path $dir 'stop'
    $pwsh = [Environment]::ProcessPath
    $prefix = if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { "'$(Join-Path $PSHOME 'pwsh.dll')'" } else { '' }
    $script = Join-Path $PSScriptRoot 'New-SocketPopulation.ps1'
    # The population needs an fd per socket: raise the soft limit as far as the hard limit allows.
    $command = "ulimit -n `$(ulimit -Hn); exec '$pwsh' $prefix -NoProfile -NonInteractive -File '$script' -Size $Count -ReadyFile '$ready' -StopFile '$stop' -HoldSeconds 300"
    $process = Start-Process bash -ArgumentList '-c', "`"$command`"" -PassThru
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    while (-not (Test-Path $ready)) {
        if ($process.HasExited) { throw "The population process for $Count sockets exited with $($process.ExitCode)." }
        if ($clock.Elapsed.TotalSeconds -gt 120) { Stop-Process -Id $process.Id -Force; throw "The population of $Count sockets was not ready within 120 s." }
        Start-Sleep -Milliseconds 100
    }
    Start-Sleep -Milliseconds 200   # let the ready file's writer finish
    [pscustomobject]@{ Process = $process; Dir = $dir; Stop = $stop; Summary = Get-Content -Raw $ready | ConvertFrom-Json }
}

function Stop-Population($Population) {
    Set-Content -Path $Population.Stop -Value 'stop'
    if (-not $Population.Process.WaitForExit(30000)) { Stop-Process -Id $Population.Process.Id -Force }
    Remove-Item -Recurse -Force -ErrorAction Ignore $Population.Dir
}

$ip = [System.Net.NetworkInformation.IPGlobalProperties]::GetIPGlobalProperties()
$results = foreach ($count in $Size) {
    $population = Start-Population $count
    try {
        $rows = @(Get-SocketTable).Count
        $ssRows = ((Invoke-Ss '-tuanH') -split "`n" | Where-Object { $_ }).Count
        $m = [ordered]@{
            Size            = $count
            Rows            = $rows
            SsRows          = $ssRows
            Table           = Measure-Median { Get-SocketTable }
            TableProcess    = Measure-Median { Get-SocketTable -IncludeProcess }
            TableListen     = Measure-Median { Get-SocketTable -State Listen }
            Ss              = Measure-Median { Invoke-Ss '-tuan' }
            SsProcess       = Measure-Median { Invoke-Ss '-tuanp' }
            DotNet          = Measure-Median { $ip.GetActiveTcpConnections(); $ip.GetActiveTcpListeners(); $ip.GetActiveUdpListeners() }
        }
        [pscustomobject]$m
        Write-Host ("{0,6} sockets: table {1:0.0} ms, -IncludeProcess {2:0.0} ms, -State Listen {3:0.0} ms; ss -tuan {4:0.0} ms, ss -tuanp {5:0.0} ms; IPGlobalProperties {6:0.0} ms" -f `
                $count, $m.Table, $m.TableProcess, $m.TableListen, $m.Ss, $m.SsProcess, $m.DotNet)
    }
    finally {
        Stop-Population $population
    }
}

function Format-Row([string] $Case, [double] $Ours, [string] $Against, [double] $Theirs, [double] $Target, [string] $TargetText) {
    $ratio = $Ours / $Theirs
    '| {0} | {1:0.0} | {2} | {3:0.0} | {4:0.00} | {5} | {6} |' -f $Case, $Ours, $Against, $Theirs, $ratio, $TargetText, $(if ($ratio -le $Target) { 'yes' } else { 'no' })
}

$big = $results | Where-Object Size -EQ ($Size | Measure-Object -Maximum).Maximum
$small = $results | Where-Object Size -EQ ($Size | Measure-Object -Minimum).Minimum
$cpu = (Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^.*:\s*', ''
$lines = @(
    '# Get-SocketTable benchmark'
    ''
    "Run $(Get-Date -Format 'yyyy-MM-dd HH:mm') on $([Environment]::ProcessorCount) x $cpu, $([System.Runtime.InteropServices.RuntimeInformation]::OSDescription), PowerShell $($PSVersionTable.PSVersion)."
    "Median of $Repeat runs after one warm-up, all in one pwsh session; ss is started and its output read to the end."
    "Populations (New-SocketPopulation.ps1): " + (($results | ForEach-Object { "$($_.Size): $($_.Rows) TCP/UDP rows (ss -tuan: $($_.SsRows))" }) -join '; ') + '.'
    ''
    '| case | Get-SocketTable ms | against | their ms | ratio | target | met |'
    '|---|---:|---|---:|---:|---|---|'
    (Format-Row "$($big.Size) sockets, without process names" $big.Table 'ss -tuan' $big.Ss 1.2 '<= 1.2')
    (Format-Row "$($big.Size) sockets, with process names" $big.TableProcess 'ss -tuanp' $big.SsProcess 0.5 '<= 0.5')
    (Format-Row "$($small.Size) sockets, with process names" $small.TableProcess 'ss -tuanp' $small.SsProcess 1.0 '<= 1.0')
    (Format-Row "-State Listen on $($big.Size)" $big.TableListen 'ss -tuan' $big.Ss 0.25 '<= 0.25')
    (Format-Row "$($big.Size) sockets vs IPGlobalProperties" $big.Table 'IPGlobalProperties' $big.DotNet (1 / 3) '<= 0.33 (3x faster)')
    ''
    '| size | table | -IncludeProcess | -State Listen | ss -tuan | ss -tuanp | IPGlobalProperties |'
    '|---:|---:|---:|---:|---:|---:|---:|'
    ($results | ForEach-Object { '| {0} | {1:0.0} | {2:0.0} | {3:0.0} | {4:0.0} | {5:0.0} | {6:0.0} |' -f $_.Size, $_.Table, $_.TableProcess, $_.TableListen, $_.Ss, $_.SsProcess, $_.DotNet })
)
$lines | Set-Content -Path $ResultFile
$lines | Write-Output
