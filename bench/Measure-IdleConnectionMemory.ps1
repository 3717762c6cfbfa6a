<#
.SYNOPSIS
    Memory per idle TCP connection of a Thread-mode echo server holding -Count connections.
.DESCRIPTION
    Run in a child pwsh with the descriptor limit raised (Invoke-Benchmarks.ps1 does this). Warms
    the server up, reads this process's resident memory (VmRSS) with an empty server, opens -Count
    idle connections from a python3 peer (tests/Pester/tcp_peer.py hold), reads VmRSS again after a
    full GC, and prints one JSON object. RSS is what the OS charges the user, managed heap included.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [int] $Count = 10000
)

$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest
$peer = Join-Path $PSScriptRoot '../tests/Pester/tcp_peer.py'

function Get-ResidentKiB {
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    Start-Sleep -Milliseconds 300
    [long]((Get-Content /proc/self/status | Where-Object { $_ -like 'VmRSS:*' }) -replace '\D', '')
}

$server = Start-TcpServer -Concurrency Thread -Handler Echo
$null = 'warm' | Connect-TcpChat -Port $server.Port   # load the connection path once
$before = Get-ResidentKiB
$managedBefore = [GC]::GetTotalMemory($true)

$info = [Diagnostics.ProcessStartInfo]::new('python3')
foreach ($a in @($peer, 'hold', $server.Port, $Count)) { $info.ArgumentList.Add([string]$a) }
$info.RedirectStandardInput = $true
$info.RedirectStandardOutput = $true
$holder = [Diagnostics.Process]::Start($info)
try {
    $ready = $holder.StandardOutput.ReadLine()
    if ($ready -ne "ready $Count") { throw "the holder said '$ready'" }
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while ($server.ActiveConnections -lt $Count -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
    $active = $server.ActiveConnections
    $after = Get-ResidentKiB
    $managedAfter = [GC]::GetTotalMemory($true)
}
finally {
    $holder.StandardInput.Close()
    if (-not $holder.WaitForExit(10000)) { $holder.Kill() }
    $holder.Dispose()
    Stop-NetLabServer $server
}

[pscustomobject]@{
    Connections      = $active
    RssBeforeKiB     = $before
    RssAfterKiB      = $after
    KiBPerConnection = [math]::Round(($after - $before) / [math]::Max(1, $active), 2)
    ManagedBytesPerConnection = [math]::Round(($managedAfter - $managedBefore) / [math]::Max(1, $active), 0)
} | ConvertTo-Json -Compress
