BeforeAll { . $PSScriptRoot/TestSetup.ps1 }

Describe 'Send-UdpMessage' {
    BeforeAll { . $PSScriptRoot/UdpTestHelpers.ps1 }
    AfterEach { Get-NetLabServer | Remove-Job -Force }

    It 'returns the sent text, the reply, both endpoints and the round-trip time' {
        $server = Start-UdpEchoServer
        $result = Send-UdpMessage 'hello' -Port $server.Port
        $result.Sent | Should -Be 'hello'
        $result.Reply | Should -Be 'hello'
        $result.ReplyBytes | Should -Be ([Text.Encoding]::UTF8.GetBytes('hello'))
        $result.RemoteAddress | Should -Be ([ipaddress]::Loopback)
        $result.RemotePort | Should -Be $server.Port
        $result.LocalPort | Should -BeGreaterThan 0 -Because 'the OS picks a port for a client that never bound'
        $result.RoundTripTime | Should -BeOfType [timespan]
        $result.ToString() | Should -Be "127.0.0.1:$($server.Port)# hello"
    }

    It 'sends pipeline input in order from one local port' {
        $server = Start-UdpServer -Handler Dictionary
        $results = 'hello', 'world', 'love' | Send-UdpMessage -Port $server.Port
        $results.Reply | Should -Be @('你好', '世界', '爱')
        @($results.LocalPort | Sort-Object -Unique).Count | Should -Be 1
    }

    It 'takes -Timeout as seconds or as a TimeSpan' {
        $server = Start-UdpServer -Handler Discard
        $clock = [Diagnostics.Stopwatch]::StartNew()
        { Send-UdpMessage 'x' -Port $server.Port -Timeout ([timespan]::FromMilliseconds(200)) -ErrorAction Stop } |
            Should -Throw -ErrorId 'UdpMessageTimedOut,PSNetLab.Commands.SendUdpMessageCommand'
        { Send-UdpMessage 'x' -Port $server.Port -Timeout 0.2 -ErrorAction Stop } |
            Should -Throw -ErrorId 'UdpMessageTimedOut,PSNetLab.Commands.SendUdpMessageCommand'
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 2
    }

    It 'with -NoReply sends without waiting' {
        $server = Start-UdpServer -Handler Discard
        $result = Send-UdpMessage 'one-way' -Port $server.Port -NoReply
        $result.Reply | Should -BeNullOrEmpty
        $result.RoundTripTime | Should -BeNullOrEmpty
        Wait-Until { $server.MessagesReceived -eq 1 }
    }

    It 'says when nothing listens (ICMP port unreachable)' {
        $server = Start-UdpEchoServer
        $port = $server.Port
        Stop-NetLabServer $server
        $err = { Send-UdpMessage 'x' -Port $port -ErrorAction Stop } |
            Should -Throw -ErrorId 'UdpMessagePortUnreachable,PSNetLab.Commands.SendUdpMessageCommand' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'carries the largest IPv4 datagram (65,507 bytes) and refuses one byte more' {
        $server = Start-UdpServer -Handler { $_.Length }
        (Send-UdpMessage ('x' * 65507) -Port $server.Port -Timeout 10).Reply | Should -Be '65507'
        $err = { Send-UdpMessage ('x' * 65508) -Port $server.Port -ErrorAction Stop } |
            Should -Throw -ErrorId 'UdpMessageTooLarge,PSNetLab.Commands.SendUdpMessageCommand' -PassThru
        $err.Exception.Message | Should -Match '65507'
        { Send-UdpMessage ('x' * 65528) -ComputerName '::1' -Port $server.Port -ErrorAction Stop } |
            Should -Throw -ErrorId 'UdpMessageTooLarge,PSNetLab.Commands.SendUdpMessageCommand'
    }

    It 'rejects bad input: <Case>' -ForEach @(
        @{ Case = 'port'; Id = 'PortOutOfRange'; Call = { Send-UdpMessage 'x' -Port 70000 } }
        @{ Case = 'unknown host'; Id = 'HostNotFound'; Call = { Send-UdpMessage 'x' -ComputerName 'no-such-host.invalid' -Port 9 } }
        @{ Case = 'encoding'; Id = 'ParameterArgumentTransformationError'; Call = { Send-UdpMessage 'x' -Port 9 -Encoding 'no-such-encoding' } }
    ) {
        $Call | Should -Throw -ErrorId "$Id,PSNetLab.Commands.SendUdpMessageCommand"
    }

    It 'talks to a socat echo server' {
        $port = Get-FreeUdpPort
        $socat = Start-Peer socat @("UDP4-RECVFROM:$port,bind=127.0.0.1,fork", 'PIPE')
        try {
            $reply = $null
            Wait-Until {
                $script:reply = Send-UdpMessage 'via socat' -Port $port -Timeout 0.3 -ErrorAction Ignore
                $null -ne $script:reply
            } -Because 'socat to answer'
            $script:reply.Reply | Should -Be 'via socat'
        }
        finally { Stop-Peer $socat }
    }

    It 'talks to a python time server in gbk' {
        $python = Start-Peer python3 @('-c', @'
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', 0))
print(s.getsockname()[1], flush=True)
data, peer = s.recvfrom(65535)
s.sendto(('收到:' + data.decode('gbk')).encode('gbk'), peer)
'@)
        try {
            $port = [int]$python.StandardOutput.ReadLine()
            (Send-UdpMessage '你好' -Port $port -Encoding gbk -Timeout 5).Reply | Should -Be '收到:你好'
        }
        finally { Stop-Peer $python }
    }
}

Describe 'UDP servers with real clients' {
    BeforeAll { . $PSScriptRoot/UdpTestHelpers.ps1 }
    AfterEach { Get-NetLabServer | Remove-Job -Force }

    It 'answers a python client' {
        $server = Start-UdpEchoServer -Prefix 'server get!->'
        Invoke-PythonUdp -Port $server.Port -Text 'hello' | Should -Be 'server get!->hello'
    }

    It 'answers ncat -u' {
        $server = Start-UdpServer -Handler Dictionary
        $console = [Console]::OutputEncoding
        try {
            # Native output is decoded with the console encoding; the reply is UTF-8.
            [Console]::OutputEncoding = [Text.UTF8Encoding]::new($false)
            # stdin stays open a moment: ncat -u may quit at end of input before the reply arrives; -i 1 ends it after.
            $reply = bash -c "(echo hello; sleep 1.5) | ncat -u -i 1 127.0.0.1 $($server.Port)" 2>$null
        }
        finally { [Console]::OutputEncoding = $console }
        ($reply -join '').Trim() | Should -Be '你好'
    }

    It 'answers socat' {
        $server = Start-UdpServer -Handler Time
        $reply = '%Y' | socat -t 1 - "UDP4:127.0.0.1:$($server.Port)"
        ($reply -join '').Trim() | Should -Be ((Get-Date).Year.ToString())
    }
}

Describe 'Receive-UdpMessage' {
    BeforeAll { . $PSScriptRoot/UdpTestHelpers.ps1 }
    BeforeEach { $script:peer = $null }
    AfterEach { Stop-Peer $script:peer }

    It 'returns datagrams from a python sender as they arrive, shown as ip:port# text' {
        $port = Get-FreeUdpPort
        $script:peer = Start-Peer python3 @('-c', "import socket,time; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(('127.0.0.1',0)); print(s.getsockname()[1], flush=True)`nfor i in range(100):`n    s.sendto(b'tick', ('127.0.0.1', $port)); time.sleep(0.05)")
        $senderPort = [int]$script:peer.StandardOutput.ReadLine()
        $datagrams = Receive-UdpMessage -Port $port -Count 2 -Timeout 5
        $datagrams.Count | Should -Be 2
        $datagrams[0].Text | Should -Be 'tick'
        $datagrams[0].RemotePort | Should -Be $senderPort
        $datagrams[0].LocalPort | Should -Be $port
        $datagrams[0].ToString() | Should -Be "127.0.0.1:$senderPort# tick"
        ($datagrams[0] | Out-String).Trim() | Should -Be "127.0.0.1:$senderPort# tick"
    }

    It 'receives from ncat -u' {
        $port = Get-FreeUdpPort
        $script:peer = Start-Peer bash @('-c', "for i in `$(seq 100); do echo from-ncat | ncat -u --send-only 127.0.0.1 $port; sleep 0.05; done")
        $datagram = Receive-UdpMessage -Port $port -Count 1 -Timeout 5
        $datagram.Text.Trim() | Should -Be 'from-ncat'
    }

    It 'ends quietly after -Timeout without -Count, and says so with -Count' {
        $port = Get-FreeUdpPort
        Receive-UdpMessage -Port $port -Timeout 0.2 | Should -BeNullOrEmpty
        { Receive-UdpMessage -Port $port -Count 1 -Timeout 0.2 -ErrorAction Stop } |
            Should -Throw -ErrorId 'UdpMessageTimedOut,PSNetLab.Commands.ReceiveUdpMessageCommand'
    }

    It 'says when the port is in use, and rejects a bad port' {
        $server = Start-UdpEchoServer
        try {
            { Receive-UdpMessage -Port $server.Port -Count 1 } | Should -Throw -ErrorId 'UdpMessageAddressInUse,PSNetLab.Commands.ReceiveUdpMessageCommand'
        }
        finally { Remove-Job $server -Force }
        { Receive-UdpMessage -Port -5 } | Should -Throw -ErrorId 'PortOutOfRange,PSNetLab.Commands.ReceiveUdpMessageCommand'
    }
}

Describe 'Connect-UdpChat from a script' {
    BeforeAll { . $PSScriptRoot/UdpTestHelpers.ps1 }
    BeforeEach { $script:peer = $null }
    AfterEach { Stop-Peer $script:peer }

    It 'sends pipeline lines to the peer and returns its replies until 88' {
        $script:peer = Start-Peer python3 @('-c', @'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', 0))
print(s.getsockname()[1], flush=True)
data, peer = s.recvfrom(65535)
s.sendto(b'got ' + data, peer)
s.sendto(b'88', peer)
print(data.decode(), flush=True)
'@)
        $port = [int]$script:peer.StandardOutput.ReadLine()
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $lines = 'hi python' | Connect-UdpChat -Peer "127.0.0.1:$port" -Timeout 10
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 8 -Because '88 from the peer ends the chat'
        $lines.Text | Should -Be @('got hi python', '88')
        $lines[0].Peer | Should -Be "127.0.0.1:$port"
        $script:peer.StandardOutput.ReadLine() | Should -Be 'hi python'
    }

    It 'talks to named peers from a name book: @name picks one' {
        $alice = Start-UdpEchoServer -Prefix 'alice: '
        $bob = Start-UdpEchoServer -Prefix 'bob: '
        try {
            $book = @{ alice = "127.0.0.1:$($alice.Port)"; bob = "127.0.0.1:$($bob.Port)" }
            $lines = 'hello', '@bob hey', 'again' | Connect-UdpChat -Peers $book -To alice -Timeout 0.5
            # Two servers answer independently, so replies from different peers may arrive in either order.
            $lines = $lines | Sort-Object Text
            $lines.Text | Should -Be @('alice: hello', 'bob: again', 'bob: hey')
            $lines.Peer | Should -Be @('alice', 'bob', 'bob')
            $lines[0].ToString() | Should -Be "alice 127.0.0.1:$($alice.Port)# alice: hello"
        }
        finally { $alice, $bob | Remove-Job -Force }
    }

    It 'ends when the user sends 88, after sending it' {
        $server = Start-UdpEchoServer
        try {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $null = 'one', '88', 'never sent' | Connect-UdpChat -Peer "127.0.0.1:$($server.Port)" -Timeout 5
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 4 -Because 'sending 88 ends the chat without waiting for -Timeout'
            Wait-Until { $server.MessagesReceived -eq 2 }
            (Receive-Job $server | Where-Object Kind -EQ Received).Text | Should -Be @('one', '88')
        }
        finally { Remove-Job $server -Force }
    }

    It 'rejects bad input: <Case>' -ForEach @(
        @{ Case = 'peer'; Id = 'AddressInvalid'; Call = { 'x' | Connect-UdpChat -Peer 'nowhere' } }
        @{ Case = 'peer port'; Id = 'PortOutOfRange'; Call = { 'x' | Connect-UdpChat -Peer '127.0.0.1:99999' } }
        @{ Case = 'local port'; Id = 'PortOutOfRange'; Call = { 'x' | Connect-UdpChat -Peer '127.0.0.1:9' -LocalPort 70000 } }
        @{ Case = 'unknown name'; Id = 'UdpChatPeerNotFound'; Call = { 'x' | Connect-UdpChat -Peers @{ a = '127.0.0.1:9' } -To b } }
    ) {
        $Call | Should -Throw -ErrorId "$Id,PSNetLab.Commands.ConnectUdpChatCommand"
    }
}
