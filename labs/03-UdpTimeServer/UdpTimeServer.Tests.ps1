# Lab 3: a UDP time server written as a ScriptBlock handler (DIGEST S5), checked against the built-in one.
param([string] $Solution)

BeforeAll {
    . (Join-Path $PSScriptRoot '../LabSetup.ps1')
    . (Resolve-LabSolution $PSScriptRoot $Solution)
    $null = Start-NetLabFixture 'lab 3'
    $server = Start-TimeLab
    $reference = Start-UdpServer -Handler Time

    function Get-BothReplies([string] $Format) {
        # A second may tick between the two requests: ask again until both replies were made in the same second.
        for ($attempt = 0; $attempt -lt 5; $attempt++) {
            $before = Get-Date -Format 'HH:mm:ss'
            $mine = (Send-UdpMessage -Message $Format -Port $server.Port -Timeout 5).Reply
            $theirs = (Send-UdpMessage -Message $Format -Port $reference.Port -Timeout 5).Reply
            if ((Get-Date -Format 'HH:mm:ss') -eq $before) { break }
        }
        return $mine, $theirs
    }
}
AfterAll { Stop-NetLabFixture }

Describe 'Lab 3: UDP time server' {
    It 'is a UDP server with a ScriptBlock handler' {
        $server | Should -BeListening
        $server.Protocol | Should -Be 'Udp'
        $server.Handler | Should -Be 'ScriptBlock'
    }

    It 'answers <_> as the built-in Time handler does' -ForEach '', '%Y-%m-%d %X', '%H:%M', '%d/%m/%Y', 'now: %X', '100%%' {
        $mine, $theirs = Get-BothReplies $_
        $mine | Should -BeExactly $theirs
    }

    It 'treats an empty datagram as %Y-%m-%d %X' {
        $mine, $null = Get-BothReplies ''
        $mine | Should -Match '^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$'
    }

    It 'copies text that is not a format field' {
        $server | Should -ReplyWith 'no fields here' -To 'no fields here'
    }

    It 'runs in the server, so the server counts and records every request' {
        $server.MessagesReceived | Should -BeGreaterThan 0
        $server.Errors | Should -Be 0
    }
}
