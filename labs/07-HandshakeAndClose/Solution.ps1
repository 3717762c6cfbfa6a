# Reference solution for lab 7: who closes first decides who waits in TIME_WAIT.

function Start-CloseLab {
    Start-TcpServer -Handler Echo -Port 0 -LocalAddress Loopback -IdleTimeout 1
}

function Invoke-ClientClosesFirst([int] $Port) {
    $client = [Net.Sockets.TcpClient]::new([Net.Sockets.AddressFamily]::InterNetwork)
    try {
        $client.Connect([ipaddress]::Loopback, $Port)
        $stream = $client.GetStream()
        $stream.ReadTimeout = 5000
        $writer = [IO.StreamWriter]::new($stream, [Text.UTF8Encoding]::new($false), 1024, $true)
        $writer.Write("hello`n"); $writer.Flush()
        $null = [IO.StreamReader]::new($stream).ReadLine()
        # Saved now: a closed socket no longer has a LocalEndPoint.
        $client.Client.LocalEndPoint
    }
    finally {
        $client.Close()
    }
}

function Invoke-ServerClosesFirst([int] $Port) {
    $client = [Net.Sockets.TcpClient]::new([Net.Sockets.AddressFamily]::InterNetwork)
    $client.Connect([ipaddress]::Loopback, $Port)
    # Say nothing: after -IdleTimeout the server closes, and this socket is left in CLOSE_WAIT.
    $client
}
