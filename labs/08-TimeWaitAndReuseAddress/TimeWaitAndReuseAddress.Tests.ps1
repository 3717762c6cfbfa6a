# Lab 8: TIME_WAIT on a server's port, and SO_REUSEADDR (DIGEST S15).
param([string] $Solution)

BeforeAll {
    . (Join-Path $PSScriptRoot '../LabSetup.ps1')
    . (Resolve-LabSolution $PSScriptRoot $Solution)
    $null = Start-NetLabFixture 'lab 8'
    $port = New-ServerTimeWait
}
AfterAll { Stop-NetLabFixture }

Describe 'Lab 8: TIME_WAIT and SO_REUSEADDR' {
    It 'leaves the server''s port in TIME_WAIT, with nothing listening' {
        $port | Should -BeOfType [int]
        $port | Should -Not -BeListening
        $port | Should -HaveSocketState TimeWait -Side Server
    }

    It 'a program without SO_REUSEADDR cannot bind the port' {
        Test-PythonBind -Port $port | Should -BeFalse
    }

    It 'with SO_REUSEADDR it can' {
        Test-PythonBind -Port $port -ReuseAddress | Should -BeTrue
    }

    It 'restarts the PSNetLab server on the same port with -ReuseAddress' {
        $server = Restart-LabServer -Port $port
        $server.Port | Should -Be $port
        $server | Should -BeListening
        $server | Should -ReplyWith 'again' -To 'again'
    }

    It 'SO_REUSEADDR still refuses a second listener' {
        { Start-TcpServer -Port $port -ReuseAddress -ErrorAction Stop } |
            Should -Throw -ErrorId 'TcpServerAddressInUse,PSNetLab.Commands.StartTcpServerCommand'
    }
}
