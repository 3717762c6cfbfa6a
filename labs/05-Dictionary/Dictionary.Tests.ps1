# Lab 5: the TCP dictionary server (DIGEST S11), the seeds' and the student's own.
param([string] $Solution)

BeforeAll {
    . (Join-Path $PSScriptRoot '../LabSetup.ps1')
    . (Resolve-LabSolution $PSScriptRoot $Solution)
    $null = Start-NetLabFixture 'lab 5'
    $seed = Start-SeedDictionaryServer
    $mine = Start-MyDictionaryServer
    $words = Get-MyDictionary
}
AfterAll { Stop-NetLabFixture }

Describe 'Lab 5: the seeds'' dictionary server' {
    It 'is a TCP server listening on loopback' {
        $seed | Should -BeListening
        $seed.Protocol | Should -Be 'Tcp'
        $seed.LocalAddress | Should -Be ([ipaddress]::Loopback)
    }

    It 'translates the seeds'' words over one connection' {
        $seed | Should -ReplyWith '你好', '世界', '爱' -To 'hello', 'world', 'love'
    }

    It 'returns unknown words unchanged' {
        $seed | Should -ReplyWith 'computer' -To 'computer'
    }
}

Describe 'Lab 5: my own dictionary server' {
    It 'has at least five words of my own' {
        $words | Should -BeOfType [hashtable]
        $words.Count | Should -BeGreaterOrEqual 5
        @($words.Keys | Where-Object { $_ -in 'hello', 'world', 'love' }).Count | Should -BeLessThan $words.Count
    }

    It 'uses my own ScriptBlock handler, not the built-in one' {
        $mine | Should -BeListening
        $mine.Protocol | Should -Be 'Tcp'
        $mine.Handler | Should -Be 'ScriptBlock'
    }

    It 'translates every one of my words' {
        $keys = @($words.Keys)
        $mine | Should -ReplyWith @($keys | ForEach-Object { $words[$_] }) -To $keys
    }

    It 'ignores case and surrounding spaces' {
        $key = @($words.Keys)[0]
        $mine | Should -ReplyWith $words[$key] -To $key.ToUpperInvariant()
        $mine | Should -ReplyWith $words[$key] -To "  $key "
    }

    It 'returns unknown words unchanged, and keeps serving' {
        $mine | Should -ReplyWith 'zzyzx', 'qwerty' -To 'zzyzx', 'qwerty'
        $mine.Errors | Should -Be 0
    }

    It 'does not run what a client sends' {
        $mine | Should -ReplyWith '$(1+1)', 'Get-Process' -To '$(1+1)', 'Get-Process'
    }
}
