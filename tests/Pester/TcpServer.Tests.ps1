BeforeAll { . $PSScriptRoot/TestSetup.ps1 }

Describe 'Start-TcpServer' {
    BeforeAll { . $PSScriptRoot/TcpTestHelpers.ps1 }
    AfterEach {
        foreach ($c in @($script:clients)) { if ($c) { $c.Dispose() } }
        $script:clients = @()
        Get-NetLabServer | Remove-Job -Force
    }
    BeforeEach { $script:clients = @() }

    It 'binds port 0 on loopback and returns a running TCP job' {
        $server = Start-TcpServer -Port 0
        $server.Port | Should -BeGreaterThan 0
        $server.LocalAddress | Should -Be ([ipaddress]::Loopback)
        $server.Protocol | Should -Be 'Tcp'
        $server.Handler | Should -Be 'Echo'
        $server.State | Should -Be 'Running'
        $server.Server.TcpOptions.Concurrency | Should -Be 'Thread'
        $server.Server.TcpOptions.Backlog | Should -Be 512
    }

    It "answers with the <Handler> handler" -ForEach @(
        @{ Handler = 'Dictionary'; Lines = @('hello', 'world', 'love', 'cat'); Expected = "你好`n世界`n爱`ncat" }
        @{ Handler = 'Echo'; Lines = @('abc', ''); Expected = "abc`n" }
        @{ Handler = 'Discard'; Lines = @('x', 'y'); Expected = '' }
    ) {
        $server = Start-TcpServer -Handler $Handler
        Invoke-TcpPeer lines $server.Port $Lines | Should -Be $Expected
    }

    It "sends the seeds' prefix and the line in one write" {
        $server = Start-TcpServer -Prefix 'server get!->'
        ('hello', '你好' | Connect-TcpChat -Port $server.Port).Reply | Should -Be @('server get!->hello', 'server get!->你好')
    }

    It 'answers the time server with strftime' {
        $server = Start-TcpServer -Handler Time
        $default, $year = '', '%Y' | Connect-TcpChat -Port $server.Port
        $default.Reply | Should -Match '^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$'
        $year.Reply | Should -Be ((Get-Date).Year.ToString())
    }

    It 'reads a user dictionary from a file' {
        $file = Join-Path TestDrive: 'words.txt'
        Set-Content $file "# pets`ncat = 猫`ndog`t狗" -Encoding utf8
        $server = Start-TcpServer -Handler Dictionary -Dictionary $file
        ('cat', 'dog', 'hello' | Connect-TcpChat -Port $server.Port).Reply | Should -Be @('猫', '狗', 'hello')
    }

    It 'frames with -Framing Raw: bytes back exactly as they came' {
        $server = Start-TcpServer -Framing Raw
        Invoke-TcpPeer raw $server.Port '00010203ff0a0d' | Should -Be '00010203ff0a0d'
    }

    It 'frames with a <Size>-byte network-order length prefix' -ForEach @(@{ Size = 2 }, @{ Size = 4 }) {
        $server = Start-TcpServer -Handler Dictionary -Framing LengthPrefixed -LengthPrefixSize $Size
        Invoke-TcpPeer prefixed $server.Port $Size, 'hello' | Should -Be "$([Text.Encoding]::UTF8.GetByteCount('你好')) 你好"
    }

    It 'answers CRLF lines (telnet) with CRLF' {
        $server = Start-TcpServer
        $client = New-TcpTestClient $server.Port; $script:clients += $client
        $bytes = [Text.Encoding]::ASCII.GetBytes("hi`r`n")
        $client.GetStream().Write($bytes, 0, $bytes.Length)
        $buffer = [byte[]]::new(16)
        $client.ReceiveTimeout = 3000
        $n = $client.GetStream().Read($buffer, 0, 16)
        [Text.Encoding]::ASCII.GetString($buffer, 0, $n) | Should -Be "hi`r`n"
    }

    It 'records Accepted, Received, Sent and Closed events' {
        $server = Start-TcpServer -Handler Dictionary
        $reply = 'hello' | Connect-TcpChat -Port $server.Port
        Wait-Until { (Get-ServerEvents $server Closed).Count -eq 1 } -Because 'the Closed event'
        $events = @(Receive-Job $server)
        $events.Kind | Should -Be @('Started', 'Accepted', 'Received', 'Sent', 'Closed')
        $events[1].ToString() | Should -Be "+ 127.0.0.1:$($reply.LocalPort) connected"
        $events[2].ToString() | Should -Be "127.0.0.1:$($reply.LocalPort)# hello"
        $events[4].Detail | Should -Be 'the client closed the connection'
        $server.Connections | Should -Be 1
        $server.ActiveConnections | Should -Be 0
    }

    Context 'concurrency' {
        It 'Iterative: a second client is connected (accept queue) but gets no reply until the first leaves' {
            $server = Start-TcpServer -Concurrency Iterative
            $first = New-TcpTestClient $server.Port; $script:clients += $first
            Send-TestLine $first 'one'
            Read-TestLine $first | Should -Be 'one'
            $second = New-TcpTestClient $server.Port; $script:clients += $second
            $second.Connected | Should -BeTrue
            Send-TestLine $second 'two'
            Read-TestLine $second -TimeoutSeconds 0.5 | Should -BeNullOrEmpty
            $server.ActiveConnections | Should -Be 1
            $first.Dispose()
            Read-TestLine $second | Should -Be 'two'
        }

        It 'Thread: two clients are served at the same time' {
            $server = Start-TcpServer -Concurrency Thread
            $first = New-TcpTestClient $server.Port; $script:clients += $first
            $second = New-TcpTestClient $server.Port; $script:clients += $second
            Send-TestLine $second 'two'
            Read-TestLine $second | Should -Be 'two'
            Send-TestLine $first 'one'
            Read-TestLine $first | Should -Be 'one'
            $server.ActiveConnections | Should -Be 2
        }

        # Process concurrency has its own file: TcpProcessServer.Tests.ps1.
    }

    Context 'ScriptBlock handlers' {
        It 'keeps a per-connection state hashtable' {
            $server = Start-TcpServer -Handler { param($Request) $Request.State.n++; "$($Request.State.n):$($Request.Text)" }
            ('a', 'b' | Connect-TcpChat -Port $server.Port).Reply | Should -Be @('1:a', '2:b')
            ('c' | Connect-TcpChat -Port $server.Port).Reply | Should -Be '1:c'
        }

        It 'a handler that throws records an Error and closes only that connection' {
            $server = Start-TcpServer -Handler { param($Request) if ($Request.Text -eq 'boom') { throw 'kaboom' }; $Request.Text.ToUpper() }
            $other = New-TcpTestClient $server.Port; $script:clients += $other
            Invoke-TcpPeer lines $server.Port 'boom', 'after' | Should -BeNullOrEmpty
            Send-TestLine $other 'still'
            Read-TestLine $other | Should -Be 'STILL'
            $errors = Get-ServerEvents $server Error
            $errors.Count | Should -Be 1
            $errors[0].Detail | Should -Match 'kaboom'
            Wait-Until { (Get-ServerEvents $server Closed).Detail -match 'handler failed' }
        }
    }

    Context 'limits, bad input and faults' {
        It 'closes a connection whose line is longer than -MaxMessageLength' {
            $server = Start-TcpServer -MaxMessageLength 16
            $client = New-TcpTestClient $server.Port; $script:clients += $client
            $bytes = [Text.Encoding]::ASCII.GetBytes('x' * 100)
            $client.GetStream().Write($bytes, 0, $bytes.Length)
            Test-TcpClosedByServer $client | Should -BeTrue
            Wait-Until { (Get-ServerEvents $server Closed).Count -eq 1 }
            (Get-ServerEvents $server Closed)[0].Detail | Should -Match 'longer than 16 bytes \(-MaxMessageLength\)'
        }

        It 'closes idle connections after -IdleTimeout' {
            $server = Start-TcpServer -IdleTimeout 0.3
            $client = New-TcpTestClient $server.Port; $script:clients += $client
            Send-TestLine $client 'hi'
            Read-TestLine $client | Should -Be 'hi'
            Test-TcpClosedByServer $client | Should -BeTrue
            Wait-Until { (Get-ServerEvents $server Closed).Count -eq 1 }
            (Get-ServerEvents $server Closed)[0].Detail | Should -Be 'idle for 0.3 s (-IdleTimeout)'
        }

        It 'refuses connections over -<Limit> with a Rejected event' -ForEach @(
            @{ Limit = 'MaxConnectionsPerClient' }, @{ Limit = 'MaxConnections' }
        ) {
            $limits = @{ $Limit = 1 }
            $server = Start-TcpServer @limits
            $first = New-TcpTestClient $server.Port; $script:clients += $first
            Send-TestLine $first 'one'
            Read-TestLine $first | Should -Be 'one'
            $second = New-TcpTestClient $server.Port; $script:clients += $second
            Test-TcpClosedByServer $second | Should -BeTrue
            Wait-Until { $server.RejectedConnections -eq 1 }
            (Get-ServerEvents $server Rejected)[0].Detail | Should -Match "-$Limit"
            $first.Dispose()
            Wait-Until { $server.ActiveConnections -eq 0 }
            ('again' | Connect-TcpChat -Port $server.Port).Reply | Should -Be 'again'
        }

        It 'refuses addresses outside -AllowFrom' {
            $server = Start-TcpServer -AllowFrom '10.0.0.0/8', '192.168.0.0/16'
            $client = New-TcpTestClient $server.Port; $script:clients += $client
            Test-TcpClosedByServer $client | Should -BeTrue
            Wait-Until { $server.RejectedConnections -eq 1 }
            (Get-ServerEvents $server Rejected)[0].ToString() | Should -Match '^x 127\.0\.0\.1:\d+ rejected: 127\.0\.0\.1 is not in -AllowFrom'
            $allowed = Start-TcpServer -AllowFrom '127.0.0.0/8'
            ('ok' | Connect-TcpChat -Port $allowed.Port).Reply | Should -Be 'ok'
        }

        It 'rejects a bad -AllowFrom' {
            { Start-TcpServer -AllowFrom '10.0.0.0/33' } | Should -Throw -ErrorId 'AddressRangeInvalid,PSNetLab.Commands.StartTcpServerCommand'
        }

        It 'after a half-close still sends the pending replies, then closes' {
            $server = Start-TcpServer -Handler Dictionary
            # tcp_peer 'lines' sends, shuts down its write side, then reads to EOF.
            Invoke-TcpPeer lines $server.Port 'hello', 'love' | Should -Be "你好`n爱"
        }

        It 'survives a client that resets in the middle of a message' {
            $server = Start-TcpServer
            Invoke-TcpPeer reset $server.Port 'half a li' | Should -Be 'reset'
            Wait-Until { (Get-ServerEvents $server Closed).Count -eq 1 }
            (Get-ServerEvents $server Closed)[0].Detail | Should -Match 'reset|closed'
            ('next' | Connect-TcpChat -Port $server.Port).Reply | Should -Be 'next'
        }

        It 'says which process holds a port that is in use' {
            $server = Start-TcpServer
            { Start-TcpServer -Port $server.Port } | Should -Throw -ErrorId 'TcpServerAddressInUse,PSNetLab.Commands.StartTcpServerCommand'
            try { Start-TcpServer -Port $server.Port } catch { $_.Exception.Message | Should -Match "in use by pid $PID \(" }
        }

        It 'sets keepalive and Nagle options on accepted sockets' {
            $server = Start-TcpServer -KeepAlive -KeepAliveTime 60 -KeepAliveInterval 5 -KeepAliveRetryCount 3 -NoDelay
            ('k' | Connect-TcpChat -Port $server.Port).Reply | Should -Be 'k'
            $server.Errors | Should -Be 0
            $server.Server.TcpOptions.KeepAlive.Time | Should -Be ([timespan]::FromSeconds(60))
        }
    }

    Context 'Suspend and resume' {
        It 'stops accepting while the socket listens: clients wait in the accept queue (RecvQ), then are served' {
            $server = Start-TcpServer -Backlog 5
            ('warm' | Connect-TcpChat -Port $server.Port).Reply | Should -Be 'warm'
            Suspend-NetLabServer $server
            $server.State | Should -Be 'Suspended'
            $waiting = 1..4 | ForEach-Object { New-TcpTestClient $server.Port }
            $script:clients += $waiting
            $waiting | ForEach-Object { Send-TestLine $_ 'queued' }
            Wait-Until { (Get-SocketTable -Protocol Tcp -State Listen -LocalPort $server.Port).RecvQ -ge 3 } -Because 'the accept queue to fill'
            $listen = Get-SocketTable -Protocol Tcp -State Listen -LocalPort $server.Port
            $listen.SendQ | Should -Be 5
            Read-TestLine $waiting[-1] -TimeoutSeconds 0.3 | Should -BeNullOrEmpty
            Resume-NetLabServer $server
            $server.State | Should -Be 'Running'
            foreach ($client in $waiting) { Read-TestLine $client | Should -Be 'queued' }
            (Get-SocketTable -Protocol Tcp -State Listen -LocalPort $server.Port).RecvQ | Should -Be 0
        }

        It 'works through the job methods too (Suspend-Job calls them on Windows)' {
            $server = Start-TcpServer
            $server.SuspendJob()
            $server.State | Should -Be 'Suspended'
            $server.ResumeJob()
            $server.State | Should -Be 'Running'
            ('again' | Connect-TcpChat -Port $server.Port).Reply | Should -Be 'again'
        }

        It 'logs into an Output set while it was suspended (the job lets a stopped or suspended job''s Output be replaced)' {
            $server = Start-TcpServer
            $server.SuspendJob()
            $first = $server.Output
            $server.Output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $server.ResumeJob()
            ('later' | Connect-TcpChat -Port $server.Port).Reply | Should -Be 'later'
            Wait-Until { @($server.Output | Where-Object Kind -EQ Closed).Count -eq 1 } -Because 'the connection to be logged'
            (Receive-Job $server | Where-Object Kind -EQ Received).Text | Should -Be 'later'
            @($first | Where-Object Kind -EQ Received).Count | Should -Be 0
        }

        It 'changes nothing with -WhatIf, and resuming a running server is harmless' {
            $server = Start-TcpServer
            Get-NetLabServer -Port $server.Port | Suspend-NetLabServer -WhatIf
            $server.State | Should -Be 'Running'
            Resume-NetLabServer $server -PassThru | Should -Be $server
            $server.State | Should -Be 'Running'
        }

        It 'refuses to suspend a UDP server, which has no accept queue' {
            $udp = Start-UdpEchoServer
            try {
                { Suspend-NetLabServer $udp -ErrorAction Stop } |
                    Should -Throw -ErrorId 'NetLabServerCannotSuspend,PSNetLab.Commands.SuspendNetLabServerCommand'
                $udp.State | Should -Be 'Running'
            }
            finally { $udp | Remove-Job -Force }
        }
    }

    Context 'Chat' {
        It 'relays lines to every other client as <name> text, with /nick, join/leave and neutralised escapes' {
            $server = Start-TcpServer -Handler Chat
            $alice = New-TcpTestClient $server.Port; $script:clients += $alice
            Send-TestLine $alice '/nick alice'
            Read-TestLine $alice | Should -Be '* you are now alice'
            $bob = New-TcpTestClient $server.Port; $script:clients += $bob
            Read-TestLine $alice | Should -Match '^\* 127\.0\.0\.1:\d+ joined \(2 here\)$'
            Send-TestLine $bob '/nick bob'
            Read-TestLine $bob | Should -Be '* you are now bob'
            Read-TestLine $alice | Should -Match '^\* 127\.0\.0\.1:\d+ is now bob$'
            Send-TestLine $alice "hi `e[2J`e[31mbob`a"
            Read-TestLine $bob | Should -Be '<alice> hi bob?'
            Read-TestLine $alice -TimeoutSeconds 0.2 | Should -BeNullOrEmpty
            $bob.Dispose()
            Read-TestLine $alice | Should -Be '* bob left'
        }

        It 'is refused by the UDP server' {
            { Start-UdpServer -Handler Chat } | Should -Throw -ErrorId 'ServerHandlerNotFound,PSNetLab.Commands.StartUdpServerCommand'
        }
    }

    Context 'real peers' {
        It 'talks to ncat, socat and a telnet-style client' {
            $server = Start-TcpServer -Handler Dictionary
            ('hello' | ncat --send-only --recv-only 127.0.0.1 $server.Port 2>$null) | Out-Null
            (& bash -c "printf 'hello\n' | ncat 127.0.0.1 $($server.Port)") | Should -Be '你好'
            (& bash -c "printf 'love\n' | socat -t 2 - TCP:127.0.0.1:$($server.Port)") | Should -Be '爱'
            # telnet sends CRLF and reads until the server closes.
            (& bash -c "printf 'world\r\n' | socat -t 2 - TCP:127.0.0.1:$($server.Port),crnl") | Should -Be '世界'
        }

        It 'serves <Mode> mode to python clients on IPv6 loopback' -ForEach @(@{ Mode = 'Iterative' }, @{ Mode = 'Thread' }) {
            $server = Start-TcpServer -LocalAddress '::1' -Concurrency $Mode -Prefix 'server get!->'
            $env:PEER_HOST = '::1'
            try { Invoke-TcpPeer lines $server.Port 'six' | Should -Be 'server get!->six' } finally { Remove-Item Env:PEER_HOST }
        }
    }

    Context 'Stop and restart' {
        It 'frees the port at once and restarts on it with -ReuseAddress' {
            $server = Start-TcpServer -ReuseAddress
            $port = $server.Port
            $clients = 1..3 | ForEach-Object { New-TcpTestClient $port }
            $script:clients += $clients
            Wait-Until { $server.ActiveConnections -eq 3 }
            Stop-NetLabServer $server
            $server.State | Should -Be 'Stopped'
            foreach ($client in $clients) { Test-TcpClosedByServer $client | Should -BeTrue }
            $again = Start-TcpServer -Port $port -ReuseAddress
            ('back' | Connect-TcpChat -Port $port).Reply | Should -Be 'back'
            $again.Port | Should -Be $port
        }
    }
}
