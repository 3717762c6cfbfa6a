# Start-/Stop-NetLabFixture: a lab's AfterAll stops what its BeforeAll and tests started, and only that.
BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    . $PSScriptRoot/UdpTestHelpers.ps1
}

Describe 'Start-NetLabFixture and Stop-NetLabFixture' {
    AfterEach {
        # Whatever a failed test left open.
        while ([PSNetLab.Labs.NetLabFixture]::Newest()) { Stop-NetLabFixture }
    }

    It 'stops and removes the servers and jobs started since, and leaves older ones running' {
        $older = Start-UdpEchoServer -Name 'older'
        try {
            $fixture = Start-NetLabFixture 'lab'
            $fixture.Name | Should -Be 'lab'
            $fixture.IsOpen | Should -BeTrue
            $server = Start-UdpEchoServer
            $job = Start-ThreadJob { Start-Sleep -Seconds 60 }
            $stopped = @($fixture | Stop-NetLabFixture -PassThru)
            $stopped.InstanceId | Should -Be $server.InstanceId, $job.InstanceId
            $fixture.IsOpen | Should -BeFalse
            Get-NetLabServer | Should -Contain $older
            Get-NetLabServer | Should -Not -Contain $server
            Get-Job -Id $job.Id -ErrorAction Ignore | Should -BeNullOrEmpty
            $server | Should -Not -BeListening
            $older | Should -BeListening
        }
        finally { $older | Stop-NetLabServer; Remove-Job $older -Force }
    }

    It 'closes the newest open fixture when none is given, so nested fixtures unwind in order' {
        $outer = Start-NetLabFixture 'outer'
        $outerServer = Start-UdpEchoServer
        $inner = Start-NetLabFixture 'inner'
        $innerServer = Start-UdpEchoServer
        Stop-NetLabFixture
        $inner.IsOpen | Should -BeFalse
        $innerServer | Should -Not -BeListening
        $outerServer | Should -BeListening
        Stop-NetLabFixture
        $outer.IsOpen | Should -BeFalse
        $outerServer | Should -Not -BeListening
    }

    It 'does nothing, quietly, when no fixture is open' {
        Stop-NetLabFixture -PassThru | Should -BeNullOrEmpty
    }

    It 'honours -WhatIf' {
        $fixture = Start-NetLabFixture
        $server = Start-UdpEchoServer
        Stop-NetLabFixture -WhatIf
        $server | Should -BeListening
        $fixture.IsOpen | Should -BeTrue
        Stop-NetLabFixture
    }

    It 'cleans up after a lab whose BeforeAll and tests fail' {
        $lab = @'
Describe 'a failing lab' {
    BeforeAll {
        $null = Start-NetLabFixture
        $script:server = Start-UdpEchoServer
        $global:labPort = $server.Port
        throw 'the lab setup failed after starting a server'
    }
    AfterAll { Stop-NetLabFixture }
    It 'never runs' { $true | Should -BeTrue }
}
'@
        $path = Join-Path $TestDrive 'Failing.Tests.ps1'
        Set-Content -Path $path -Value $lab
        $script = @"
Import-Module '$((Get-Module Pester).Path -replace 'psm1$', 'psd1')'
Import-Module '$env:PSNETLAB_MODULE'
`$result = Invoke-Pester -Path '$path' -PassThru -Output None
"`$(`$result.FailedBlocksCount) `$((Get-NetLabServer | Where-Object State -eq Running).Count) `$((Get-SocketTable -Protocol Udp -LocalPort `$global:labPort).Count)"
"@
        $child = Invoke-ChildPwsh $script
        $child.Output | Should -Be '1 0 0'
    }

    It 'returns a fixture that reads well' {
        $fixture = Start-NetLabFixture 'lab 2'
        "$fixture" | Should -Match '^lab 2 \(since \d\d:\d\d:\d\d, \d+ servers and jobs before it\)$'
        Stop-NetLabFixture
    }
}
