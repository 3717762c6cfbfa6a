# Dot-sourced by the TCP test files after TestSetup.ps1: the shared helpers plus TCP peers.
. $PSScriptRoot/UdpTestHelpers.ps1

$script:TcpPeer = Join-Path $PSScriptRoot 'tcp_peer.py'

function Invoke-TcpPeer([string] $Mode, [int] $Port, [string[]] $Arguments) {
    # A Python client from tcp_peer.py; its output as one string.
    $out = & python3 $script:TcpPeer $Mode $Port @Arguments
    if ($LASTEXITCODE -ne 0) { throw "tcp_peer.py $Mode failed with exit code $LASTEXITCODE" }
    return ($out -join "`n")
}

function New-TcpTestClient([int] $Port, [string] $Address = '127.0.0.1') {
    # A connected client with a line writer and a reader that never blocks longer than asked.
    $client = [Net.Sockets.TcpClient]::new($Address, $Port)
    $client.NoDelay = $true
    return $client
}

function Send-TestLine($Client, [string] $Line) {
    $bytes = [Text.Encoding]::UTF8.GetBytes($Line + "`n")
    $Client.GetStream().Write($bytes, 0, $bytes.Length)
}

function Read-TestLine($Client, [double] $TimeoutSeconds = 3) {
    # One line, or $null when none came in time (or the server closed the connection).
    $socket = $Client.Client
    $line = [Collections.Generic.List[byte]]::new()
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    $buffer = [byte[]]::new(1)
    while ([DateTime]::UtcNow -lt $deadline) {
        if (-not $socket.Poll(20000, [Net.Sockets.SelectMode]::SelectRead)) { continue }
        if ($socket.Receive($buffer) -eq 0) { return $null }
        if ($buffer[0] -eq 10) { return [Text.Encoding]::UTF8.GetString($line.ToArray()).TrimEnd("`r") }
        $line.Add($buffer[0])
    }
    return $null
}

function Test-TcpClosedByServer($Client, [double] $TimeoutSeconds = 3) {
    $socket = $Client.Client
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    $buffer = [byte[]]::new(4096)
    while ([DateTime]::UtcNow -lt $deadline) {
        if ($socket.Poll(20000, [Net.Sockets.SelectMode]::SelectRead)) {
            try { if ($socket.Receive($buffer) -eq 0) { return $true } } catch { return $true }
        }
    }
    return $false
}

function Get-ServerEvents($Server, [string] $Kind) {
    # Events are the job's output; -Keep so a test can look more than once.
    @(Receive-Job $Server -Keep | Where-Object { $_.Kind -eq $Kind })
}
