# Lab 9: the listen backlog and the accept queue (DIGEST S7).
param([string] $Solution)

BeforeAll {
    . (Join-Path $PSScriptRoot '../LabSetup.ps1')
    . (Resolve-LabSolution $PSScriptRoot $Solution)
    $null = Start-NetLabFixture 'lab 9'
    $server = Start-BacklogLab
}
AfterAll {
    if ($queue) { $queue.Clients | ForEach-Object Dispose }
    Stop-NetLabFixture
}

Describe 'Lab 9: the backlog' {
    It 'listens with a backlog of 3' {
        $server | Should -BeListening
        (Get-SocketTable -Protocol Tcp -Listening -LocalPort $server.Port -ProcessId $PID).SendQ | Should -Be 3
    }

    It 'fills the accept queue while the server does not accept' {
        $script:queue = Invoke-FillAcceptQueue -Server $server -Clients 3
        @($queue.Clients).Count | Should -Be 3
        $queue.SendQ | Should -Be 3
        # 3, or 2 when an accept was already waiting as the server was suspended: it takes one connection.
        $queue.RecvQ | Should -BeIn 2, 3
        $server.Port | Should -HaveSocketState Established -Side Client
    }

    It 'serves every queued client once it accepts again' {
        $replies = @(Resume-BacklogLab -Server $server -Clients $queue.Clients)
        $replies | Should -Be 'client 1', 'client 2', 'client 3'
        Wait-LabCondition { (Get-SocketTable -Protocol Tcp -Listening -LocalPort $server.Port -ProcessId $PID).RecvQ -eq 0 } -Because 'an empty accept queue'
    }
}
