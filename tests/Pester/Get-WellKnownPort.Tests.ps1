BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
}

Describe 'Get-WellKnownPort' {
    It 'knows the tutorial''s table: <Name> is <Port>/<Protocol>' -TestCases @(
        @{ Name = 'ftp'; Port = 21; Protocol = 'Tcp' }
        @{ Name = 'ftp-data'; Port = 20; Protocol = 'Tcp' }
        @{ Name = 'ssh'; Port = 22; Protocol = 'Tcp' }
        @{ Name = 'telnet'; Port = 23; Protocol = 'Tcp' }
        @{ Name = 'smtp'; Port = 25; Protocol = 'Tcp' }
        @{ Name = 'dns'; Port = 53; Protocol = 'Udp' }
        @{ Name = 'tftp'; Port = 69; Protocol = 'Udp' }
        @{ Name = 'http'; Port = 80; Protocol = 'Tcp' }
        @{ Name = 'mysql'; Port = 3306; Protocol = 'Tcp' }
    ) {
        $rows = Get-WellKnownPort -Name $Name -Protocol $Protocol
        $rows.Port | Should -Contain $Port
    }

    It 'looks up a port, with one row per protocol' {
        $rows = Get-WellKnownPort -Port 53
        $rows.Protocol | Sort-Object -Unique | Should -Be @('Tcp', 'Udp')
        $rows | ForEach-Object { $_.Range | Should -Be 'WellKnown' }
    }

    It 'treats a number given as the name as a port' {
        (Get-WellKnownPort 22).Name | Should -Contain 'ssh'
    }

    It 'matches wildcards against names and aliases' {
        (Get-WellKnownPort -Name 'ftp*').Name | Should -Contain 'ftp-data'
        (Get-WellKnownPort -Name 'www').Name | Should -Contain 'http'
    }

    It 'says the range of every row' {
        $all = Get-WellKnownPort
        $all.Count | Should -BeGreaterThan 20
        foreach ($row in $all) {
            $expected = if ($row.Port -le 1023) { 'WellKnown' } elseif ($row.Port -le 49151) { 'Registered' } else { 'Dynamic' }
            $row.Range | Should -Be $expected
        }
    }

    It 'takes ports from the pipeline, also by property name' {
        (22, 80 | Get-WellKnownPort -Protocol Tcp).Name | Should -Be @('ssh', 'http')
        ([pscustomobject]@{ LocalPort = 25 } | Get-WellKnownPort).Name | Should -Contain 'smtp'
    }

    It 'shows a table by default' {
        $text = Get-WellKnownPort ssh | Out-String
        $text | Should -Match 'Port\s+Protocol\s+Name\s+Range'
        $text | Should -Match '22\s+Tcp\s+ssh\s+WellKnown'
    }

    It 'reads well inside a string' {
        "$(Get-WellKnownPort -Port 22 -Protocol Tcp | Select-Object -First 1)" | Should -Be 'ssh 22/tcp'
    }

    Context 'errors' {
        It 'rejects a port outside 0-65535' {
            { Get-WellKnownPort -Port 70000 -ErrorAction Stop } |
                Should -Throw -ErrorId 'PortOutOfRange,PSNetLab.Commands.GetWellKnownPortCommand'
        }

        It 'says the range of a port with no service' {
            $null = Get-WellKnownPort -Port 50000 -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -Be 'WellKnownPortNotFound,PSNetLab.Commands.GetWellKnownPortCommand'
            $errs[0].Exception.Message | Should -Match 'dynamic \(49152-65535\)'
        }

        It 'reports an unknown name but not an empty wildcard' {
            { Get-WellKnownPort -Name 'no-such-service' -ErrorAction Stop } |
                Should -Throw -ErrorId 'WellKnownPortNotFound,PSNetLab.Commands.GetWellKnownPortCommand'
            Get-WellKnownPort -Name 'no-such-*' -ErrorAction Stop | Should -BeNullOrEmpty
        }
    }
}
