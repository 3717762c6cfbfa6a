# Reference solution for lab 8: a server's TIME_WAIT, and SO_REUSEADDR.

function New-ServerTimeWait {
    $server = Start-TcpServer -Port 0 -LocalAddress Loopback -IdleTimeout 0.5
    $client = [Net.Sockets.TcpClient]::new([Net.Sockets.AddressFamily]::InterNetwork)
    try {
        $client.Connect([ipaddress]::Loopback, $server.Port)
        # The server closes the idle connection first: the client reads end of stream.
        $stream = $client.GetStream()
        $stream.ReadTimeout = 5000
        $null = $stream.Read([byte[]]::new(1), 0, 1)
    }
    finally {
        $client.Close()
    }
    $server | Stop-NetLabServer
    $server.Port
}

function Test-PythonBind([int] $Port, [switch] $ReuseAddress) {
    $code = @'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
if sys.argv[2] == "1":
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
    print("bound")
except OSError as e:
    print(e.strerror)
finally:
    s.close()
'@
    $result = & python3 -c $code $Port ([int][bool]$ReuseAddress)
    $result -eq 'bound'
}

function Restart-LabServer([int] $Port) {
    Start-TcpServer -Port $Port -LocalAddress Loopback -ReuseAddress
}
