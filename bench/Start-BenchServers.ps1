<#
.SYNOPSIS
    Hosts the PSNetLab servers the benchmark measures, in one pwsh process of their own.
.DESCRIPTION
    Started by Invoke-Benchmarks.ps1 (with setsid, so the server CPU of the whole process group,
    Process-mode workers included, can be read). Starts each server on port 0, writes
    { name: port } to -ReadyFile, and serves until -StopFile appears. The servers are what a user
    gets from the cmdlets with their defaults: nothing is tuned for the benchmark.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $ReadyFile,
    [Parameter(Mandatory)] [string] $StopFile,
    # Comma-separated names (pwsh -File passes one string per parameter).
    [string] $Only = ''
)

$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest

$servers = [ordered]@{
    'thread-echo'      = { Start-TcpServer -Concurrency Thread -Handler Echo }
    'iterative-echo'   = { Start-TcpServer -Concurrency Iterative -Handler Echo }
    'process-echo'     = { Start-TcpServer -Concurrency Process -Handler Echo }
    'thread-scriptblock' = { Start-TcpServer -Concurrency Thread -Handler { $_.Text } }
    'udp-echo'         = { Start-UdpEchoServer }
}

$ports = [ordered]@{}
foreach ($name in $servers.Keys) {
    if ($Only -and $name -notin ($Only -split ',')) { continue }
    $ports[$name] = (& $servers[$name]).Port
}

$ports | ConvertTo-Json | Set-Content -Path "$ReadyFile.tmp"
Move-Item "$ReadyFile.tmp" $ReadyFile   # appears whole, never half-written
while (-not (Test-Path $StopFile)) { Start-Sleep -Milliseconds 250 }
Get-NetLabServer | Stop-NetLabServer
