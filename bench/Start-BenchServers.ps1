<#
.SYNOPSIS
    Hosts the PSNetLab servers the benchmark measures, in one pwsh process of their own.
.DESCRIPTION
    Started by Invoke-Benchmarks.ps1 (with setsid, so the server CPU of the whole process group,
    Process-mode workers included, can be read). Starts each server on port 0, waits until every
    Process-mode worker is up, writes { name: port } to -ReadyFile, and serves until -StopFile
    appears. The servers are what a user gets from the cmdlets with their defaults, with one
    exception: process-echo16 is the Process server sized for the 16-connection persistent case
    (-WorkerCount 16, one worker per connection, as a forking server has one child per client);
    with the default 4 workers, 12 of 16 persistent connections wait for a worker by design.
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
    'process-echo16'   = { Start-TcpServer -Concurrency Process -Handler Echo -WorkerCount 16 }
    'thread-scriptblock' = { Start-TcpServer -Concurrency Thread -Handler { $_.Text } }
    'udp-echo'         = { Start-UdpEchoServer }
}

function Wait-AllWorkers($Server) {
    # A Process server answers its first client once one worker is up and starts the others in the
    # background, where their start-up (a pwsh each) would take CPU from the first measured cases.
    # A worker serves one connection at a time, so WorkerCount connections answered together means
    # every worker is up; a connection that waited too long is rejected, and the whole try repeats.
    $count = $Server.Server.TcpOptions.WorkerCount
    $deadline = [DateTime]::UtcNow.AddMinutes(3)
    while ($true) {
        $clients = @(foreach ($i in 1..$count) { [Net.Sockets.TcpClient]::new('127.0.0.1', $Server.Port) })
        try {
            foreach ($client in $clients) {
                $client.ReceiveTimeout = 15000
                $client.GetStream().Write([byte[]](0x77, 0x0a), 0, 2)
            }
            $answered = @($clients | Where-Object { try { $_.GetStream().Read([byte[]]::new(2), 0, 2) -gt 0 } catch { $false } }).Count
        }
        finally { $clients | ForEach-Object Dispose }
        if ($answered -eq $count) { return }
        if ([DateTime]::UtcNow -gt $deadline) { throw "$($Server.Name): only $answered of $count workers answered within 3 minutes." }
    }
}

$ports = [ordered]@{}
foreach ($name in $servers.Keys) {
    if ($Only -and $name -notin ($Only -split ',')) { continue }
    $server = & $servers[$name]
    $ports[$name] = $server.Port
    if ($server.Server.TcpOptions.Concurrency -eq 'Process') { Wait-AllWorkers $server }
}

$ports | ConvertTo-Json | Set-Content -Path "$ReadyFile.tmp"
Move-Item "$ReadyFile.tmp" $ReadyFile   # appears whole, never half-written
while (-not (Test-Path $StopFile)) { Start-Sleep -Milliseconds 250 }
Get-NetLabServer | Stop-NetLabServer
