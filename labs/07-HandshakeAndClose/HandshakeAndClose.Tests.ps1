# Lab 7: the handshake and the four-way close, seen in the socket table (DIGEST S14).
param([string] $Solution)

BeforeAll {
    . (Join-Path $PSScriptRoot '../LabSetup.ps1')
    . (Resolve-LabSolution $PSScriptRoot $Solution)
    $null = Start-NetLabFixture 'lab 7'
    $server = Start-CloseLab
}
AfterAll { Stop-NetLabFixture }

Describe 'Lab 7: handshake and close' {
    It 'starts a TCP server that closes idle connections' {
        $server | Should -BeListening
        $server | Should -HaveSocketState Listen -Side Server
    }

    It 'leaves the client, the active closer, in TIME_WAIT when the client closes first' {
        $clientEnd = Invoke-ClientClosesFirst -Port $server.Port
        $clientEnd | Should -BeOfType [Net.IPEndPoint]
        $clientEnd | Should -HaveSocketState TimeWait -Timeout 3
        # The server answered the FIN by closing its own end: nothing of it lingers.
        Get-SocketTable -Protocol Tcp -LocalPort $server.Port -RemotePort $clientEnd.Port | Should -BeNullOrEmpty
    }

    Context 'the server closes first' {
        BeforeAll {
            $client = Invoke-ServerClosesFirst -Port $server.Port
            $clientEnd = $client.Client.LocalEndPoint
        }
        AfterAll { $client.Dispose() }

        It 'returns an open client' {
            $client | Should -BeOfType [Net.Sockets.TcpClient]
            $client.Connected | Should -BeTrue
            $clientEnd | Should -HaveSocketState Established
        }

        It 'leaves the client in CLOSE_WAIT and the server''s end in FIN_WAIT_2 after the idle timeout' {
            $clientEnd | Should -HaveSocketState CloseWait -Timeout 4
            $server.Port | Should -HaveSocketState FinWait2 -Side Server -Timeout 2
            Receive-Job $server -Keep | Where-Object { $_.Kind -eq 'Closed' -and $_.RemotePort -eq $clientEnd.Port } |
                ForEach-Object Detail | Should -Match 'idle'
        }

        It 'moves the server''s end, the active closer, to TIME_WAIT once the client closes too' {
            $client.Close()
            $server.Port | Should -HaveSocketState TimeWait -Side Server -Timeout 3
            $clientEnd | Should -Not -HaveSocketState CloseWait, LastAck -Timeout 3
        }
    }
}
