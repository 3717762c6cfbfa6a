BeforeAll { . $PSScriptRoot/TestSetup.ps1 }

# Process concurrency starts real worker processes (a child pwsh each, 1-5 s to come up on a busy
# machine), so each Context shares one server across its tests, and the first reply of a context
# waits for the pool to be ready.
Describe 'Start-TcpServer -Concurrency Process' {
    BeforeAll {
        . $PSScriptRoot/TcpTestHelpers.ps1
        $script:WorkerStartSeconds = 60

        function Get-WorkerProcessId([int] $ParentId = $PID) {
            # The worker host's command line names its entry point; nothing else this suite starts does.
            @(Get-Process | Where-Object { $_.Parent.Id -eq $ParentId -and $_.CommandLine -like '*ProcessWorkerHost*' } | ForEach-Object Id)
        }

        function Get-ConnectionOwner($Server, $Client) {
            # The Established row of this client's connection on the server side.
            $clientPort = $Client.Client.LocalEndPoint.Port
            @(Get-SocketTable -IncludeProcess -State Established -LocalPort $Server.Port -RemotePort $clientPort)
        }

        function Connect-Served([int] $Port, [string] $Line = 'hello') {
            # A client whose first line was answered: a worker owns its connection.
            $client = New-TcpTestClient $Port
            $script:clients += $client
            Send-TestLine $client $Line
            Read-TestLine $client -TimeoutSeconds $script:WorkerStartSeconds | Should -Be $Line
            return $client
        }
    }
    BeforeEach { $script:clients = @() }
    AfterEach {
        foreach ($c in @($script:clients)) { if ($c) { $c.Dispose() } }
    }
    AfterAll { Get-NetLabServer | Remove-Job -Force }

    Context 'an Echo server with two workers' {
        BeforeAll { $script:server = Start-TcpServer -Concurrency Process -WorkerCount 2 -Name process-echo }
        AfterAll { $script:server | Remove-Job -Force }

        It 'returns at once and starts the workers in the background' {
            $script:server.State | Should -Be 'Running'
            $script:server.Server.TcpOptions.Concurrency | Should -Be 'Process'
            Wait-Until { (Get-WorkerProcessId).Count -eq 2 } -TimeoutSeconds 10 -Because 'two worker processes'
        }

        It "serves a connection from a worker that owns the socket, the server only the listening socket" {
            $client = Connect-Served $script:server.Port
            $row = Get-ConnectionOwner $script:server $client
            $row.Count | Should -Be 1 -Because 'only the worker holds the connection: the server closed its copy'
            $row[0].OwningProcess | Should -Not -Be $PID
            $row[0].OwningProcess | Should -BeIn (Get-WorkerProcessId)
            $listen = @(Get-SocketTable -IncludeProcess -Listening -LocalPort $script:server.Port -LocalAddress 127.0.0.1)
            $listen.OwningProcess | Should -Be $PID
        }

        It 'gives concurrent connections different workers, never more than -WorkerCount' {
            $first = Connect-Served $script:server.Port 'one'
            $second = Connect-Served $script:server.Port 'two'
            $owners = @((Get-ConnectionOwner $script:server $first)[0].OwningProcess, (Get-ConnectionOwner $script:server $second)[0].OwningProcess)
            $owners[0] | Should -Not -Be $owners[1]

            # Both workers are busy: a third client is accepted by the kernel but waits for a free worker.
            $third = New-TcpTestClient $script:server.Port; $script:clients += $third
            Send-TestLine $third 'three'
            Read-TestLine $third -TimeoutSeconds 1 | Should -BeNullOrEmpty
            $first.Dispose()
            Read-TestLine $third -TimeoutSeconds 10 | Should -Be 'three'
            (Get-ConnectionOwner $script:server $third)[0].OwningProcess | Should -Be $owners[0]
        }

        It 'brings the workers events and counters back to the server job' {
            $null = Receive-Job $script:server
            $before = $script:server.MessagesSent
            $client = Connect-Served $script:server.Port 'counted'
            Send-TestLine $client 'again 你好'
            Read-TestLine $client | Should -Be 'again 你好'
            $replied = Get-Date
            Wait-Until { $script:server.MessagesSent -ge $before + 2 } -Because 'the worker reports its counters'
            $port = $client.Client.LocalEndPoint.Port
            $client.Dispose()
            Wait-Until { @(Get-ServerEvents $script:server Closed | Where-Object RemotePort -eq $port).Count -eq 1 } -Because 'the Closed event'
            $events = @(Receive-Job $script:server | Where-Object RemotePort -eq $port)
            $events.Kind | Should -Be @('Accepted', 'Received', 'Sent', 'Received', 'Sent', 'Closed')
            $events[1].Text | Should -Be 'counted'
            # A worker sends its excerpts as bytes; the server decodes them with the server's encoding.
            $events[3..4].Text | Should -Be @('again 你好', 'again 你好')
            [Text.Encoding]::UTF8.GetString($events[4].Bytes) | Should -Be 'again 你好'
            $events[-1].Detail | Should -Be 'the client closed the connection'
            $events[4].Time | Should -BeLessOrEqual $replied -Because 'a worker event carries the time it happened, not when its batch reached the server'
            ($events.Time.Ticks | Sort-Object) -join ',' | Should -Be ($events.Time.Ticks -join ',')
            $script:server.BytesReceived | Should -BeGreaterOrEqual 12
        }

        It 'loses only the connection of a worker that is killed, and replaces the worker' {
            $victim = Connect-Served $script:server.Port 'victim'
            $bystander = Connect-Served $script:server.Port 'bystander'
            $victimPid = (Get-ConnectionOwner $script:server $victim)[0].OwningProcess
            Stop-Process -Id $victimPid -Force
            Test-TcpClosedByServer $victim -TimeoutSeconds 5 | Should -BeTrue
            Send-TestLine $bystander 'still here'
            Read-TestLine $bystander | Should -Be 'still here'
            Wait-Until { @(Get-ServerEvents $script:server Closed | Where-Object Detail -like "*worker process $victimPid*").Count -eq 1 } -Because 'the Closed event names the worker'
            Wait-Until { $w = Get-WorkerProcessId; $w.Count -eq 2 -and $victimPid -notin $w } -TimeoutSeconds 10 -Because 'a replacement worker'
            $bystander.Dispose()
            $next = Connect-Served $script:server.Port 'next'
            (Get-ConnectionOwner $script:server $next)[0].OwningProcess | Should -Not -Be $victimPid
        }

        It 'leaves no worker process and frees the port when stopped' {
            $null = Connect-Served $script:server.Port
            $port = $script:server.Port
            Stop-NetLabServer -Name process-echo
            Wait-Until { (Get-WorkerProcessId).Count -eq 0 } -TimeoutSeconds 5 -Because 'the workers to be gone'
            $probe = [Net.Sockets.TcpListener]::new([ipaddress]::Loopback, $port)
            $probe.Server.SetSocketOption('Socket', 'ReuseAddress', $true)
            { $probe.Start() } | Should -Not -Throw
            $probe.Stop()
        }
    }

    Context 'an Echo server with -IdleTimeout' {
        BeforeAll { $script:server = Start-TcpServer -Concurrency Process -WorkerCount 1 -IdleTimeout 0.5 }
        AfterAll { $script:server | Remove-Job -Force }

        It 'closes a connection idle in its worker, which blocks in recv between messages' {
            $client = Connect-Served $script:server.Port 'first'
            Send-TestLine $client 'second'
            Read-TestLine $client | Should -Be 'second'
            Test-TcpClosedByServer $client -TimeoutSeconds 10 | Should -BeTrue
            Wait-Until { (Get-ServerEvents $script:server Closed).Count -eq 1 } -Because 'the Closed event'
            (Get-ServerEvents $script:server Closed)[0].Detail | Should -Be 'idle for 0.5 s (-IdleTimeout)'
            Connect-Served $script:server.Port 'next' | Should -Not -BeNullOrEmpty -Because 'the worker is free again'
        }
    }

    Context 'a ScriptBlock handler' {
        BeforeAll {
            $script:server = Start-TcpServer -Concurrency Process -WorkerCount 2 -HandlerTimeout 30 -Handler {
                param($Request)
                if ($Request.Text -eq 'hang') { Start-Sleep -Seconds 25 }
                "$PID $($Request.Text)"
            }
        }
        AfterAll { $script:server | Remove-Job -Force }

        It 'runs in the worker process, and a hanging one holds up only its own connection' {
            $hanging = New-TcpTestClient $script:server.Port; $script:clients += $hanging
            $other = New-TcpTestClient $script:server.Port; $script:clients += $other
            Send-TestLine $other 'warm-up'
            $reply = Read-TestLine $other -TimeoutSeconds $script:WorkerStartSeconds
            $workerPid, $text = $reply -split ' ', 2
            $text | Should -Be 'warm-up'
            [int]$workerPid | Should -Not -Be $PID
            [int]$workerPid | Should -BeIn (Get-WorkerProcessId)

            Send-TestLine $hanging 'hang'
            Read-TestLine $hanging -TimeoutSeconds 1 | Should -BeNullOrEmpty
            Send-TestLine $other 'still answered'
            Read-TestLine $other | Should -Be "$workerPid still answered"
        }
    }

    Context 'limits and refusals' {
        It 'rejects a connection that waited -WorkerWaitTimeout for a busy worker' {
            $server = Start-TcpServer -Concurrency Process -WorkerCount 1 -WorkerWaitTimeout 0.5
            $null = Connect-Served $server.Port
            $waiting = New-TcpTestClient $server.Port; $script:clients += $waiting
            Test-TcpClosedByServer $waiting -TimeoutSeconds 5 | Should -BeTrue
            Wait-Until { (Get-ServerEvents $server Rejected).Count -eq 1 } -Because 'the Rejected event'
            (Get-ServerEvents $server Rejected)[0].Detail | Should -BeLike '*workers stayed busy*'
            $server | Remove-Job -Force
        }

        It 'refuses the Chat handler, whose clients must share one process' {
            { Start-TcpServer -Concurrency Process -Handler Chat } | Should -Throw -ErrorId 'TcpServerHandlerNeedsOneProcess,PSNetLab.Commands.StartTcpServerCommand'
        }
    }

    It 'ends its workers when the server process dies' {
        $child = Start-Peer (Get-ChildPwshCommand)[0] (@((Get-ChildPwshCommand) | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', @"
Import-Module '$((Get-Module PSNetLab).Path -replace "'", "''")'
`$s = Start-TcpServer -Concurrency Process -WorkerCount 2
`$c = [Net.Sockets.TcpClient]::new('127.0.0.1', `$s.Port); `$st = `$c.GetStream(); `$st.ReadTimeout = 60000
`$st.Write([byte[]](104, 10), 0, 2); `$null = `$st.ReadByte()
'served'
Start-Sleep -Seconds 120
"@))
        try {
            $child.StandardOutput.ReadLine() | Should -Be 'served'
            $workers = Get-WorkerProcessId -ParentId $child.Id
            $workers.Count | Should -Be 2
            $child.Kill()
            Wait-Until { -not (Get-Process -Id $workers -ErrorAction Ignore) } -TimeoutSeconds 10 -Because 'orphaned workers to exit'
        }
        finally { Stop-Peer $child }
    }
}
