# Reference solution for lab 9: the accept queue, seen from the socket table.

function Start-BacklogLab {
    Start-TcpServer -Handler Echo -Port 0 -LocalAddress Loopback -Backlog 3
}

function Invoke-FillAcceptQueue($Server, [int] $Clients) {
    Suspend-NetLabServer $Server
    $connected = foreach ($i in 1..$Clients) {
        $client = [Net.Sockets.TcpClient]::new([Net.Sockets.AddressFamily]::InterNetwork)
        # connect() returns once the kernel has completed the handshake; nobody has accepted yet.
        $client.Connect([ipaddress]::Loopback, $Server.Port)
        $line = [Text.Encoding]::UTF8.GetBytes("client $i`n")
        $client.GetStream().Write($line, 0, $line.Length)
        $client
    }
    # The queue settles within moments of the last handshake.
    $deadline = [datetime]::UtcNow.AddSeconds(2)
    do {
        # -ProcessId: on a shared machine another program may listen on the same port number (SO_REUSEPORT).
        $listen = Get-SocketTable -Protocol Tcp -Listening -LocalPort $Server.Port -ProcessId $PID
        if ($listen.RecvQ -ge $Clients - 1) { break }
        Start-Sleep -Milliseconds 20
    } while ([datetime]::UtcNow -lt $deadline)
    [pscustomobject]@{ Clients = $connected; RecvQ = $listen.RecvQ; SendQ = $listen.SendQ }
}

function Resume-BacklogLab($Server, [Net.Sockets.TcpClient[]] $Clients) {
    Resume-NetLabServer $Server
    foreach ($client in $Clients) {
        $stream = $client.GetStream()
        $stream.ReadTimeout = 5000
        [IO.StreamReader]::new($stream).ReadLine()
    }
}
