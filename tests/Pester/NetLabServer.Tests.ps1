BeforeAll { . $PSScriptRoot/TestSetup.ps1 }

Describe 'Get-NetLabServer and Stop-NetLabServer' {
    BeforeAll { . $PSScriptRoot/UdpTestHelpers.ps1 }
    BeforeEach {
        $script:echo = Start-UdpEchoServer -Name 'echo-a'
        $script:time = Start-UdpServer -Handler Time -Name 'time-b'
    }
    AfterEach { Get-NetLabServer | Remove-Job -Force }

    It 'lists every server, filtered by -Name wildcards, -Id, -Port and -Protocol' {
        (Get-NetLabServer).Name | Should -Be @('echo-a', 'time-b')
        (Get-NetLabServer -Name 'time*').Id | Should -Be $time.Id
        (Get-NetLabServer -Id $echo.Id).Name | Should -Be 'echo-a'
        (Get-NetLabServer -Port $time.Port).Name | Should -Be 'time-b'
        @(Get-NetLabServer -Protocol Udp).Count | Should -Be 2
        @(Get-NetLabServer -Protocol Tcp).Count | Should -Be 0
        Get-NetLabServer -Name 'none*' | Should -BeNullOrEmpty
    }

    It 'says when a named or numbered server does not exist' {
        { Get-NetLabServer -Name 'nope' -ErrorAction Stop } | Should -Throw -ErrorId 'NetLabServerNotFound,PSNetLab.Commands.GetNetLabServerCommand'
        { Get-NetLabServer -Id 99999 -ErrorAction Stop } | Should -Throw -ErrorId 'NetLabServerNotFound,PSNetLab.Commands.GetNetLabServerCommand'
        { Stop-NetLabServer -Id 99999 -ErrorAction Stop } | Should -Throw -ErrorId 'NetLabServerNotFound,PSNetLab.Commands.StopNetLabServerCommand'
    }

    It 'stops servers from the pipeline and frees their ports' {
        Get-NetLabServer -Name 'echo*' | Stop-NetLabServer
        $echo.State | Should -Be 'Stopped'
        Test-UdpPortFree $echo.Port | Should -BeTrue
        $time.State | Should -Be 'Running'
    }

    It 'stops by -Name, -Id and -Port' {
        Stop-NetLabServer -Name 'time-b'
        $time.State | Should -Be 'Stopped'
        $other = Start-UdpEchoServer
        Stop-NetLabServer -Port $other.Port
        $other.State | Should -Be 'Stopped'
        Stop-NetLabServer -Id $echo.Id
        $echo.State | Should -Be 'Stopped'
    }

    It 'stops everything with -All and returns the servers with -PassThru' {
        $stopped = Stop-NetLabServer -All -PassThru
        $stopped.Name | Should -Be @('echo-a', 'time-b')
        (Get-NetLabServer).State | Should -Be @('Stopped', 'Stopped')
        Test-UdpPortFree $echo.Port | Should -BeTrue
        Test-UdpPortFree $time.Port | Should -BeTrue
    }

    It 'changes nothing with -WhatIf' {
        Stop-NetLabServer -All -WhatIf
        $echo.State | Should -Be 'Running'
        Test-UdpPortFree $echo.Port | Should -BeFalse
    }

    It 'shows a table with the counters' {
        $null = Send-UdpMessage 'x' -Port $echo.Port
        # The reply can reach the client before the server has counted its send.
        Wait-Until { $echo.MessagesSent -ge 1 } -Because 'the server counts the reply it sent'
        $table = Get-NetLabServer -Name 'echo-a' | Out-String -Width 120
        $table | Should -Match 'Received'
        $table | Should -Match "echo-a\s+Udp\s+127\.0\.0\.1\s+$($echo.Port)\s+Running\s+1\s+1\s+0"
    }
}
