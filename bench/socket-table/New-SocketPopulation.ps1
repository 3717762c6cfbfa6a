<#
.SYNOPSIS
    Holds a known socket population on loopback for the socket-table benchmark, then cleans up.
.DESCRIPTION
    Opens, in this process: TCP listeners (IPv4 and IPv6), established pairs, TIME_WAIT sockets
    (client-first closes), UDP sockets (IPv4 and IPv6) and unix-socket listeners, all on loopback
    with OS-chosen ports. Writes a JSON summary to -ReadyFile, then holds the sockets until
    -StopFile appears or -HoldSeconds pass, and closes everything. The caller raises `ulimit -n`
    for this process (Invoke-SocketTableBenchmark.ps1 starts it through `bash -c 'ulimit -n ...'`).
#>
param(
    [ValidateRange(100, 20000)] [int] $Size = 1000,
    [Parameter(Mandatory)] [string] $ReadyFile,
    [Parameter(Mandatory)] [string] $StopFile,
    [ValidateRange(1, 900)] [int] $HoldSeconds = 300
)

$ErrorActionPreference = 'Stop'
$opened = [System.Collections.Generic.List[IDisposable]]::new()
$unixDir = Join-Path ([IO.Path]::GetTempPath()) "psnetlab-bench-$PID"
$null = New-Item -ItemType Directory -Force $unixDir

# The mix, as fractions of -Size TCP/UDP rows: half listeners, 30% in established pairs,
# 10% TIME_WAIT, 10% UDP; unix listeners on top (ss -tuan does not count them).
$listeners4 = [int]($Size * 0.4)
$listeners6 = [int]($Size * 0.1)
$pairs = [int]($Size * 0.15)
$timeWait = [int]($Size * 0.1)
$udp = [int]($Size * 0.1)
$unix = [int]($Size * 0.05)

function New-Listener([System.Net.IPAddress] $Address, [int] $Backlog = 8) {
    $s = [System.Net.Sockets.Socket]::new($Address.AddressFamily, 'Stream', 'Tcp')
    $s.Bind([System.Net.IPEndPoint]::new($Address, 0))
    $s.Listen($Backlog)
    $opened.Add($s)
    $s
}

try {
    for ($i = 0; $i -lt $listeners4; $i++) { $null = New-Listener ([System.Net.IPAddress]::Loopback) }
    for ($i = 0; $i -lt $listeners6; $i++) { $null = New-Listener ([System.Net.IPAddress]::IPv6Loopback) }

    # Established pairs share one listener with a backlog large enough for all of them.
    $hub = New-Listener ([System.Net.IPAddress]::Loopback) 4096
    for ($i = 0; $i -lt $pairs; $i++) {
        $c = [System.Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp')
        $c.Connect($hub.LocalEndPoint)
        $opened.Add($c)
        $opened.Add($hub.Accept())
    }

    # TIME_WAIT: the client closes first, then the server; the client side stays in TIME_WAIT for 60 s.
    for ($i = 0; $i -lt $timeWait; $i++) {
        $c = [System.Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp')
        $c.Connect($hub.LocalEndPoint)
        $a = $hub.Accept()
        $c.Dispose()
        $a.Dispose()
    }

    for ($i = 0; $i -lt $udp; $i++) {
        $address = if ($i % 2) { [System.Net.IPAddress]::IPv6Loopback } else { [System.Net.IPAddress]::Loopback }
        $u = [System.Net.Sockets.Socket]::new($address.AddressFamily, 'Dgram', 'Udp')
        $u.Bind([System.Net.IPEndPoint]::new($address, 0))
        $opened.Add($u)
    }

    for ($i = 0; $i -lt $unix; $i++) {
        $u = [System.Net.Sockets.Socket]::new('Unix', 'Stream', 'Unspecified')
        $u.Bind([System.Net.Sockets.UnixDomainSocketEndPoint]::new((Join-Path $unixDir "$i.sock")))
        $u.Listen(4)
        $opened.Add($u)
    }

    [pscustomobject]@{
        Pid = $PID; Size = $Size; Listeners = $listeners4 + $listeners6 + 1; EstablishedSockets = 2 * $pairs
        TimeWait = $timeWait; Udp = $udp; Unix = $unix
    } | ConvertTo-Json -Compress | Set-Content -Path $ReadyFile

    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    while (-not (Test-Path $StopFile) -and $clock.Elapsed.TotalSeconds -lt $HoldSeconds) { Start-Sleep -Milliseconds 100 }
}
finally {
    foreach ($s in $opened) { $s.Dispose() }
    Remove-Item -Recurse -Force -ErrorAction Ignore $unixDir
}
