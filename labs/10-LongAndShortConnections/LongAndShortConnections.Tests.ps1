# Lab 10: long vs short connections, idle timeouts and per-client caps (DIGEST S16).
param([string] $Solution)

BeforeAll {
    . (Join-Path $PSScriptRoot '../LabSetup.ps1')
    . (Resolve-LabSolution $PSScriptRoot $Solution)
    $null = Start-NetLabFixture 'lab 10'
    $server = Start-ConnectionLab
}
AfterAll { Stop-NetLabFixture }

Describe 'Lab 10: long and short connections' {
    It 'short connections: one connection per request' {
        $before = $server.Connections
        $replies = @(Invoke-ShortConnections -Port $server.Port -Count 5)
        $replies.Count | Should -Be 5
        $replies | Should -Not -Contain $null
        $server.Connections - $before | Should -Be 5
        # The client closed first each time, so the TIME_WAITs are on the client side.
        $server.Port | Should -HaveSocketState TimeWait -Side Client
    }

    It 'a long connection: one handshake for every request' {
        $before = $server.Connections
        $replies = @(Invoke-LongConnection -Port $server.Port -Count 5)
        $replies.Count | Should -Be 5
        $server.Connections - $before | Should -Be 1
    }

    It 'measures both, as numbers of seconds' {
        $cost = Measure-ConnectionCost -Port $server.Port -Count 3
        $cost.ShortSeconds | Should -BeGreaterThan 0
        $cost.LongSeconds | Should -BeGreaterThan 0
    }

    It 'closes a connection idle for a second' {
        $client = [Net.Sockets.TcpClient]::new([Net.Sockets.AddressFamily]::InterNetwork)
        try {
            $client.Connect([ipaddress]::Loopback, $server.Port)
            $clientEnd = $client.Client.LocalEndPoint
            $clientEnd | Should -HaveSocketState CloseWait -Timeout 4
            Receive-Job $server -Keep | Where-Object { $_.Kind -eq 'Closed' -and $_.RemotePort -eq $clientEnd.Port } |
                ForEach-Object Detail | Should -Match 'IdleTimeout'
        }
        finally { $client.Dispose() }
    }

    It 'refuses a fourth connection from the same client address' {
        $clients = 1..4 | ForEach-Object {
            $client = [Net.Sockets.TcpClient]::new([Net.Sockets.AddressFamily]::InterNetwork)
            $client.Connect([ipaddress]::Loopback, $server.Port)
            $client
        }
        try {
            Wait-LabCondition { @(Receive-Job $server -Keep | Where-Object Kind -eq Rejected).Count -ge 1 } -Because 'a Rejected event'
            $clients[3].Client.LocalEndPoint | Should -Not -HaveSocketState Established -Timeout 3
        }
        finally { $clients | ForEach-Object Dispose }
    }
}
