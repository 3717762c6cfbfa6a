# Lab 4: the same handler as an iterative, a thread and a process server (DIGEST S7-S9).
param([string] $Solution)

BeforeAll {
    . (Join-Path $PSScriptRoot '../LabSetup.ps1')
    . (Resolve-LabSolution $PSScriptRoot $Solution)
    $null = Start-NetLabFixture 'lab 4'
}
AfterAll { Stop-NetLabFixture }

Describe 'Lab 4: concurrency models' {
    It 'starts the echo server in <_> mode' -ForEach 'Iterative', 'Thread', 'Process' {
        $server = Start-ConcurrencyLab -Concurrency $_
        try {
            $server | Should -BeListening
            $server | Should -ReplyWith 'server get!->hi' -To 'hi' -Timeout 10
        }
        finally { $server | Stop-NetLabServer }
    }

    It 'iterative: with 3 connections only one is served at a time, so the others time out' {
        $server = Start-ConcurrencyLab -Concurrency Iterative
        try {
            $result = Measure-ConcurrencyLab -Port $server.Port -Connections 3
            $result.Requests | Should -BeGreaterThan 0
            $result.TimedOut | Should -BeGreaterThan 0
        }
        finally { $server | Stop-NetLabServer }
    }

    It 'thread: all 3 connections are served, none times out' {
        $server = Start-ConcurrencyLab -Concurrency Thread
        try {
            $result = Measure-ConcurrencyLab -Port $server.Port -Connections 3
            $result.Requests | Should -BeGreaterThan 0
            $result.TimedOut + $result.Refused + $result.Reset + $result.WrongBytes | Should -Be 0
        }
        finally { $server | Stop-NetLabServer }
    }

    It 'thread: this process owns every connection' {
        $server = Start-ConcurrencyLab -Concurrency Thread
        try {
            $owners = @(Get-ConnectionOwner -Port $server.Port -Connections 2)
            $owners | Should -Be @($PID, $PID)
        }
        finally { $server | Stop-NetLabServer }
    }

    It 'process: each connection is owned by a worker process, the Listen row by the server' {
        $server = Start-ConcurrencyLab -Concurrency Process
        try {
            $owners = @(Get-ConnectionOwner -Port $server.Port -Connections 2)
            $owners.Count | Should -Be 2
            $owners | Should -Not -Contain $PID
            $owners | Should -Not -Contain $null
            @($owners | Sort-Object -Unique).Count | Should -Be 2
            (Get-SocketTable -Protocol Tcp -Listening -LocalPort $server.Port -IncludeProcess).OwningProcess | Should -Be $PID
        }
        finally { $server | Stop-NetLabServer }
    }
}
