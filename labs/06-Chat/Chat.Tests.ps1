# Lab 6: a chat server and scripted clients (DIGEST S12).
param([string] $Solution)

BeforeAll {
    . (Join-Path $PSScriptRoot '../LabSetup.ps1')
    . (Resolve-LabSolution $PSScriptRoot $Solution)
    $null = Start-NetLabFixture 'lab 6'
    $server = Start-ChatLab
    $members = [Collections.Generic.List[object]]::new()

    function Wait-ChatLine($Member, [string] $Pattern) {
        # Notices and other lines may come first: read until the expected one, within 5 s.
        $deadline = [datetime]::UtcNow.AddSeconds(5)
        while ([datetime]::UtcNow -lt $deadline) {
            $line = Receive-ChatLine -Member $Member -Timeout 0.5
            if ($null -ne $line -and $line -match $Pattern) { return $line }
        }
        throw "$($Member.Nick) did not receive a line matching '$Pattern' within 5 s."
    }
}
AfterAll {
    foreach ($member in $members) { $member.Client.Dispose() }
    Stop-NetLabFixture
}

Describe 'Lab 6: chat' {
    BeforeAll {
        $alice = Join-ChatLab -Port $server.Port -Nick 'alice'; $members.Add($alice)
        $null = Wait-ChatLine $alice 'alice'
        $bob = Join-ChatLab -Port $server.Port -Nick 'bob'; $members.Add($bob)
        $null = Wait-ChatLine $bob 'bob'
    }

    It 'runs a chat server' {
        $server | Should -BeListening
        $server.Handler | Should -Be 'Chat'
    }

    It 'tells the others when someone takes a name' {
        Wait-ChatLine $alice 'is now bob' | Should -Match 'bob'
    }

    It 'relays a line to the others with the sender''s name' {
        Send-ChatLine -Member $alice -Text 'hi bob'
        Wait-ChatLine $bob 'hi bob' | Should -BeExactly '<alice> hi bob'
    }

    It 'relays in both directions, and not back to the sender' {
        Send-ChatLine -Member $bob -Text 'hello alice'
        Wait-ChatLine $alice 'hello alice' | Should -BeExactly '<bob> hello alice'
        Receive-ChatLine -Member $bob -Timeout 0.3 | Should -BeNullOrEmpty
    }

    It 'returns $null when nothing arrives in time' {
        Receive-ChatLine -Member $alice -Timeout 0.2 | Should -BeNullOrEmpty
    }

    It 'never relays terminal escape codes' {
        Send-ChatLine -Member $alice -Text "$([char]27)[31mred"
        $line = Wait-ChatLine $bob 'red'
        $line | Should -Not -Match ([regex]::Escape([string][char]27))
    }
}
