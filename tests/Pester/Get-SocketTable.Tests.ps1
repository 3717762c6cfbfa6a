BeforeAll { . $PSScriptRoot/TestSetup.ps1 }

# Every socket here is on loopback with a port the OS picked, and is closed in AfterEach/AfterAll.
Describe 'Get-SocketTable' {
    BeforeAll {
        $script:Opened = [System.Collections.Generic.List[IDisposable]]::new()

        function Register-Disposable($Item) { $script:Opened.Add($Item); $Item }

        function New-TcpListener([string] $Address = '127.0.0.1', [int] $Backlog = 16) {
            $listener = [System.Net.Sockets.Socket]::new([System.Net.IPAddress]::Parse($Address).AddressFamily, 'Stream', 'Tcp')
            $listener.Bind([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Parse($Address), 0))
            $listener.Listen($Backlog)
            Register-Disposable $listener
        }

        # A connected pair: the client socket and the server's accepted socket.
        function New-TcpPair([System.Net.Sockets.Socket] $Listener) {
            $client = Register-Disposable ([System.Net.Sockets.Socket]::new($Listener.AddressFamily, 'Stream', 'Tcp'))
            $client.Connect($Listener.LocalEndPoint)
            $server = Register-Disposable $Listener.Accept()
            [pscustomobject]@{ Client = $client; Server = $server }
        }

        # Polls instead of sleeping a fixed time; fails with the condition's text when time runs out.
        function Wait-Until([scriptblock] $Condition, [double] $TimeoutSeconds = 5) {
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            while ($clock.Elapsed.TotalSeconds -lt $TimeoutSeconds) {
                if (& $Condition) { return }
                Start-Sleep -Milliseconds 20
            }
            throw "Timed out after $TimeoutSeconds s waiting for: $Condition"
        }

        function Close-Opened {
            foreach ($item in $script:Opened) { try { $item.Dispose() } catch { } }
            $script:Opened.Clear()
        }

        $script:ErrorSuffix = ',PSNetLab.Commands.GetSocketTableCommand'
        $script:Manifest = if ($env:PSNETLAB_MODULE) { $env:PSNETLAB_MODULE } else { Join-Path $PSScriptRoot '../../out/PSNetLab/PSNetLab.psd1' }
        $script:Manifest = (Resolve-Path $script:Manifest).Path
    }

    AfterEach { Close-Opened }

    Context 'Get-SocketTable rows' {
        It 'shows a listener the test opens with this process as its owner' {
            $listener = New-TcpListener -Backlog 7
            $port = $listener.LocalEndPoint.Port

            $rows = @(Get-SocketTable -LocalPort $port -State Listen -IncludeProcess)

            $rows.Count | Should -Be 1
            $rows[0].Protocol | Should -Be 'Tcp'
            $rows[0].AddressFamily | Should -Be 'InterNetwork'
            $rows[0].LocalAddress | Should -Be '127.0.0.1'
            $rows[0].State | Should -Be 'Listen'
            $rows[0].OwningProcess | Should -Be $PID
            $rows[0].ProcessName | Should -Not -BeNullOrEmpty
            $rows[0].SendQ | Should -Be 7 -Because 'a Listen row shows its backlog as Send-Q, as ss does'
            $rows[0].Inode | Should -BeGreaterThan 0
            $rows[0].ToString() | Should -Match "^tcp 127\.0\.0\.1:$port -> 0\.0\.0\.0:\* Listen pid $PID"
        }

        It 'leaves owners out unless they are asked for' {
            $listener = New-TcpListener
            $row = Get-SocketTable -LocalPort $listener.LocalEndPoint.Port -State Listen
            $row.OwningProcess | Should -BeNullOrEmpty
            $row.ProcessName | Should -BeNullOrEmpty
        }

        It 'shows TimeWait on the side that closed first, with no owner' {
            $listener = New-TcpListener
            $pair = New-TcpPair $listener
            $clientPort = $pair.Client.LocalEndPoint.Port
            $pair.Client.Close()   # active close: the client will hold TIME_WAIT
            Wait-Until { (Get-SocketTable -LocalPort $clientPort -Protocol Tcp).State -contains 'FinWait2' }
            $pair.Server.Close()

            Wait-Until { (Get-SocketTable -LocalPort $clientPort -Protocol Tcp).State -contains 'TimeWait' }
            $row = Get-SocketTable -LocalPort $clientPort -RemotePort $listener.LocalEndPoint.Port -State TimeWait -IncludeProcess
            $row.RemotePort | Should -Be $listener.LocalEndPoint.Port
            $row.OwningProcess | Should -BeNullOrEmpty -Because 'no process holds a TIME_WAIT socket'
            $row.Timer.Kind | Should -Be 'TimeWait'
            $row.Timer.Remaining.TotalSeconds | Should -BeGreaterThan 0

            $serverSide = @(Get-SocketTable -LocalPort $listener.LocalEndPoint.Port -RemotePort $clientPort)
            $serverSide.State | Should -Not -Contain 'TimeWait' -Because 'the passive closer goes through LastAck to Closed'
        }

        It 'shows an established pair from both ends' {
            $listener = New-TcpListener
            $pair = New-TcpPair $listener
            $port = $listener.LocalEndPoint.Port
            $rows = @(Get-SocketTable -State Established -IncludeProcess | Where-Object { $_.LocalPort -eq $port -or $_.RemotePort -eq $port })
            $rows.Count | Should -Be 2
            $rows.OwningProcess | Should -Be @($PID, $PID)
            ($rows | Where-Object LocalPort -EQ $port).RemotePort | Should -Be $pair.Client.LocalEndPoint.Port
        }

        It 'reads IPv6 sockets and shows IPv4-mapped addresses faithfully' {
            $listener6 = New-TcpListener -Address '::1'
            # Scoped by address and protocol: another socket may hold the same port number in the other family.
            $row = Get-SocketTable -Protocol Tcp -LocalAddress '::1' -LocalPort $listener6.LocalEndPoint.Port -State Listen
            $row.AddressFamily | Should -Be 'InterNetworkV6'
            $row.LocalAddress | Should -Be '::1'
            $row.FormatLocal() | Should -Be "[::1]:$($listener6.LocalEndPoint.Port)"

            # A dual-mode IPv6 client talking to an IPv4 listener is an AF_INET6 socket with mapped addresses.
            $listener4 = New-TcpListener
            $client = Register-Disposable ([System.Net.Sockets.Socket]::new('InterNetworkV6', 'Stream', 'Tcp'))
            $client.DualMode = $true
            $client.Connect([System.Net.IPAddress]::Loopback, $listener4.LocalEndPoint.Port)
            $mapped = Get-SocketTable -LocalPort $client.LocalEndPoint.Port -RemotePort $listener4.LocalEndPoint.Port -State Established
            $mapped.AddressFamily | Should -Be 'InterNetworkV6'
            $mapped.LocalAddress | Should -Be '::ffff:127.0.0.1'
            $mapped.RemoteAddress | Should -Be '::ffff:127.0.0.1'
        }

        It 'reads UDP sockets as Bound, IPv4 and IPv6' {
            $udp4 = Register-Disposable ([System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0)))
            $udp6 = Register-Disposable ([System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::IPv6Loopback, 0)))
            $rows = @(Get-SocketTable -Protocol Udp -LocalPort $udp4.Client.LocalEndPoint.Port, $udp6.Client.LocalEndPoint.Port -IncludeProcess)
            $rows.Count | Should -Be 2
            $rows.State | Should -Be @('Bound', 'Bound')
            ($rows.AddressFamily | ForEach-Object ToString | Sort-Object) | Should -Be @('InterNetwork', 'InterNetworkV6')
            $rows.OwningProcess | Should -Be @($PID, $PID)
        }

        It 'reads unix sockets: a listener at a path and a connected pair' {
            $path = Join-Path ([IO.Path]::GetTempPath()) "psnetlab-$PID-$([guid]::NewGuid().ToString('n').Substring(0, 8)).sock"
            try {
                $endpoint = [System.Net.Sockets.UnixDomainSocketEndPoint]::new($path)
                $listener = Register-Disposable ([System.Net.Sockets.Socket]::new('Unix', 'Stream', 'Unspecified'))
                $listener.Bind($endpoint)
                $listener.Listen(3)
                $client = Register-Disposable ([System.Net.Sockets.Socket]::new('Unix', 'Stream', 'Unspecified'))
                $client.Connect($endpoint)
                $null = Register-Disposable $listener.Accept()

                $rows = @(Get-SocketTable -Protocol Unix -ProcessId $PID)
                $listen = @($rows | Where-Object { $_.LocalAddress -eq $path -and $_.State -eq 'Listen' })
                $listen.Count | Should -Be 1
                $listen[0].AddressFamily | Should -Be 'Unix'
                $listen[0].SocketType | Should -Be 'Stream'
                $listen[0].OwningProcess | Should -Be $PID
                $listen[0].SendQ | Should -Be 3

                $toServer = @($rows | Where-Object { $_.RemoteAddress -eq $path -and $_.State -eq 'Established' })
                $toServer.Count | Should -Be 1 -Because 'the client names its peer by the path the server is bound to'
                $accepted = $rows | Where-Object Inode -EQ $toServer[0].PeerInode
                $accepted.PeerInode | Should -Be $toServer[0].Inode
            }
            finally {
                Close-Opened
                Remove-Item -LiteralPath $path -ErrorAction Ignore
            }
        }
    }

    Context 'Get-SocketTable filters' {
        It '-State and -Listening select states' {
            $listener = New-TcpListener
            $pair = New-TcpPair $listener
            $udp = Register-Disposable ([System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0)))
            $ports = $listener.LocalEndPoint.Port, $pair.Client.LocalEndPoint.Port, $udp.Client.LocalEndPoint.Port

            $listenOnly = @(Get-SocketTable -State Listen -LocalPort $ports -ProcessId $PID)
            $listenOnly.State | Should -Be @('Listen')

            $listening = @(Get-SocketTable -Listening -LocalPort $ports -ProcessId $PID)
            ($listening.State | ForEach-Object ToString | Sort-Object) | Should -Be @('Bound', 'Listen') -Because 'netstat -l lists unconnected UDP sockets too'

            $both = @(Get-SocketTable -State Listen, Established -Protocol Tcp -LocalPort $ports -ProcessId $PID)
            ($both.State | ForEach-Object ToString | Sort-Object) | Should -Be @('Established', 'Established', 'Listen')

            @(Get-SocketTable -State TimeWait -LocalPort $ports | Where-Object RemotePort -In $ports).Count | Should -Be 0
            @(Get-SocketTable -Listening -State Established -LocalPort $ports).Count | Should -Be 0
        }

        It '-ProcessId and -ProcessName select owners' {
            $listener = New-TcpListener
            $port = $listener.LocalEndPoint.Port
            (Get-SocketTable -ProcessId $PID -LocalPort $port).OwningProcess | Should -Be $PID
            $name = (Get-SocketTable -LocalPort $port -State Listen -IncludeProcess).ProcessName
            (Get-SocketTable -ProcessName ($name.Substring(0, 2) + '*') -LocalPort $port).LocalPort | Should -Be $port
            @(Get-SocketTable -ProcessName 'no-such-process-*' -LocalPort $port).Count | Should -Be 0
            @(Get-SocketTable -ProcessId ($PID + 1000000) -LocalPort $port).Count | Should -Be 0
        }

        It '-LocalAddress and -RemotePort select endpoints' {
            $listener4 = New-TcpListener
            $listener6 = New-TcpListener -Address '::1'
            $pair = New-TcpPair $listener4
            $ports = $listener4.LocalEndPoint.Port, $listener6.LocalEndPoint.Port
            (Get-SocketTable -LocalAddress '0:0:0:0:0:0:0:1' -LocalPort $ports -State Listen).LocalPort | Should -Be $listener6.LocalEndPoint.Port
            (Get-SocketTable -RemotePort $listener4.LocalEndPoint.Port -State Established).LocalPort | Should -Be $pair.Client.LocalEndPoint.Port
        }

        It 'takes ports from piped objects by property name (Port or LocalPort)' {
            $a = New-TcpListener
            $b = New-TcpListener
            $rows = @(
                [pscustomobject]@{ Port = $a.LocalEndPoint.Port },
                [pscustomobject]@{ LocalPort = $b.LocalEndPoint.Port } | Get-SocketTable -Protocol Tcp -State Listen -ProcessId $PID)
            ($rows.LocalPort | Sort-Object) | Should -Be (@($a.LocalEndPoint.Port, $b.LocalEndPoint.Port) | Sort-Object)
            $rows.OwningProcess | Should -Be @($PID, $PID)
        }

        It 'rejects ports outside 0-65535 with PortOutOfRange' {
            { Get-SocketTable -LocalPort 70000 } | Should -Throw -ErrorId "PortOutOfRange$script:ErrorSuffix"
            { Get-SocketTable -RemotePort -1 } | Should -Throw -ErrorId "PortOutOfRange$script:ErrorSuffix"
            { Get-SocketTable -Watch -LocalPort 65536 -Duration 0 } | Should -Throw -ErrorId "PortOutOfRange$script:ErrorSuffix"
        }

        It 'reports a bad piped port as an error and goes on with the next object' {
            $listener = New-TcpListener
            $rows = @([pscustomobject]@{ Port = 99999 }, [pscustomobject]@{ Port = $listener.LocalEndPoint.Port } |
                    Get-SocketTable -State Listen -ErrorVariable bad -ErrorAction SilentlyContinue)
            $rows.LocalPort | Should -Be $listener.LocalEndPoint.Port
            $bad.Count | Should -Be 1
            $bad[0].FullyQualifiedErrorId | Should -Be "PortOutOfRange$script:ErrorSuffix"
        }
    }

    Context 'Get-SocketTable against ss' -Skip:(-not $IsLinux) {
        It 'agrees with ss -tuanp on a stable population: states, endpoints and PIDs' {
            $listener = New-TcpListener
            $listener6 = New-TcpListener -Address '::1'
            $pairs = @(1..3 | ForEach-Object { New-TcpPair $listener }) + @(New-TcpPair $listener6)
            # TIME_WAIT rows that earlier tests left on these ports may expire between the two reads: they are left out.
            $udp = Register-Disposable ([System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::IPv6Loopback, 0)))
            $ports = @($listener.LocalEndPoint.Port, $listener6.LocalEndPoint.Port, $udp.Client.LocalEndPoint.Port)

            $ssStates = @{ 'LISTEN' = 'Listen'; 'ESTAB' = 'Established'; 'UNCONN' = 'Bound'; 'TIME-WAIT' = 'TimeWait' }
            $fromSs = @(ss -tuanpH | ForEach-Object {
                    $f = -split $_
                    $local = $f[4]; $peer = $f[5]
                    $localPort = [int]($local -replace '^.*:', '')
                    $peerPort = if ($peer -match ':(\d+)$') { [int]$Matches[1] } else { 0 }
                    $pidText = if ($_ -match 'pid=(\d+)') { $Matches[1] } else { '' }
                    # Only this process's sockets: other programs may use the same port numbers in the other family.
                    if (($ports -contains $localPort -or $ports -contains $peerPort) -and $f[1] -ne 'TIME-WAIT' -and $pidText -eq "$PID") {
                        # ss writes a wildcard peer as 0.0.0.0:* or [::]:*, as Get-SocketTable's FormatRemote does.
                        '{0} {1} {2} {3} {4}' -f $f[0], $ssStates[$f[1]], $local, $peer, $pidText
                    }
                } | Sort-Object)

            $fromUs = @(Get-SocketTable -IncludeProcess |
                    Where-Object { ($ports -contains $_.LocalPort -or $ports -contains $_.RemotePort) -and $_.State -ne 'TimeWait' -and $_.OwningProcess -eq $PID } |
                    ForEach-Object { '{0} {1} {2} {3} {4}' -f $_.Protocol.ToString().ToLowerInvariant(), $_.State, $_.FormatLocal(), $_.FormatRemote(), $_.OwningProcess } |
                    Sort-Object)

            $fromSs.Count | Should -Be (2 + 8 + 1) -Because 'the population is 2 listeners, 4 pairs and a UDP socket'
            $fromUs | Should -Be $fromSs
        }

        It 'returns no duplicate rows while connections churn' {
            $listener = New-TcpListener -Backlog 512
            $port = $listener.LocalEndPoint.Port
            # Connections open and close in another thread for a bounded time while the table is read.
            $churn = Start-ThreadJob -ArgumentList $port -ScriptBlock {
                param($port)
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                $n = 0
                while ($clock.Elapsed.TotalSeconds -lt 3 -and $n -lt 2000) {
                    $c = [System.Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp')
                    try { $c.Connect([System.Net.IPAddress]::Loopback, $port) } finally { $c.Dispose() }
                    $n++
                }
                $n
            }
            try {
                $accepting = [System.Diagnostics.Stopwatch]::StartNew()
                $reads = 0
                while ($churn.State -in 'NotStarted', 'Running' -and $accepting.Elapsed.TotalSeconds -lt 10) {
                    while ($listener.Poll(0, 'SelectRead')) { $listener.Accept().Dispose() }
                    $rows = @(Get-SocketTable -Protocol Tcp)
                    $keys = $rows | ForEach-Object { "$($_.LocalAddress):$($_.LocalPort) $($_.RemoteAddress):$($_.RemotePort) $($_.Inode) $(if ($_.Inode -eq 0) { $_.State })" }
                    @($keys | Group-Object | Where-Object Count -GT 1).Count | Should -Be 0
                    $reads++
                }
                $reads | Should -BeGreaterThan 0
                (Receive-Job $churn -Wait) | Should -BeGreaterThan 0
            }
            finally {
                Remove-Job $churn -Force
            }
        }
    }

    Context 'Get-SocketTable -Watch' {
        It 'reports the existing listener and then each connection as it comes and goes, for -Duration' {
            $listener = New-TcpListener
            $port = $listener.LocalEndPoint.Port
            $peer = Start-ThreadJob -ArgumentList $port -ScriptBlock {
                param($port)
                Start-Sleep -Milliseconds 300
                $c = [System.Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp')
                $c.Connect([System.Net.IPAddress]::Loopback, $port)
                Start-Sleep -Milliseconds 300
                $c.Dispose()
            }
            try {
                $changes = @(Get-SocketTable -Watch -LocalPort $port -Duration 1.5 -Interval 0.05)
            }
            finally {
                Remove-Job $peer -Force
            }

            $changes[0].ChangeType | Should -Be 'Existing'
            $changes[0].State | Should -Be 'Listen'
            $changes[0].PSObject.TypeNames | Should -Contain 'PSNetLab.Sockets.SocketTableChange'
            $added = @($changes | Where-Object ChangeType -EQ 'Added')
            $added.Count | Should -Be 1 -Because 'the server side of the connection appears on the watched port'
            $added[0].RemotePort | Should -BeGreaterThan 0
            $added[0].Time | Should -BeOfType [datetime]
            @($changes | Where-Object { $_.ChangeType -in 'StateChanged', 'Removed' -and $_.RemotePort -eq $added[0].RemotePort }).Count |
                Should -BeGreaterThan 0 -Because 'the client closed, so the server side moved to CloseWait'
        }

        It 'accepts -Duration as a TimeSpan and watches piped ports' {
            $listener = New-TcpListener
            $changes = @([pscustomobject]@{ Port = $listener.LocalEndPoint.Port } | Get-SocketTable -State Listen -Watch -Duration ([timespan]'00:00:00.3') -Interval 0.1)
            $changes.Count | Should -Be 1
            $changes[0].LocalPort | Should -Be $listener.LocalEndPoint.Port
        }

        It 'stops on Ctrl+C (StopProcessing)' {
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$script:Manifest'; Get-SocketTable -Watch -Interval 0.05 -LocalPort 1")
                $async = $ps.BeginInvoke()
                Wait-Until { $ps.InvocationStateInfo.State -eq 'Running' }
                Start-Sleep -Milliseconds 200
                $ps.Stop()
                Wait-Until { $async.IsCompleted }
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            }
            finally {
                $ps.Dispose()
            }
        }
    }

    Context 'Get-SocketTable as a user without privilege' -Skip:(-not $IsLinux) {
        BeforeAll {
            # pwsh lives under /root here, which nobody cannot read: give the child a copy of $PSHOME.
            $script:Sandbox = Join-Path ([IO.Path]::GetTempPath()) "psnetlab-nobody-$PID"
            $null = New-Item -ItemType Directory -Force $script:Sandbox
            Copy-Item -Recurse $PSHOME (Join-Path $script:Sandbox 'pwsh')
            chmod -R a+rwX $script:Sandbox
        }

        AfterAll { Remove-Item -Recurse -Force -ErrorAction Ignore $script:Sandbox }

        It 'returns complete rows, leaves other users'' owners null and raises no error' {
            (Get-Command setpriv -ErrorAction Ignore) | Should -Not -BeNullOrEmpty -Because 'util-linux setpriv runs the child as nobody'
            $rootListener = New-TcpListener
            $rootPort = $rootListener.LocalEndPoint.Port
            $manifest = $script:Manifest
            $childScript = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$manifest'
`$own = [System.Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp')
`$own.Bind([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0)); `$own.Listen(1)
`$rows = @(Get-SocketTable -Protocol Tcp -IncludeProcess)
[pscustomobject]@{
Uid = (id -u)
Pid = `$PID
OwnPort = `$own.LocalEndPoint.Port
Rows = @(`$rows | Select-Object LocalPort, State, OwningProcess, Uid)
} | ConvertTo-Json -Depth 4 -Compress -EnumsAsStrings
`$own.Dispose()
"@
            $scriptFile = Join-Path $script:Sandbox 'child.ps1'
            Set-Content -Path $scriptFile -Value $childScript
            chmod a+r $scriptFile
            $dotnet = (Get-Command dotnet).Source
            $json = & setpriv --reuid=65534 --regid=65534 --clear-groups env "HOME=$script:Sandbox" "DOTNET_CLI_HOME=$script:Sandbox" `
                $dotnet (Join-Path $script:Sandbox 'pwsh/pwsh.dll') -NoProfile -NonInteractive -File $scriptFile 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($json -join "`n")
            $result = ($json | Select-Object -Last 1) | ConvertFrom-Json

            $result.Uid | Should -Be 65534
            $rootRow = @($result.Rows | Where-Object { $_.LocalPort -eq $rootPort -and $_.State -eq 'Listen' })
            $rootRow.Count | Should -Be 1 -Because 'every user sees every socket'
            $rootRow[0].OwningProcess | Should -BeNullOrEmpty -Because "nobody cannot read root's /proc/<pid>/fd"
            $rootRow[0].Uid | Should -Be 0
            $ownRow = @($result.Rows | Where-Object { $_.LocalPort -eq $result.OwnPort -and $_.State -eq 'Listen' })
            $ownRow[0].OwningProcess | Should -Be $result.Pid
            $ownRow[0].Uid | Should -Be 65534
        }
    }
}
