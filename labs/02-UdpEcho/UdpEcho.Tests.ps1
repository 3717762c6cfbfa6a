# Lab 2: the UDP echo server and client (DIGEST S2-S4).
param([string] $Solution)

BeforeAll {
    . (Join-Path $PSScriptRoot '../LabSetup.ps1')
    . (Resolve-LabSolution $PSScriptRoot $Solution)
    $null = Start-NetLabFixture 'lab 2'
    $server = Start-EchoLab
}
AfterAll { Stop-NetLabFixture }

Describe 'Lab 2: UDP echo server and client' {
    It 'starts a UDP server on loopback, on a port the OS chose' {
        $server | Should -BeListening
        $server.Protocol | Should -Be 'Udp'
        $server.LocalAddress | Should -Be ([ipaddress]::Loopback)
        $server.Port | Should -BeGreaterThan 0
    }

    It 'replies with the seeds'' prefix' {
        $server | Should -ReplyWith 'server get!->hello', 'server get!->你好' -To 'hello', '你好'
    }

    It 'returns the reply from its own client' {
        Send-EchoLab -Port $server.Port -Text 'ping' | Should -BeExactly 'server get!->ping'
    }

    It 'reports the ephemeral ports the OS picked, which the server saw' {
        $ports = @(Get-EphemeralPort -Port $server.Port -Count 3)
        $ports.Count | Should -Be 3
        $low, $high = 1024, 65535
        if (Test-Path /proc/sys/net/ipv4/ip_local_port_range) {
            $low, $high = (Get-Content /proc/sys/net/ipv4/ip_local_port_range) -split '\s+' | ForEach-Object { [int]$_ }
        }
        foreach ($port in $ports) {
            $port | Should -BeGreaterOrEqual $low
            $port | Should -BeLessOrEqual $high
        }
        $seen = Receive-Job $server -Keep | Where-Object Kind -eq Received | ForEach-Object RemotePort
        foreach ($port in $ports) { $seen | Should -Contain $port }
    }

    It 'finds that a bound port cannot be bound twice' {
        Get-BindError -Port $server.Port | Should -Be 'UdpServerAddressInUse,PSNetLab.Commands.StartUdpEchoServerCommand'
        $server | Should -BeListening
    }
}
