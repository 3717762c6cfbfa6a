BeforeAll { . $PSScriptRoot/TestSetup.ps1 }

# The heavy TCP checks, in one child pwsh so its threads, runspaces and descriptors can be counted:
# 10,000 idle connections in Thread mode (memory reported, not asserted), Stop with 1,000 open
# connections, and nothing left behind afterwards.
Describe 'Start-TcpServer at scale' {
    BeforeAll { . $PSScriptRoot/TcpTestHelpers.ps1 }

    It 'holds 10,000 idle connections, stops 1,000 within 2 s, and leaks nothing' {
        $script = @'
$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
Import-Module $env:PSNETLAB_MODULE
$peer = '__PEER__'
function Measure-Session {
    [GC]::Collect(); [GC]::WaitForPendingFinalizers()
    [pscustomobject]@{
        # Sockets and pipes: what a server or a child process would leave open (listing the directory opens one more fd itself).
        Fds = @(Get-ChildItem /proc/self/fd | Where-Object { $_.LinkTarget -match '^(socket|pipe):' }).Count
        Threads = (Get-Process -Id $PID).Threads.Count
        Runspaces = @(Get-Runspace).Count
        # /proc/<pid>/stat: the 4th field after the ')' that ends the command name is the parent pid.
        Children = @(Get-ChildItem /proc/*/stat -ErrorAction Ignore | Where-Object { try { $s = Get-Content $_ -Raw -ErrorAction Stop; $s.Substring($s.LastIndexOf(')') + 2).Split(' ')[1] -eq "$PID" } catch { $false } }).Count
    }
}
function Wait-For([scriptblock] $Condition, [double] $Seconds) {
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while (-not (& $Condition)) { if ([DateTime]::UtcNow -gt $deadline) { throw "timed out: $Condition" }; Start-Sleep -Milliseconds 50 }
}
function Start-Holders([int] $Port, [int] $Count) {
    $info = [Diagnostics.ProcessStartInfo]::new('python3')
    foreach ($a in @($peer, 'hold', $Port, $Count)) { $info.ArgumentList.Add([string]$a) }
    $info.RedirectStandardInput = $true; $info.RedirectStandardOutput = $true
    $p = [Diagnostics.Process]::Start($info)
    $ready = $p.StandardOutput.ReadLine()
    if ($ready -ne "ready $Count") { throw "holder said '$ready'" }
    $p
}
function Stop-Holders($p) { $p.StandardInput.Close(); $null = $p.WaitForExit(10000); if (-not $p.HasExited) { $p.Kill() }; $p.Dispose() }

# Warm up everything a server loads once (types, pools, a runspace pool), then measure.
$warm = Start-TcpServer -Handler { param($Request) $Request.Text }
$null = 'warm' | Connect-TcpChat -Port $warm.Port
Stop-NetLabServer $warm; Remove-Job $warm
$null = Measure-Session
Start-Sleep -Milliseconds 200
$before = Measure-Session

# A ScriptBlock server with traffic: its runspaces must be gone after Stop.
$sb = Start-TcpServer -Handler { param($Request) $Request.State.n++; $Request.Text }
$null = 'a', 'b' | Connect-TcpChat -Port $sb.Port
Stop-NetLabServer $sb; Remove-Job $sb

# 10,000 idle connections in Thread mode.
$server = Start-TcpServer -Concurrency Thread -EventLevel Errors -MaxConnections 10001
$managedBefore = [GC]::GetTotalMemory($true); $rssBefore = (Get-Process -Id $PID).WorkingSet64
$holders = Start-Holders $server.Port 10000
Wait-For { $server.ActiveConnections -eq 10000 } 60
$managedAfter = [GC]::GetTotalMemory($true); $rssAfter = (Get-Process -Id $PID).WorkingSet64
$null = 'still answering' | Connect-TcpChat -Port $server.Port
$clock = [Diagnostics.Stopwatch]::StartNew(); Stop-NetLabServer $server; $stop10k = $clock.Elapsed.TotalSeconds
Remove-Job $server
Stop-Holders $holders

# Stop with 1,000 open connections, then restart on the same port with -ReuseAddress.
$server = Start-TcpServer -ReuseAddress -EventLevel Errors
$port = $server.Port
$holders = Start-Holders $port 1000
Wait-For { $server.ActiveConnections -eq 1000 } 30
$clock = [Diagnostics.Stopwatch]::StartNew(); Stop-NetLabServer $server; $stop1k = $clock.Elapsed.TotalSeconds
$portFree = -not (Get-SocketTable -Protocol Tcp -State Listen -LocalPort $port)
$restart = Start-TcpServer -Port $port -ReuseAddress
$restarted = ('again' | Connect-TcpChat -Port $port).Reply
Stop-NetLabServer $restart
Get-Job | Remove-Job -Force
Stop-Holders $holders

# Thread-pool threads retire after a few idle seconds; wait for them (bounded) before counting.
$deadline = [DateTime]::UtcNow.AddSeconds(30)
do { Start-Sleep -Milliseconds 500; $after = Measure-Session } while ([DateTime]::UtcNow -lt $deadline -and ($after.Fds -gt $before.Fds -or $after.Threads -gt $before.Threads + 2))

[pscustomobject]@{
    Before = $before; After = $after
    BytesPerIdleConnection = [math]::Round(($rssAfter - $rssBefore) / 10000)
    ManagedBytesPerIdleConnection = [math]::Round(($managedAfter - $managedBefore) / 10000)
    Stop10k = $stop10k; Stop1k = $stop1k; PortFree = $portFree; Restarted = $restarted
} | ConvertTo-Json -Depth 3 -Compress
'@
        $result = Invoke-ChildPwsh ($script -replace '__PEER__', $script:TcpPeer) -TimeoutSeconds 240
        $result.Error | Should -BeNullOrEmpty
        $result.ExitCode | Should -Be 0
        $report = $result.Output.Split("`n")[-1] | ConvertFrom-Json
        Write-Host ("    10,000 idle connections: {0:N0} bytes RSS and {1:N0} managed bytes per connection; Stop took {2:0.000} s with 10,000 and {3:0.000} s with 1,000 open; before {4}, after {5}" -f
            $report.BytesPerIdleConnection, $report.ManagedBytesPerIdleConnection, $report.Stop10k, $report.Stop1k, ($report.Before | ConvertTo-Json -Compress), ($report.After | ConvertTo-Json -Compress))
        $report.Stop1k | Should -BeLessThan 2
        $report.PortFree | Should -BeTrue
        $report.Restarted | Should -Be 'again'
        $report.After.Runspaces | Should -Be $report.Before.Runspaces
        $report.After.Fds | Should -Be $report.Before.Fds
        $report.After.Children | Should -Be $report.Before.Children
        $report.After.Threads | Should -BeLessOrEqual ($report.Before.Threads + 2)
    }
}
