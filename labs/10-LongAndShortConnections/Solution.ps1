# Reference solution for lab 10: one request per connection against many on one.

function Start-ConnectionLab {
    Start-TcpServer -Handler Echo -Port 0 -LocalAddress Loopback -IdleTimeout 1 -MaxConnectionsPerClient 3
}

function Invoke-ShortConnections([int] $Port, [int] $Count) {
    # Each Connect-TcpChat call is a connection of its own: handshake, one line, close.
    foreach ($i in 1..$Count) { (Connect-TcpChat -Port $Port -Message "short $i").Reply }
}

function Invoke-LongConnection([int] $Port, [int] $Count) {
    (Connect-TcpChat -Port $Port -Message (1..$Count | ForEach-Object { "long $_" })).Reply
}

function Measure-ConnectionCost([int] $Port, [int] $Count) {
    [pscustomobject]@{
        ShortSeconds = (Measure-Command { $null = Invoke-ShortConnections -Port $Port -Count $Count }).TotalSeconds
        LongSeconds  = (Measure-Command { $null = Invoke-LongConnection -Port $Port -Count $Count }).TotalSeconds
    }
}
