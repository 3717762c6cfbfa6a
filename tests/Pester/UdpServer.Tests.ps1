BeforeAll { . $PSScriptRoot/TestSetup.ps1 }

Describe 'Start-UdpEchoServer and Start-UdpServer' {
    BeforeAll { . $PSScriptRoot/UdpTestHelpers.ps1 }
    AfterEach { Get-NetLabServer | Remove-Job -Force }

    It 'binds port 0 to a real port, on loopback, and returns a running job' {
        $server = Start-UdpEchoServer -Port 0
        $server.Port | Should -BeGreaterThan 0
        $server.LocalAddress | Should -Be ([ipaddress]::Loopback)
        $server.Protocol | Should -Be 'Udp'
        $server.State | Should -Be 'Running'
        $server.StartTime | Should -BeOfType [datetime]
        Test-UdpPortFree $server.Port | Should -BeFalse
    }

    It "echoes with the seeds' prefix, and counts" {
        $server = Start-UdpEchoServer -Port 0 -Prefix 'server get!->'
        (Send-UdpMessage 'hello' -Port $server.Port).Reply | Should -Be 'server get!->hello'
        Wait-Until { $server.MessagesSent -eq 1 } -Because 'the counters'
        $server.MessagesReceived | Should -Be 1
        $server.BytesReceived | Should -Be 5
        $server.BytesSent | Should -Be 18
    }

    It 'shows events the way the seeds print them' {
        $server = Start-UdpEchoServer -Port 0
        $reply = Send-UdpMessage 'hello' -Port $server.Port
        Wait-Until { $server.MessagesSent -eq 1 }
        $events = @(Receive-Job $server)
        $events.Kind | Should -Be @('Started', 'Received', 'Sent')
        $received = $events[1]
        $received.ToString() | Should -Be "127.0.0.1:$($reply.LocalPort)# hello"
        $received.RemotePort | Should -Be $reply.LocalPort
        $received.Text | Should -Be 'hello'
        $received.Length | Should -Be 5
        $received.Server | Should -Be $server.Name
        ($received | Out-String).Trim() | Should -Be "127.0.0.1:$($reply.LocalPort)# hello"
    }

    It 'answers with the built-in <Handler> handler' -ForEach @(
        @{ Handler = 'Dictionary'; Message = 'hello'; Expected = '你好' }
        @{ Handler = 'Dictionary'; Message = 'love'; Expected = '爱' }
        @{ Handler = 'Dictionary'; Message = 'cat'; Expected = 'cat' }
        @{ Handler = 'Echo'; Message = 'abc'; Expected = 'abc' }
    ) {
        $server = Start-UdpServer -Port 0 -Handler $Handler
        (Send-UdpMessage $Message -Port $server.Port).Reply | Should -Be $Expected
    }

    It 'translates with a user dictionary' {
        $server = Start-UdpServer -Handler Dictionary -Dictionary @{ cat = '猫'; dog = '狗' }
        ('cat', 'dog' | Send-UdpMessage -Port $server.Port).Reply | Should -Be @('猫', '狗')
    }

    It 'answers the time server with strftime, an empty format meaning %Y-%m-%d %X' {
        $server = Start-UdpServer -Handler Time
        $default, $year = '', '%Y' | Send-UdpMessage -Port $server.Port
        $default.Reply | Should -Match '^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$'
        $year.Reply | Should -Be ((Get-Date).Year.ToString())
    }

    It 'never replies with Discard, but counts what it received' {
        $server = Start-UdpServer -Handler Discard
        { Send-UdpMessage 'x' -Port $server.Port -Timeout 0.3 -ErrorAction Stop } |
            Should -Throw -ErrorId 'UdpMessageTimedOut,PSNetLab.Commands.SendUdpMessageCommand'
        Wait-Until { $server.MessagesReceived -eq 1 }
        $server.MessagesSent | Should -Be 0
    }

    It 'listens on IPv6 loopback' {
        $server = Start-UdpEchoServer -LocalAddress '::1'
        $server.LocalAddress | Should -Be ([ipaddress]::IPv6Loopback)
        (Send-UdpMessage 'six' -ComputerName '::1' -Port $server.Port).Reply | Should -Be 'six'
        Invoke-PythonUdp -Address '::1' -Port $server.Port -Text 'py6' | Should -Be 'py6'
    }

    It 'opens up with -LocalAddress Any (INADDR_ANY)' {
        $server = Start-UdpEchoServer -LocalAddress Any
        $server.LocalAddress | Should -Be ([ipaddress]::Any)
        (Send-UdpMessage 'any' -Port $server.Port).Reply | Should -Be 'any'
    }

    It 'decodes with gbk and keeps the original bytes' {
        $server = Start-UdpEchoServer -Encoding gbk
        $result = Send-UdpMessage '你好' -Port $server.Port -Encoding gbk
        $result.Reply | Should -Be '你好'
        $result.ReplyBytes | Should -Be ([byte[]](0xC4, 0xE3, 0xBA, 0xC3))
        Wait-Until { $server.MessagesSent -eq 1 }
        (Receive-Job $server | Where-Object Kind -EQ Received).Text | Should -Be '你好'
    }

    It 'gives text replacement characters for invalid bytes, and Bytes keep the original' {
        $server = Start-UdpEchoServer
        $bad = [byte[]](0xFF, 0xFE, 0x41)
        $result = Send-UdpMessage -Bytes $bad -Port $server.Port
        $result.ReplyBytes | Should -Be $bad
        $result.Reply | Should -Be "$([char]0xFFFD)$([char]0xFFFD)A"
        Wait-Until { $server.MessagesSent -eq 1 }
        $received = Receive-Job $server | Where-Object Kind -EQ Received
        $received.Bytes | Should -Be $bad
        $received.Text | Should -Be "$([char]0xFFFD)$([char]0xFFFD)A"
    }

    It 'records only what -EventLevel asks for' {
        $errorsOnly = Start-UdpEchoServer -EventLevel Errors
        $none = Start-UdpEchoServer -EventLevel None
        $null = Send-UdpMessage 'x' -Port $errorsOnly.Port
        $null = Send-UdpMessage 'x' -Port $none.Port
        @(Receive-Job $errorsOnly).Count | Should -Be 0
        @(Receive-Job $none).Count | Should -Be 0
        $connections = Start-UdpEchoServer -EventLevel Connections
        $null = Send-UdpMessage 'x' -Port $connections.Port
        (Receive-Job $connections).Kind | Should -Be 'Started'
    }

    It 'keeps only the newest -MaxEvents events and counts the dropped ones' {
        $server = Start-UdpEchoServer -MaxEvents 5
        1..10 | ForEach-Object { "m$_" } | Send-UdpMessage -Port $server.Port | Out-Null
        Wait-Until { $server.MessagesSent -eq 10 }
        $events = @(Receive-Job $server -Keep)
        $events.Count | Should -Be 5
        $events[-1].Text | Should -Be 'm10'
        $server.EventsDropped | Should -Be 16
        $order = $events.Text -replace 'm' | ForEach-Object { [int]$_ }
        $order -join ',' | Should -Be (($order | Sort-Object) -join ',') -Because 'the log drops its oldest events, oldest first'
        (@(Receive-Job $server).Text -join ',') | Should -Be ($events.Text -join ',')
        $server.HasMoreData | Should -BeFalse
    }

    Context 'ScriptBlock handlers' {
        It 'gets the request as $Request and $_ and returns the reply' {
            $server = Start-UdpServer -Handler { param($Request) "$($Request.Text.ToUpper()) from $($_.RemotePort)" }
            $result = Send-UdpMessage 'hi' -Port $server.Port -Timeout 10
            $result.Reply | Should -Be "HI from $($result.LocalPort)"
        }

        It 'replies with bytes, or not at all' {
            $server = Start-UdpServer -Handler { if ($_.Text -eq 'bytes') { , [byte[]](1, 2, 3) } }
            (Send-UdpMessage 'bytes' -Port $server.Port -Timeout 10).ReplyBytes | Should -Be ([byte[]](1, 2, 3))
            { Send-UdpMessage 'nothing' -Port $server.Port -Timeout 0.5 -ErrorAction Stop } |
                Should -Throw -ErrorId 'UdpMessageTimedOut,PSNetLab.Commands.SendUdpMessageCommand'
        }

        It 'records an Error event when the handler throws, and keeps serving' {
            $server = Start-UdpServer -Handler { if ($_.Text -eq 'bad') { throw 'boom' }; 'fine' }
            { Send-UdpMessage 'bad' -Port $server.Port -Timeout 0.5 -ErrorAction Stop } | Should -Throw
            (Send-UdpMessage 'good' -Port $server.Port -Timeout 10).Reply | Should -Be 'fine'
            Wait-Until { $server.Errors -eq 1 }
            $failure = Receive-Job $server | Where-Object Kind -EQ Error
            $failure.Detail | Should -Match 'boom'
            $failure.ToString() | Should -Match '^! 127\.0\.0\.1:\d+# handler ScriptBlock failed: .*boom'
            $server.State | Should -Be 'Running'
        }

        It 'stops a handler that hangs after -HandlerTimeout, keeps serving and still stops within 2 s' {
            $server = Start-UdpServer -Handler { if ($_.Text -eq 'hang') { Start-Sleep -Seconds 60 }; 'awake' } -HandlerTimeout 0.5 -ThrottleLimit 2
            { Send-UdpMessage 'hang' -Port $server.Port -Timeout 0.3 -ErrorAction Stop } | Should -Throw
            Wait-Until { $server.Errors -eq 1 } -Because 'the handler timeout'
            (Receive-Job $server | Where-Object Kind -EQ Error).Detail | Should -Match 'HandlerTimeout'
            (Send-UdpMessage 'ping' -Port $server.Port -Timeout 10).Reply | Should -Be 'awake'
            $null = Send-UdpMessage 'hang' -Port $server.Port -NoReply
            $clock = [Diagnostics.Stopwatch]::StartNew()
            Stop-NetLabServer $server
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 2
            Test-UdpPortFree $server.Port | Should -BeTrue
        }

        It 'does not see the caller''s variables: only the handler text crosses over' {
            $secret = 'caller'
            $server = Start-UdpServer -Handler { "[$secret]" }
            (Send-UdpMessage 'x' -Port $server.Port -Timeout 10).Reply | Should -Be '[]'
        }
    }

    Context 'bad input' {
        It 'rejects port <Port>' -ForEach @(@{ Port = -1 }, @{ Port = 65536 }) {
            { Start-UdpEchoServer -Port $Port } | Should -Throw -ErrorId 'PortOutOfRange,PSNetLab.Commands.StartUdpEchoServerCommand'
            { Start-UdpServer -Port $Port } | Should -Throw -ErrorId 'PortOutOfRange,PSNetLab.Commands.StartUdpServerCommand'
        }

        It 'rejects an address that is not one' {
            { Start-UdpServer -LocalAddress 'not-an-address' } | Should -Throw -ErrorId 'AddressInvalid,PSNetLab.Commands.StartUdpServerCommand'
        }

        It 'says which process holds a port in use' {
            $first = Start-UdpEchoServer
            $err = { Start-UdpEchoServer -Port $first.Port } | Should -Throw -ErrorId 'UdpServerAddressInUse,PSNetLab.Commands.StartUdpEchoServerCommand' -PassThru
            $err.Exception.Message | Should -Match "port $($first.Port) is in use by pid $PID \("
            $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        }

        It 'names the owner when another program (python) holds the port' {
            $peer = Start-Peer python3 @('-c', "import socket,sys,time; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(('127.0.0.1',0)); print(s.getsockname()[1], flush=True); time.sleep(30)")
            try {
                $port = [int]$peer.StandardOutput.ReadLine()
                $err = { Start-UdpServer -Port $port } | Should -Throw -ErrorId 'UdpServerAddressInUse,PSNetLab.Commands.StartUdpServerCommand' -PassThru
                $err.Exception.Message | Should -Match "by pid $($peer.Id) \(python"
            }
            finally { Stop-Peer $peer }
        }

        It 'says when an address is not on this host' {
            { Start-UdpEchoServer -LocalAddress 192.0.2.1 } | Should -Throw -ErrorId 'UdpServerAddressNotAvailable,PSNetLab.Commands.StartUdpEchoServerCommand'
        }

        It 'rejects an unknown handler name' {
            { Start-UdpServer -Handler Nope } | Should -Throw -ErrorId 'ServerHandlerNotFound,PSNetLab.Commands.StartUdpServerCommand'
        }

        It 'rejects an unknown encoding and a duration that is not one' {
            { Start-UdpServer -Encoding nope } | Should -Throw -ErrorId 'ParameterArgumentTransformationError,PSNetLab.Commands.StartUdpServerCommand'
            { Start-UdpServer -HandlerTimeout 'soon' } | Should -Throw -ErrorId 'ParameterArgumentTransformationError,PSNetLab.Commands.StartUdpServerCommand'
        }

        It 'reports a reply too large for a datagram as an Error event' {
            $server = Start-UdpServer -Handler { 'x' * 70000 }
            { Send-UdpMessage 'big' -Port $server.Port -Timeout 0.5 -ErrorAction Stop } | Should -Throw
            Wait-Until { $server.Errors -eq 1 } -TimeoutSeconds 10
            (Receive-Job $server | Where-Object Kind -EQ Error).Detail | Should -Match '65507'
        }
    }

    Context 'as PowerShell jobs' {
        It 'is listed by Get-Job and Get-NetLabServer' {
            $server = Start-UdpEchoServer -Name 'lab-echo'
            (Get-Job -Id $server.Id).Name | Should -Be 'lab-echo'
            (Get-Job -Id $server.Id).PSJobTypeName | Should -Be 'NetLabServer'
            (Get-NetLabServer -Name 'lab-*').Id | Should -Be $server.Id
        }

        It 'Stop-Job stops it and frees the port at once' {
            $server = Start-UdpEchoServer
            Stop-Job $server
            $server.State | Should -Be 'Stopped'
            Test-UdpPortFree $server.Port | Should -BeTrue
            (Receive-Job $server)[-1].Kind | Should -Be 'Stopped'
        }

        It 'Remove-Job -Force stops it, frees the port and forgets it' {
            $server = Start-UdpEchoServer
            Remove-Job $server -Force
            Test-UdpPortFree $server.Port | Should -BeTrue
            Get-Job -Id $server.Id -ErrorAction Ignore | Should -BeNullOrEmpty
            Get-NetLabServer | Where-Object Id -EQ $server.Id | Should -BeNullOrEmpty
        }

        It 'Wait-Job -Timeout returns nothing while it runs, and the job once stopped' {
            $server = Start-UdpEchoServer
            Wait-Job $server -Timeout 0.5 | Should -BeNullOrEmpty
            Stop-NetLabServer $server
            (Wait-Job $server -Timeout 5).Id | Should -Be $server.Id
        }

        It 'Receive-Job -Keep leaves the events for the next reader' {
            $server = Start-UdpEchoServer
            $null = Send-UdpMessage 'k' -Port $server.Port
            Wait-Until { $server.MessagesSent -eq 1 }
            @(Receive-Job $server -Keep).Count | Should -Be 3
            @(Receive-Job $server).Count | Should -Be 3
            $server.HasMoreData | Should -BeFalse
        }

        It 'raises DataAdded for every event while something watches its log, with the index the event is at' {
            # Unwatched, a log takes its events without PowerShell's Add; a watcher must still see each one.
            $server = Start-UdpEchoServer
            $watch = "log-$($server.Id)"
            $null = Register-ObjectEvent -InputObject $server.Output -EventName DataAdded -SourceIdentifier $watch
            try {
                1..3 | ForEach-Object { "w$_" } | Send-UdpMessage -Port $server.Port | Out-Null
                Wait-Until { @(Get-Event -SourceIdentifier $watch -ErrorAction Ignore).Count -ge 6 } -Because 'six DataAdded events'
                # DataAdded is raised on the recording threads, so it may reach the queue out of order.
                $indexes = @(Get-Event -SourceIdentifier $watch).SourceEventArgs.Index | Sort-Object
                ($indexes -join ',') | Should -Be '1,2,3,4,5,6' -Because 'the Started event came before the watcher'
                ($indexes | ForEach-Object { $server.Output[$_].Kind }) -join ',' | Should -Be 'Received,Sent,Received,Sent,Received,Sent'
                $server.Output[0].Kind | Should -Be 'Started'
            }
            finally {
                Unregister-Event -SourceIdentifier $watch
                Remove-Event -SourceIdentifier $watch -ErrorAction Ignore
            }
        }

        It 'Receive-Job -Wait returns the events logged before it and those logged while it waits' {
            $server = Start-UdpEchoServer
            $null = Send-UdpMessage 'before' -Port $server.Port
            Wait-Until { $server.MessagesSent -eq 1 }
            $watchers = $server.GetType().Assembly.GetType('PSNetLab.Servers.Hosting.CollectionWatchers')
            $watchers::CanTell | Should -BeTrue -Because 'this PowerShell''s collection has the fields the check reads'
            $watchers::NeedsAdd($server.Output) | Should -BeFalse -Because 'nothing watches the log yet, so it logs without Add'
            $helper = [powershell]::Create()
            $null = $helper.AddScript({
                param($server, $watchers)
                $client = [Net.Sockets.UdpClient]::new([Net.IPEndPoint]::new([ipaddress]::Loopback, 0))
                try {
                    # Once Receive-Job -Wait handles DataAdded, the log must use Add again.
                    $deadline = [DateTime]::UtcNow.AddSeconds(10)
                    while (-not $watchers::NeedsAdd($server.Output) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
                    $message = [Text.Encoding]::UTF8.GetBytes('while')
                    $null = $client.Send($message, $message.Length, [Net.IPEndPoint]::new([ipaddress]::Loopback, $server.Port))
                    $deadline = [DateTime]::UtcNow.AddSeconds(5)
                    while ($server.MessagesSent -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
                }
                finally {
                    $client.Dispose()
                    $server.StopJob()
                }
            }).AddArgument($server).AddArgument($watchers)
            $stopping = $helper.BeginInvoke()
            try {
                $events = @(Receive-Job $server -Wait)
            }
            finally {
                $helper.EndInvoke($stopping)
                $helper.Dispose()
            }

            ($events | Where-Object Kind -EQ Received).Text -join ',' | Should -Be 'before,while'
            ($events.Kind -join ',') | Should -Be 'Started,Received,Sent,Received,Sent,Stopped'
        }

        It 'cannot be suspended' {
            $server = Start-UdpEchoServer
            { $server.SuspendJob() } | Should -Throw '*cannot be suspended*'
        }
    }

    Context '-Wait runs it in the foreground' {
        It 'prints events until stopped (Ctrl+C), then frees the port' {
            $state = [Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
            $state.ImportPSModule((Join-Path (Get-Module PSNetLab).ModuleBase 'PSNetLab.psd1'))
            $shell = [powershell]::Create($state)
            try {
                $null = $shell.AddCommand('Start-UdpEchoServer').AddParameter('Wait')
                $output = [Management.Automation.PSDataCollection[psobject]]::new()
                $noInput = [Management.Automation.PSDataCollection[psobject]]::new()
                $noInput.Complete()
                $null = $shell.BeginInvoke($noInput, $output)
                Wait-Until { $output.Count -ge 1 } -TimeoutSeconds 20 -Because 'the Started event'
                $port = $output[0].LocalPort
                $output[0].Kind | Should -Be 'Started'
                (Send-UdpMessage 'fg' -Port $port).Reply | Should -Be 'fg'
                Wait-Until { $output.Count -ge 3 } -Because 'Received and Sent events'
                $output[1].ToString() | Should -Match '^127\.0\.0\.1:\d+# fg$'
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $shell.Stop()
                $clock.Elapsed.TotalSeconds | Should -BeLessThan 2
                Test-UdpPortFree $port | Should -BeTrue
                Get-NetLabServer | Where-Object Port -EQ $port | Should -BeNullOrEmpty
            }
            finally { $shell.Dispose() }
        }
    }

    Context 'cleanup' {
        It 'Remove-Module stops every server (checked in a child pwsh)' {
            $result = Invoke-ChildPwsh @'
$ErrorActionPreference = 'Stop'
Import-Module $env:PSNETLAB_MODULE
$a = Start-UdpEchoServer
$b = Start-UdpServer -Handler { 'x' }
$ports = $a.Port, $b.Port
Remove-Module PSNetLab
foreach ($port in $ports) {
    $probe = [Net.Sockets.UdpClient]::new([Net.IPEndPoint]::new([ipaddress]::Loopback, $port))
    $probe.Dispose()
}
'free'
'@
            $result.Error | Should -BeNullOrEmpty
            $result.Output | Should -Be 'free'
        }
    }

    Context 'a 10-second flood at full speed' {
        It 'keeps memory bounded and still stops within 2 s' {
            $server = Start-UdpEchoServer -MaxEvents 1000
            $flood = Start-Peer python3 @('-c', @"
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setblocking(False)
data = b'x' * 1024
end = time.time() + 10
while time.time() < end:
    try:
        s.sendto(data, ('127.0.0.1', $($server.Port)))
    except BlockingIOError:
        pass
"@)
            try {
                [GC]::Collect()
                $before = [Diagnostics.Process]::GetCurrentProcess().WorkingSet64
                $peak = $before
                $deadline = [DateTime]::UtcNow.AddSeconds(9)
                while ([DateTime]::UtcNow -lt $deadline) {
                    Start-Sleep -Milliseconds 250
                    $now = [Diagnostics.Process]::GetCurrentProcess()
                    $peak = [Math]::Max($peak, $now.WorkingSet64)
                    $now.Dispose()
                }
                $flood.HasExited | Should -BeFalse -Because 'the stop is measured while the flood still runs'
                $clock = [Diagnostics.Stopwatch]::StartNew()
                Stop-NetLabServer $server
                $clock.Elapsed.TotalSeconds | Should -BeLessThan 2
                Test-UdpPortFree $server.Port | Should -BeTrue
                $server.MessagesReceived | Should -BeGreaterThan 1000
                $server.EventsDropped | Should -BeGreaterThan 0
                @(Receive-Job $server).Count | Should -BeLessOrEqual 1000
                ($peak - $before) / 1MB | Should -BeLessThan 300 -Because 'the event log is bounded'
            }
            finally { Stop-Peer $flood }
        }
    }
}
