BeforeAll { . $PSScriptRoot/TestSetup.ps1 }

# How a ScriptBlock handler runs: -ThrottleLimit lanes (a runspace and a thread each) that take
# requests in turn. The handlers reach the test through AppDomain data, the one thing their
# runspaces share with this one.
Describe 'ScriptBlock handler lanes' {
    BeforeAll {
        . $PSScriptRoot/TcpTestHelpers.ps1
        function Connect-Line([int] $Port, [string] $Line) {
            $client = New-TcpTestClient $Port
            $script:clients += $client
            Send-TestLine $client $Line
            $client
        }
    }
    BeforeEach {
        $script:clients = @()
        $script:log = [Collections.Concurrent.ConcurrentQueue[int]]::new()
        [AppDomain]::CurrentDomain.SetData('PSNetLabTestLog', $script:log)
    }
    AfterEach {
        foreach ($c in @($script:clients)) { if ($c) { $c.Dispose() } }
        Get-NetLabServer | Remove-Job -Force
        [AppDomain]::CurrentDomain.SetData('PSNetLabTestLog', $null)
    }

    It 'runs -ThrottleLimit handlers at once, and no more' {
        # Each handler logs +1 on entry and -1 on exit, and holds its lane (bounded) until another
        # runs beside it or all four have started.
        $server = Start-TcpServer -ThrottleLimit 2 -HandlerTimeout 30 -Handler {
            $log = [AppDomain]::CurrentDomain.GetData('PSNetLabTestLog')
            $log.Enqueue(1)
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while ([DateTime]::UtcNow -lt $deadline) {
                $steps = $log.ToArray()
                if (($steps | Measure-Object -Sum).Sum -ge 2 -or @($steps -eq 1).Count -ge 4) { break }
                Start-Sleep -Milliseconds 10
            }
            $log.Enqueue(-1)
            'done'
        }
        $waiting = 1..4 | ForEach-Object { Connect-Line $server.Port "r$_" }
        $waiting | ForEach-Object { Read-TestLine $_ -TimeoutSeconds 25 } | Should -Be @('done', 'done', 'done', 'done')
        $running = 0
        $most = 0
        foreach ($step in $script:log.ToArray()) { $running += $step; $most = [math]::Max($most, $running) }
        $most | Should -Be 2
    }

    It 'gives the handler the same request as $_ and as $Request' {
        $server = Start-TcpServer -Handler { param($Request) "$([object]::ReferenceEquals($_, $Request)) $($_.GetType().Name)" }
        ('x' | Connect-TcpChat -Port $server.Port).Reply | Should -Be 'True HandlerRequest'
    }

    It 'serves on in the same lane after a handler there timed out' {
        $server = Start-TcpServer -ThrottleLimit 1 -HandlerTimeout 0.5 -Handler { if ($_.Text -eq 'hang') { Start-Sleep -Seconds 60 }; "pong $($_.Text)" }
        $hung = Connect-Line $server.Port 'hang'
        Wait-Until { $server.Errors -eq 1 } -Because 'the handler timeout'
        (Get-ServerEvents $server Error).Detail | Should -Match 'HandlerTimeout'
        Test-TcpClosedByServer $hung | Should -BeTrue
        ('again' | Connect-TcpChat -Port $server.Port).Reply | Should -Be 'pong again'
    }

    It 'fails a request whose handler writes a non-terminating error, and serves on' {
        $server = Start-TcpServer -ThrottleLimit 1 -Handler { if ($_.Text -eq 'error') { Write-Error 'written by the handler' }; "ok $($_.Text)" }
        $failing = Connect-Line $server.Port 'error'
        Test-TcpClosedByServer $failing | Should -BeTrue
        (Get-ServerEvents $server Error).Detail | Should -Match 'written by the handler'
        ('still' | Connect-TcpChat -Port $server.Port).Reply | Should -Be 'ok still'
    }

    It 'ends a handler at exit, break or continue with what it wrote as the reply, and serves on' {
        $server = Start-TcpServer -ThrottleLimit 1 -Handler {
            if ($_.Text -eq 'e') { 'left'; exit }
            if ($_.Text -eq 'b') { 'stopped here'; break }
            if ($_.Text -eq 'c') { 'skipped the rest'; continue }
            if ($_.Text -eq 'error') { Write-Error 'written by the handler' }
            "ok $($_.Text)"
        }
        # (Not exit and bye: those words end Connect-TcpChat itself.)
        ('e', 'b', 'c', 'after' | Connect-TcpChat -Port $server.Port).Reply | Should -Be @('left', 'stopped here', 'skipped the rest', 'ok after')
        $failing = Connect-Line $server.Port 'error'
        Test-TcpClosedByServer $failing | Should -BeTrue
        (Get-ServerEvents $server Error).Detail | Should -Match 'written by the handler'
        $server.Errors | Should -Be 1
    }

    It 'stops a running handler when the server stops, and closes its runspaces' {
        $before = @(Get-Runspace).Count
        $server = Start-TcpServer -ThrottleLimit 2 -Handler {
            [AppDomain]::CurrentDomain.GetData('PSNetLabTestLog').Enqueue(1)
            Start-Sleep -Seconds 60
        }
        $null = Connect-Line $server.Port 'sleep'
        Wait-Until { $script:log.Count -eq 1 } -Because 'the handler to start'
        Stop-NetLabServer $server
        $server.State | Should -Be 'Stopped'
        Wait-Until { @(Get-Runspace).Count -eq $before } -Because "the handler's runspaces to close"
    }
}

Describe 'ScriptBlock handler lanes when pwsh exits' {
    BeforeAll { . $PSScriptRoot/UdpTestHelpers.ps1 }

    It 'lets pwsh exit with ScriptBlock servers still running, idle or in a handler' {
        # pwsh closes every open runspace when it exits, and waits for their pipelines to stop.
        $result = Invoke-ChildPwsh -TimeoutSeconds 60 @'
$ErrorActionPreference = 'Stop'
Import-Module $env:PSNETLAB_MODULE
$idle = Start-TcpServer -Handler { "ok $($_.Text)" }
$null = 'x' | Connect-TcpChat -Port $idle.Port
$busy = Start-TcpServer -Handler { Start-Sleep -Seconds 60 }
$client = [Net.Sockets.TcpClient]::new('127.0.0.1', $busy.Port)
$client.GetStream().Write([byte[]](120, 10), 0, 2)
$deadline = [DateTime]::UtcNow.AddSeconds(10)
while ($busy.MessagesReceived -lt 1 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
"leaving with $($busy.MessagesReceived) message in a handler"
'@
        $result.Error | Should -BeNullOrEmpty
        $result.Output | Should -Be 'leaving with 1 message in a handler'
        $result.ExitCode | Should -Be 0
    }
}
