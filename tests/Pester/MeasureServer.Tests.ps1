BeforeAll { . $PSScriptRoot/TestSetup.ps1 }

Describe 'Measure-TcpServer and Measure-UdpServer' {
    BeforeAll {
        . $PSScriptRoot/TcpTestHelpers.ps1

        function Start-PythonEcho([string] $Mode) {
            # echo_peer.py prints 'port N' once it listens; the caller stops it with Stop-Peer.
            $peer = Start-Peer python3 @((Join-Path $PSScriptRoot 'echo_peer.py'), $Mode)
            $line = $peer.StandardOutput.ReadLineAsync()
            if (-not $line.Wait(10000)) { Stop-Peer $peer; throw 'echo_peer.py did not start within 10 s.' }
            $peer | Add-Member -NotePropertyName Port -NotePropertyValue ([int]($line.Result -replace '^port ', ''))
            return $peer
        }

        function Get-ClosedPort {
            # A port nothing listens on: bound and released, nobody else binds it in the meantime.
            $probe = [Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
            $probe.Start()
            try { return $probe.LocalEndpoint.Port } finally { $probe.Stop() }
        }

        function Should-BeCleanRun($Result, [int] $Connections) {
            $Result.Requests | Should -BeGreaterThan 0
            $Result.Errors | Should -Be 0
            $Result.ConnectionsMade | Should -Be $Connections
            $Result.LatencyP50Ms | Should -BeLessOrEqual $Result.LatencyP90Ms
            $Result.LatencyP90Ms | Should -BeLessOrEqual $Result.LatencyP99Ms
            $Result.LatencyP99Ms | Should -BeLessOrEqual $Result.LatencyMaxMs
        }
    }
    AfterEach {
        Get-NetLabServer | Remove-Job -Force
        Stop-Peer $script:peer
        $script:peer = $null
    }

    Context 'against PSNetLab servers' {
        It 'measures the UDP echo server, with the prefix it adds' {
            $server = Start-UdpEchoServer -Prefix 'server get!->'
            $result = Measure-UdpServer $server.Port -Connections 4 -Duration 0.5 -ExpectPrefix 'server get!->'
            Should-BeCleanRun $result 4
            $result.Protocol | Should -Be 'Udp'
            $result.Framing | Should -BeNullOrEmpty
            $result.RequestsPerSecond | Should -BeGreaterThan 0
            [math]::Abs($result.MegabytesPerSecond - $result.RequestsPerSecond * 64 / 1e6) | Should -BeLessThan 1e-9
            $server.MessagesReceived | Should -BeGreaterOrEqual $result.Requests
        }

        It 'measures the TCP echo server in <Concurrency> mode' -ForEach @(
            @{ Concurrency = 'Thread'; Connections = 8 }
            @{ Concurrency = 'Iterative'; Connections = 1 }
        ) {
            $server = Start-TcpServer -Concurrency $Concurrency -Prefix 'server get!->'
            $result = Measure-TcpServer $server.Port -Connections $Connections -Duration 0.5 -ExpectPrefix 'server get!->'
            Should-BeCleanRun $result $Connections
            $result.Framing | Should -Be 'Line'
        }

        It 'drives each connection from a thread of its own when PSNETLAB_SOCKET_ENGINE is dotnet (the Windows and macOS way)' {
            # Read by each run, so it changes only how Measure-TcpServer drives; the servers' engine
            # was chosen when the process served its first connection, before this test.
            $server = Start-TcpServer
            $before = $env:PSNETLAB_SOCKET_ENGINE
            $env:PSNETLAB_SOCKET_ENGINE = 'dotnet'
            try {
                $result = Measure-TcpServer $server.Port -Connections 4 -Pipeline 2 -Duration 0.5
            }
            finally {
                $env:PSNETLAB_SOCKET_ENGINE = $before
            }
            Should-BeCleanRun $result 4
        }

        It 'keeps -Pipeline requests in flight per connection' {
            $server = Start-TcpServer
            $result = Measure-TcpServer $server.Port -Connections 2 -Pipeline 8 -Duration 0.5 -MessageSize 1000
            Should-BeCleanRun $result 2
            $result.Pipeline | Should -Be 8
        }

        It 'opens a connection per request with -ShortConnections' {
            $server = Start-TcpServer
            $result = Measure-TcpServer $server.Port -Connections 2 -ShortConnections -Duration 0.5
            $result.Errors | Should -Be 0
            $result.Requests | Should -BeGreaterThan 1
            # The stop may catch a connection made whose echo had not come yet: at most one per worker.
            $result.ConnectionsMade | Should -BeGreaterOrEqual $result.Requests
            $result.ConnectionsMade | Should -BeLessOrEqual ($result.Requests + 2)
            Wait-Until { $server.Connections -ge $result.Requests } -Because 'the server to count every connection'
        }

        It 'sends raw bytes with -Framing Raw' {
            $server = Start-TcpServer -Framing Raw
            Should-BeCleanRun (Measure-TcpServer $server.Port -Framing Raw -Connections 2 -Duration 0.5 -MessageSize 16384) 2
        }

        It 'measures over IPv6 loopback' {
            $server = Start-UdpEchoServer -LocalAddress IPv6Loopback
            $result = Measure-UdpServer $server.Port -ComputerName '::1' -Connections 2 -Duration 0.3
            Should-BeCleanRun $result 2
            $result.Target | Should -Be "[::1]:$($server.Port)"
        }
    }

    Context 'against a Python peer' {
        It 'measures a threaded python3 echo server' {
            $script:peer = Start-PythonEcho echo
            Should-BeCleanRun (Measure-TcpServer $script:peer.Port -Connections 4 -Duration 0.5) 4
        }

        It 'counts a TCP server that corrupts the echo as WrongBytes, and reconnects' {
            $script:peer = Start-PythonEcho corrupt
            $result = Measure-TcpServer $script:peer.Port -Connections 2 -Duration 0.5
            $result.Requests | Should -Be 0
            $result.WrongBytes | Should -BeGreaterThan 0
            $result.ConnectionsMade | Should -BeGreaterThan 2
            $result.Errors | Should -Be $result.WrongBytes
        }
    }

    Context 'errors by kind' {
        It 'counts a UDP handler that flips a byte as WrongBytes' {
            $server = Start-UdpServer -Handler { $b = [byte[]]$_.Bytes.Clone(); $b[-1] = $b[-1] -bxor 1; , $b }
            $result = Measure-UdpServer $server.Port -Connections 2 -Duration 0.5
            $result.Requests | Should -Be 0
            $result.WrongBytes | Should -BeGreaterThan 0
            $result.TimedOut | Should -Be 0
        }

        It 'counts a closed TCP port as Refused' {
            $result = Measure-TcpServer (Get-ClosedPort) -Connections 2 -Duration 0.3
            $result.Requests | Should -Be 0
            $result.Refused | Should -BeGreaterThan 0
            $result.ConnectionsMade | Should -Be 0
            "$result" | Should -Match "errors$"
        }

        It 'counts a closed UDP port (ICMP port unreachable) as Refused' {
            $result = Measure-UdpServer (Get-FreeUdpPort) -Connections 1 -Duration 0.3
            $result.Requests | Should -Be 0
            $result.Refused | Should -BeGreaterThan 0
        }

        It 'counts an echo that does not come in time as TimedOut' {
            $server = Start-UdpServer -Handler Discard
            $result = Measure-UdpServer $server.Port -Connections 1 -Duration 0.6 -Timeout 0.2
            $result.Requests | Should -Be 0
            $result.TimedOut | Should -BeGreaterOrEqual 2
        }
    }

    Context 'arguments' {
        It 'refuses a target that is not loopback: <Target>' -ForEach @(
            @{ Target = '192.0.2.1'; Command = 'Measure-TcpServer'; Class = 'MeasureTcpServerCommand' }
            @{ Target = '2001:db8::1'; Command = 'Measure-UdpServer'; Class = 'MeasureUdpServerCommand' }
        ) {
            { & $Command 7 -ComputerName $Target -Duration 0.1 } |
                Should -Throw -ErrorId "LoadTargetNotLoopback,PSNetLab.Commands.$Class"
        }

        It 'accepts any 127.0.0.0/8 address and localhost' {
            # TCP: a UDP server on Any would answer 127.0.0.2 from 127.0.0.1, which a connected socket ignores.
            $server = Start-TcpServer -LocalAddress Any
            (Measure-TcpServer $server.Port -ComputerName 127.0.0.2 -Connections 1 -Duration 0.2).Requests | Should -BeGreaterThan 0
            (Measure-TcpServer $server.Port -ComputerName localhost -Connections 1 -Duration 0.2).Requests | Should -BeGreaterThan 0
        }

        It 'refuses port <Port>' -ForEach @(@{ Port = 0 }, @{ Port = 70000 }) {
            { Measure-TcpServer $Port -Duration 0.1 } | Should -Throw -ErrorId 'PortOutOfRange,PSNetLab.Commands.MeasureTcpServerCommand'
        }

        It 'refuses a UDP message larger than a datagram' {
            { Measure-UdpServer 7 -MessageSize 65500 -ExpectPrefix ('x' * 100) -Duration 0.1 } |
                Should -Throw -ErrorId 'LoadOptionOutOfRange,PSNetLab.Commands.MeasureUdpServerCommand'
        }

        It 'does not take -Pipeline with -ShortConnections' {
            { Measure-TcpServer 7 -ShortConnections -Pipeline 2 } | Should -Throw -ErrorId 'AmbiguousParameterSet,PSNetLab.Commands.MeasureTcpServerCommand' -Because 'they are different parameter sets'
        }
    }

    Context 'Ctrl+C' {
        It 'stops at once and closes every connection' {
            $server = Start-TcpServer
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$((Get-Module PSNetLab).Path -replace '\.dll$', '.psd1')'; Measure-TcpServer $($server.Port) -Connections 4 -Duration 60")
                $async = $ps.BeginInvoke()
                Wait-Until { $server.ActiveConnections -eq 4 -and $server.MessagesReceived -gt 100 } -Because 'the load to start'
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $ps.Stop()
                $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
                $async.IsCompleted | Should -BeTrue
                Wait-Until { $server.ActiveConnections -eq 0 } -Because 'every load connection to be closed'
            }
            finally { $ps.Dispose() }
        }
    }

    Context 'output' {
        It 'shows as a table row and reads well as text' {
            $server = Start-UdpEchoServer
            $result = Measure-UdpServer $server.Port -Connections 1 -Duration 0.2
            "$result" | Should -Match "^UDP 127\.0\.0\.1:$($server.Port): 1 x 64 B: [\d,]+ req/s, [\d.]+ MB/s, p99 [\d.]+ ms, 0 errors$"
            $text = $result | Out-String
            $text | Should -Match 'Req/s'
            $text | Should -Match 'p99 ms'
        }
    }
}
