# Reference solution for lab 4: one echo handler, three concurrency models.

function Start-ConcurrencyLab([ValidateSet('Iterative', 'Thread', 'Process')] [string] $Concurrency) {
    Start-TcpServer -Concurrency $Concurrency -Handler Echo -Prefix 'server get!->' -Port 0 -LocalAddress Loopback -WorkerCount 2
}

function Measure-ConcurrencyLab([int] $Port, [int] $Connections) {
    Measure-TcpServer -Port $Port -Connections $Connections -Duration 2 -Timeout 0.5 -ExpectPrefix 'server get!->'
}

function Get-ConnectionOwner([int] $Port, [int] $Connections) {
    $clients = foreach ($i in 1..$Connections) {
        $client = [Net.Sockets.TcpClient]::new([Net.Sockets.AddressFamily]::InterNetwork)
        $client.Connect([ipaddress]::Loopback, $Port)
        # One exchange, so that the connection has surely reached whoever serves it.
        $stream = $client.GetStream(); $stream.ReadTimeout = 10000
        $line = [Text.Encoding]::UTF8.GetBytes("hello $i`n"); $stream.Write($line, 0, $line.Length)
        $null = $stream.Read([byte[]]::new(64), 0, 64)
        $client
    }
    try {
        foreach ($client in $clients) {
            $clientPort = $client.Client.LocalEndPoint.Port
            (Get-SocketTable -Protocol Tcp -LocalPort $Port -RemotePort $clientPort -IncludeProcess).OwningProcess
        }
    }
    finally {
        $clients | ForEach-Object Dispose
    }
}
