# Lab 11: TCP is a byte stream; framing restores the messages (DIGEST S19).
param([string] $Solution)

BeforeAll {
    . (Join-Path $PSScriptRoot '../LabSetup.ps1')
    . (Resolve-LabSolution $PSScriptRoot $Solution)
    $null = Start-NetLabFixture 'lab 11'
    $chunkHandler = { "[$($_.Length) bytes] $($_.Text)" }

    function Connect-Suspended($Server) {
        # Suspended, the server does not accept or read: both writes wait in the socket until it resumes.
        Suspend-NetLabServer $Server
        $client = [Net.Sockets.TcpClient]::new([Net.Sockets.AddressFamily]::InterNetwork)
        $client.Connect([ipaddress]::Loopback, $Server.Port)
        $client.GetStream().ReadTimeout = 5000
        $client
    }
}
AfterAll { Stop-NetLabFixture }

Describe 'Lab 11: TCP is a byte stream' {
    It 'two writes arrive as one chunk at a Raw server' {
        $raw = Start-TcpServer -Framing Raw -Handler $chunkHandler
        $client = Connect-Suspended $raw
        try {
            Send-TwoWrites -Stream $client.GetStream() -First 'hello' -Second 'world'
            Resume-NetLabServer $raw
            $reply = [byte[]]::new(100)
            $read = $client.GetStream().Read($reply, 0, $reply.Length)
            [Text.Encoding]::UTF8.GetString($reply, 0, $read) | Should -BeExactly '[10 bytes] helloworld'
        }
        finally { $client.Dispose() }
    }

    It 'frames a message with a 4-byte network-order length' {
        $frame = ConvertTo-LengthPrefixed -Text 'hello'
        $frame | Should -BeOfType [byte]
        $frame | Should -Be @(0, 0, 0, 5, 104, 101, 108, 108, 111)
        (ConvertTo-LengthPrefixed -Text '你好')[0..3] | Should -Be @(0, 0, 0, 6)
        (ConvertTo-LengthPrefixed -Text ('x' * 300))[0..3] | Should -Be (ConvertTo-NetworkOrder 300).NetworkBytes
    }

    It 'two framed messages stay two messages, even when they arrive together' {
        $framed = Start-TcpServer -Framing LengthPrefixed -Handler $chunkHandler
        $client = Connect-Suspended $framed
        try {
            Send-Framed -Stream $client.GetStream() -Text 'hello', '你好'
            Resume-NetLabServer $framed
            Read-Framed -Stream $client.GetStream() | Should -BeExactly '[5 bytes] hello'
            Read-Framed -Stream $client.GetStream() | Should -BeExactly '[6 bytes] 你好'
        }
        finally { $client.Dispose() }
    }

    It 'reads a framed reply that arrives in pieces' {
        $listener = [Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $listener.Start()
        $client = [Net.Sockets.TcpClient]::new([Net.Sockets.AddressFamily]::InterNetwork)
        try {
            $client.Connect([ipaddress]::Loopback, $listener.LocalEndpoint.Port)
            $client.GetStream().ReadTimeout = 5000
            $peer = $listener.AcceptTcpClient()
            $peer.NoDelay = $true
            $frame = [byte[]](0, 0, 0, 11) + [Text.Encoding]::UTF8.GetBytes('hello world')
            # Two pieces, the second after the reader has started: one Read cannot return it all.
            $sender = Start-ThreadJob { param($Stream, $Frame) $Stream.Write($Frame, 0, 6); Start-Sleep -Milliseconds 300; $Stream.Write($Frame, 6, $Frame.Length - 6) } -ArgumentList $peer.GetStream(), $frame
            Read-Framed -Stream $client.GetStream() | Should -BeExactly 'hello world'
            $null = $sender | Wait-Job -Timeout 5
        }
        finally { $client.Dispose(); if ($peer) { $peer.Dispose() }; $listener.Stop() }
    }
}
