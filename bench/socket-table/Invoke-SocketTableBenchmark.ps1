<#
.SYNOPSIS
    Times Get-SocketTable against ss and .NET's IPGlobalProperties on 1k and 10k loopback sockets.
.DESCRIPTION
    For each size, starts New-SocketPopulation.ps1 in a child process (with `ulimit -n` raised),
    then in this one pwsh session times, after a warm-up, -Repeat rounds of: Get-SocketTable
    (plain, -IncludeProcess, -State Listen), `ss -tuan` and `ss -tuanp` (started and read to the
    end, as a script would use them) and IPGlobalProperties' GetActiveTcpConnections +
    GetActiveTcpListeners + GetActiveUdpListeners (the same families as Get-SocketTable's
    default: TCP and UDP, IPv4 and IPv6).
    Every case runs once per round, in an order that rotates from round to round, so that a burst
    of load on a shared machine hits all cases alike. A target is judged on the median of the
    per-round ratios (ours / theirs, measured seconds apart), not on two medians taken minutes apart.
    Every case sends its rows to the same sink, `$null = <case>`: the objects are produced and
    written to the pipeline, and nothing downstream adds its own per-object cost (`| Out-Null` would
    time Out-Null too; collecting into a variable would time the array).
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

# Runs every case once per round, rotating the order; returns each case's times, round by round.
function Measure-Interleaved([System.Collections.Specialized.OrderedDictionary] $Cases) {
    $names = @($Cases.Keys)
    $times = @{}
    foreach ($name in $names) {
        $null = & $Cases[$name]   # warm-up: JIT, page cache, first /proc walk
        $times[$name] = [double[]]::new($Repeat)
    }

    for ($round = 0; $round -lt $Repeat; $round++) {
        for ($i = 0; $i -lt $names.Count; $i++) {
            $name = $names[($i + $round) % $names.Count]
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $null = & $Cases[$name]
            $times[$name][$round] = $clock.Elapsed.TotalMilliseconds
        }
    }

    $times
}

function Get-Median([double[]] $Values) {
    $sorted = [double[]]$Values.Clone()
    [Array]::Sort($sorted)
    $sorted[[int][math]::Floor($sorted.Count / 2)]
}

# The median of ours/theirs taken round by round: both sides saw the same load.
function Get-RatioMedian([double[]] $Ours, [double[]] $Theirs) {
    Get-Median ([double[]](0..($Ours.Count - 1) | ForEach-Object { $Ours[$_] / $Theirs[$_] }))
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
$loadBefore = (Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3
$results = foreach ($count in $Size) {
    $population = Start-Population $count
    try {
        $rows = @(Get-SocketTable).Count
        $ssRows = ((Invoke-Ss '-tuanH') -split "`n" | Where-Object { $_ }).Count
        $t = Measure-Interleaved ([ordered]@{
                Table        = { Get-SocketTable }
                TableProcess = { Get-SocketTable -IncludeProcess }
                TableListen  = { Get-SocketTable -State Listen }
                Ss           = { Invoke-Ss '-tuan' }
                SsProcess    = { Invoke-Ss '-tuanp' }
                DotNet       = { $ip.GetActiveTcpConnections(); $ip.GetActiveTcpListeners(); $ip.GetActiveUdpListeners() }
            })
        $m = [ordered]@{
            Size              = $count
            Rows              = $rows
            SsRows            = $ssRows
            Table             = Get-Median $t.Table
            TableProcess      = Get-Median $t.TableProcess
            TableListen       = Get-Median $t.TableListen
            Ss                = Get-Median $t.Ss
            SsProcess         = Get-Median $t.SsProcess
            DotNet            = Get-Median $t.DotNet
            RatioTable        = Get-RatioMedian $t.Table $t.Ss
            RatioProcess      = Get-RatioMedian $t.TableProcess $t.SsProcess
            RatioListen       = Get-RatioMedian $t.TableListen $t.Ss
            RatioDotNet       = Get-RatioMedian $t.Table $t.DotNet
        }
        [pscustomobject]$m
        Write-Host ("{0,6} sockets: table {1:0.0} ms, -IncludeProcess {2:0.0} ms, -State Listen {3:0.0} ms; ss -tuan {4:0.0} ms, ss -tuanp {5:0.0} ms; IPGlobalProperties {6:0.0} ms" -f `
                $count, $m.Table, $m.TableProcess, $m.TableListen, $m.Ss, $m.SsProcess, $m.DotNet)
    }
    finally {
        Stop-Population $population
    }
}
$loadAfter = (Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3

function Format-Row([string] $Case, [double] $Ours, [string] $Against, [double] $Theirs, [double] $Ratio, [double] $Target, [string] $TargetText) {
    '| {0} | {1:0.0} | {2} | {3:0.0} | {4:0.00} | {5} | {6} |' -f $Case, $Ours, $Against, $Theirs, $Ratio, $TargetText, $(if ($Ratio -le $Target) { 'yes' } else { 'no' })
}

$big = $results | Where-Object Size -EQ ($Size | Measure-Object -Maximum).Maximum
$small = $results | Where-Object Size -EQ ($Size | Measure-Object -Minimum).Minimum
$cpu = (Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^.*:\s*', ''
$lines = @(
    '# Get-SocketTable benchmark'
    ''
    "Run $(Get-Date -Format 'yyyy-MM-dd HH:mm') on $([Environment]::ProcessorCount) x $cpu, $([System.Runtime.InteropServices.RuntimeInformation]::OSDescription), PowerShell $($PSVersionTable.PSVersion)."
    "$Repeat interleaved rounds after one warm-up, all in one pwsh session; times are medians, ratios the median of the per-round ratios; ss is started and its output read to the end. Load average before: $($loadBefore -join ', '); after: $($loadAfter -join ', ')."
    "Populations (New-SocketPopulation.ps1): " + (($results | ForEach-Object { "$($_.Size): $($_.Rows) TCP/UDP rows (ss -tuan: $($_.SsRows))" }) -join '; ') + '.'
    ''
    '| case | Get-SocketTable ms | against | their ms | ratio (per round) | target | met |'
    '|---|---:|---|---:|---:|---|---|'
    (Format-Row "$($big.Size) sockets, without process names" $big.Table 'ss -tuan' $big.Ss $big.RatioTable 1.2 '<= 1.2')
    (Format-Row "$($big.Size) sockets, with process names" $big.TableProcess 'ss -tuanp' $big.SsProcess $big.RatioProcess 0.5 '<= 0.5')
    (Format-Row "$($small.Size) sockets, with process names" $small.TableProcess 'ss -tuanp' $small.SsProcess $small.RatioProcess 1.0 '<= 1.0')
    (Format-Row "-State Listen on $($big.Size)" $big.TableListen 'ss -tuan' $big.Ss $big.RatioListen 0.25 '<= 0.25')
    (Format-Row "$($big.Size) sockets vs IPGlobalProperties" $big.Table 'IPGlobalProperties' $big.DotNet $big.RatioDotNet (1 / 3) '<= 0.33 (3x faster)')
    ''
    '| size | table | -IncludeProcess | -State Listen | ss -tuan | ss -tuanp | IPGlobalProperties |'
    '|---:|---:|---:|---:|---:|---:|---:|'
    ($results | ForEach-Object { '| {0} | {1:0.0} | {2:0.0} | {3:0.0} | {4:0.0} | {5:0.0} | {6:0.0} |' -f $_.Size, $_.Table, $_.TableProcess, $_.TableListen, $_.Ss, $_.SsProcess, $_.DotNet })
)
$lines | Set-Content -Path $ResultFile
$lines | Write-Output
