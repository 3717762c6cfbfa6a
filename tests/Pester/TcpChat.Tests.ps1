BeforeAll { . $PSScriptRoot/TestSetup.ps1 }

Describe 'Connect-TcpChat' {
    BeforeAll { . $PSScriptRoot/TcpTestHelpers.ps1 }
    AfterEach { Get-NetLabServer | Remove-Job -Force }

    It "returns 你好 for 'hello' from a Dictionary server" {
        $server = Start-TcpServer -Handler Dictionary
        $reply = 'hello' | Connect-TcpChat -Port $server.Port
        $reply.Reply | Should -Be '你好'
        $reply.Sent | Should -Be 'hello'
        $reply.RemotePort | Should -Be $server.Port
        $reply.RemoteAddress | Should -Be ([ipaddress]::Loopback)
        $reply.LocalPort | Should -BeGreaterThan 0
        $reply.RoundTripTime | Should -BeGreaterThan ([timespan]::Zero)
        $reply.ToString() | Should -Match '^hello -> 你好 \(\d'
    }

    It 'sends -Message lines in order, on one connection' {
        $server = Start-TcpServer -Handler { param($Request) $Request.State.n++; "$($Request.State.n) $($Request.Text)" }
        (Connect-TcpChat -Port $server.Port -Message 'a', 'b', 'c').Reply | Should -Be @('1 a', '2 b', '3 c')
        $server.Connections | Should -Be 1
    }

    It 'stops after an exit word' {
        $server = Start-TcpServer
        @('one', 'bye', 'never') | Connect-TcpChat -Port $server.Port | ForEach-Object Reply | Should -Be 'one'
        Wait-Until { $server.MessagesReceived -eq 2 }
    }

    It 'reports a missing reply with TcpChatReplyTimedOut' {
        $server = Start-TcpServer -Handler Discard
        { 'x' | Connect-TcpChat -Port $server.Port -ReplyTimeout 0.2 -ErrorAction Stop } |
            Should -Throw -ErrorId 'TcpChatReplyTimedOut,PSNetLab.Commands.ConnectTcpChatCommand'
    }

    It 'says the server closed the connection when read returns 0' {
        $server = Start-TcpServer -MaxMessageLength 4
        { 'far too long' | Connect-TcpChat -Port $server.Port -ErrorAction Stop } |
            Should -Throw -ErrorId 'TcpChatConnectionClosed,PSNetLab.Commands.ConnectTcpChatCommand'
    }

    It 'says connection refused when nothing listens' {
        $server = Start-TcpServer
        $port = $server.Port
        Stop-NetLabServer $server
        { 'x' | Connect-TcpChat -Port $port -ErrorAction Stop } |
            Should -Throw -ErrorId 'TcpChatConnectionRefused,PSNetLab.Commands.ConnectTcpChatCommand'
    }

    It 'says connect timed out when the accept queue is full' {
        # A python listener with backlog 0 that never accepts: once its queue is full, SYNs are dropped.
        $listener = Start-Peer python3 @('-c', "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(0); print(s.getsockname()[1], flush=True); sys.stdin.read()")
        $fillers = @()
        try {
            $port = [int]$listener.StandardOutput.ReadLine()
            for ($i = 0; $i -lt 4; $i++) {
                $c = [Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp'); $fillers += $c
                $null = $c.ConnectAsync('127.0.0.1', $port).Wait(300)
            }
            { 'x' | Connect-TcpChat -Port $port -ConnectTimeout 0.3 -ErrorAction Stop } |
                Should -Throw -ErrorId 'TcpChatConnectTimedOut,PSNetLab.Commands.ConnectTcpChatCommand'
        }
        finally {
            $fillers | ForEach-Object { $_.Dispose() }
            Stop-Peer $listener
        }
    }

    It 'says reset when the server resets the connection' {
        $peer = Start-Peer python3 @('-c', "import socket,struct,sys; s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(5); print(s.getsockname()[1], flush=True); c,_=s.accept(); c.recv(100); c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii',1,0)); c.close(); sys.stdin.read()")
        try {
            $port = [int]$peer.StandardOutput.ReadLine()
            { 'x' | Connect-TcpChat -Port $port -ErrorAction Stop } |
                Should -Throw -ErrorId 'TcpChatConnectionReset,PSNetLab.Commands.ConnectTcpChatCommand'
        }
        finally { Stop-Peer $peer }
    }

    It 'checks the port' {
        { Connect-TcpChat -Port 70000 -Message x } | Should -Throw -ErrorId 'PortOutOfRange,PSNetLab.Commands.ConnectTcpChatCommand'
    }

    It 'talks to a socat echo server' {
        $peer = Start-Peer socat @('-T', '5', 'TCP-LISTEN:0,bind=127.0.0.1,reuseaddr', 'EXEC:cat')
        try {
            Wait-Until { Get-SocketTable -Protocol Tcp -State Listen -ProcessId $peer.Id -IncludeProcess } -Because 'socat to listen'
            $port = (Get-SocketTable -Protocol Tcp -State Listen -ProcessId $peer.Id -IncludeProcess)[0].LocalPort
            ('ping' | Connect-TcpChat -Port $port).Reply | Should -Be 'ping'
        }
        finally { Stop-Peer $peer }
    }
}
