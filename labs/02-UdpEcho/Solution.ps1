# Reference solution for lab 2: the seeds' UDP echo server and an unbound client.

function Start-EchoLab {
    Start-UdpEchoServer -Port 0 -LocalAddress Loopback -Prefix 'server get!->'
}

function Send-EchoLab([int] $Port, [string] $Text) {
    (Send-UdpMessage -Message $Text -Port $Port -Timeout 2).Reply
}

function Get-EphemeralPort([int] $Port, [int] $Count) {
    # Each Send-UdpMessage call is a new socket that never binds: the OS picks its port.
    foreach ($i in 1..$Count) { (Send-UdpMessage -Message "probe $i" -Port $Port).LocalPort }
}

function Get-BindError([int] $Port) {
    try {
        $second = Start-UdpEchoServer -Port $Port -ErrorAction Stop
        $second | Stop-NetLabServer
        return $null
    }
    catch {
        return $_.FullyQualifiedErrorId
    }
}
