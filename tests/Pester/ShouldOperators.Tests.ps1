# PSNetLab's Should operators: each one passing, failing, negated, with the failure message it gives.
BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    . $PSScriptRoot/UdpTestHelpers.ps1

    function New-LoopbackListener {
        $listener = [Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $listener.Start()
        return $listener
    }
}

Describe 'Registration' {
    It 'registers the three operators with Pester when the module is imported after Pester' {
        $operators = (Get-ShouldOperator).Name
        $operators | Should -Contain 'BeListening'
        $operators | Should -Contain 'HaveSocketState'
        $operators | Should -Contain 'ReplyWith'
    }

    It 'registers again without complaint (a re-import of the module)' {
        { Register-NetLabShouldOperator -WarningAction Stop } | Should -Not -Throw
        Register-NetLabShouldOperator -PassThru | Should -Be 'BeListening', 'HaveSocketState', 'ReplyWith'
    }

    It 'registers in a session that imported PSNetLab before Pester, through Start-NetLabFixture' {
        $script = @"
Import-Module '$env:PSNETLAB_MODULE' -ErrorAction Stop
Import-Module '$((Get-Module Pester).Path -replace 'psm1$', 'psd1')' -ErrorAction Stop
`$before = (Get-ShouldOperator).Name -contains 'BeListening'
`$null = Start-NetLabFixture
`$after = (Get-ShouldOperator).Name -contains 'BeListening'
Stop-NetLabFixture
"`$before `$after"
"@
        $child = Invoke-ChildPwsh $script
        $child.Error | Should -BeNullOrEmpty
        $child.Output | Should -Be 'False True'
    }
}

Describe 'Should -BeListening' {
    BeforeAll { $null = Start-NetLabFixture 'BeListening' }
    AfterAll { Stop-NetLabFixture }

    It 'passes for a UDP server object and for its port with -Protocol Udp' {
        $server = Start-UdpEchoServer
        $server | Should -BeListening
        $server.Port | Should -BeListening -Protocol Udp
    }

    It 'passes for a TCP port (TCP is the default for a bare port)' {
        $listener = New-LoopbackListener
        try { $listener.LocalEndpoint.Port | Should -BeListening }
        finally { $listener.Stop() }
    }

    It 'fails for a stopped server, saying nothing listens and what is on the port' {
        $server = Start-UdpEchoServer
        $server | Stop-NetLabServer
        { $server | Should -BeListening -Timeout 0.1 } |
            Should -Throw -ExpectedMessage "Expected UDP port $($server.Port) to be listening within 0.1 s, but nothing listens on it (sockets on that port: none)."
    }

    It 'passes negated once the server is stopped, and fails negated naming the owning process' {
        $server = Start-UdpEchoServer
        { $server | Should -Not -BeListening -Timeout 0.1 -Because 'it was never stopped' } |
            Should -Throw -ExpectedMessage "Expected nothing listening on UDP port $($server.Port) after 0.1 s, because it was never stopped, but found udp 127.0.0.1:$($server.Port) -> 0.0.0.0:* Bound pid $PID*"
        $server | Stop-NetLabServer
        $server | Should -Not -BeListening
    }

    It 'says what it accepts when given something that is not a port' {
        { 'not a port' | Should -BeListening } | Should -Throw -ExpectedMessage "*must be a port (1-65535), a server, an IPEndPoint or an object with a Port property, not 'not a port'."
        { 70000 | Should -BeListening } | Should -Throw -ExpectedMessage '*must be a port (1-65535)*'
        { 0 | Should -BeListening } | Should -Throw -ExpectedMessage '*must be a port (1-65535)*'
        { $null | Should -ReplyWith 'x' -To 'y' } | Should -Throw -ExpectedMessage '*not $null.'
    }
}

Describe 'Should -HaveSocketState' {
    BeforeEach {
        $listener = New-LoopbackListener
        $port = $listener.LocalEndpoint.Port
        $client = [Net.Sockets.TcpClient]::new([Net.Sockets.AddressFamily]::InterNetwork)
        $client.Connect([ipaddress]::Loopback, $port)
        $accepted = $listener.AcceptTcpClient()
        $clientEnd = $client.Client.LocalEndPoint
    }
    AfterEach {
        $client.Dispose(); $accepted.Dispose(); $listener.Stop()
    }

    It 'sees Established on both ends, and Listen on the server side' {
        $port | Should -HaveSocketState Established -Side Server
        $port | Should -HaveSocketState Established -Side Client
        $port | Should -HaveSocketState Listen -Side Server
        $port | Should -Not -HaveSocketState Listen -Side Client
    }

    It 'sees the four-way close: FinWait2 and CloseWait after one FIN, then the active closer in TimeWait' {
        $client.Close()
        $clientEnd | Should -HaveSocketState FinWait2
        $port | Should -HaveSocketState CloseWait -Side Server
        $accepted.Close()
        $clientEnd | Should -HaveSocketState TimeWait
        $port | Should -HaveSocketState TimeWait -Side Client
        $port | Should -Not -HaveSocketState TimeWait -Side Server
    }

    It 'accepts several states, any of which will do' {
        $client.Close()
        $clientEnd | Should -HaveSocketState FinWait2, TimeWait
    }

    It 'matches an IPv4-mapped endpoint of a dual-mode socket' {
        $dual = [Net.Sockets.TcpClient]::new()
        try {
            $dual.Connect([ipaddress]::Loopback, $port)
            $dual.Client.LocalEndPoint.Address.IsIPv4MappedToIPv6 | Should -BeTrue
            $dual.Client.LocalEndPoint | Should -HaveSocketState Established
        }
        finally { $dual.Dispose() }
    }

    It 'fails with the states it saw' {
        { $port | Should -HaveSocketState TimeWait -Side Server -Timeout 0.1 } |
            Should -Throw -ExpectedMessage "Expected the server's end of TCP port $port to be in TimeWait within 0.1 s, but saw *tcp 127.0.0.1:$port -> 127.0.0.1:$($clientEnd.Port) Established*"
    }

    It 'fails negated with the matching sockets' {
        { $clientEnd | Should -Not -HaveSocketState Established -Timeout 0.1 } |
            Should -Throw -ExpectedMessage "Expected no socket in Established for the socket TCP 127.0.0.1:$($clientEnd.Port) within 0.1 s, but saw tcp 127.0.0.1:$($clientEnd.Port) -> 127.0.0.1:$port Established."
    }

    It 'rejects a state that does not exist, listing the real ones' {
        { $port | Should -HaveSocketState Sleeping } | Should -Throw -ExpectedMessage "Expected a socket state (None, Listen, *TimeWait*), but got 'Sleeping'."
        { $port | Should -HaveSocketState TimeWait -Side Both } | Should -Throw -ExpectedMessage "*-Side Any, Server or Client, but got 'Both'."
    }
}

Describe 'Should -ReplyWith over UDP' {
    BeforeAll {
        $null = Start-NetLabFixture 'ReplyWith'
        $server = Start-UdpServer -Handler Dictionary
    }
    AfterAll { Stop-NetLabFixture }

    It 'passes when the reply matches, for one message and for several' {
        $server | Should -ReplyWith '你好' -To 'hello'
        $server | Should -ReplyWith '你好', '世界' -To 'hello', 'world'
        $server.Port | Should -ReplyWith '爱' -To 'love' -Protocol Udp
    }

    It 'compares case-sensitively and says what came back' {
        { $server | Should -ReplyWith 'HELLO' -To 'hello' -Because 'unknown words come back unchanged' } |
            Should -Throw -ExpectedMessage "Expected UDP 127.0.0.1:$($server.Port) to reply 'HELLO' to 'hello', because unknown words come back unchanged, but it replied '你好' to 'hello'."
    }

    It 'passes negated for a different reply and fails negated for the same one' {
        $server | Should -Not -ReplyWith 'hello' -To 'hello'
        { $server | Should -Not -ReplyWith '你好' -To 'hello' } |
            Should -Throw -ExpectedMessage "Expected UDP 127.0.0.1:$($server.Port) not to reply '你好' to 'hello', but it did."
    }

    It 'says when no reply came' {
        $discard = Start-UdpServer -Handler Discard
        { $discard | Should -ReplyWith 'x' -To 'y' -Timeout 0.2 } |
            Should -Throw -ExpectedMessage "Expected UDP 127.0.0.1:$($discard.Port) to reply 'x' to 'y', but the exchange failed: *"
    }

    It 'needs one -To message for each expected reply' {
        { $server | Should -ReplyWith 'a', 'b' -To 'hello' } |
            Should -Throw -ExpectedMessage 'Expected one -To message for each expected reply, but got 1 message(s) and 2 expected reply(ies).'
    }
}

Describe 'Should -ReplyWith over TCP' {
    BeforeAll {
        $null = Start-NetLabFixture 'ReplyWith TCP'
        $server = Start-TcpServer -Handler Dictionary
    }
    AfterAll { Stop-NetLabFixture }

    It 'uses TCP for a TCP server and for a bare port, with several messages on one connection' {
        $server | Should -ReplyWith '你好' -To 'hello'
        $server.Port | Should -ReplyWith '你好', '世界', 'cat' -To 'hello', 'world', 'cat'
        $connections = $server.Connections
        $server | Should -ReplyWith '爱', '世界' -To 'love', 'world'
        $server.Connections | Should -Be ($connections + 1)
    }

    It 'says what came back' {
        { $server | Should -ReplyWith '猫' -To 'cat' } |
            Should -Throw -ExpectedMessage "Expected TCP 127.0.0.1:$($server.Port) to reply '猫' to 'cat', but it replied 'cat' to 'cat'."
    }

    It 'says when the connection is refused' {
        $stopped = Start-TcpServer
        $stopped | Stop-NetLabServer
        { $stopped | Should -ReplyWith 'x' -To 'x' } |
            Should -Throw -ExpectedMessage "Expected TCP 127.0.0.1:$($stopped.Port) to reply 'x' to 'x', but the exchange failed: *refused*"
    }

    It 'sees a TCP server listening' {
        $server | Should -BeListening
        $server | Should -HaveSocketState Listen -Side Server
    }
}
