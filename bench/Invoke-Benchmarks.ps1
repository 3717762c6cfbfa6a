<#
.SYNOPSIS
    Runs PSNetLab's benchmarks and writes bench/results.md. Never part of the test run.
.DESCRIPTION
    Everything is measured in one run, because this 2-core VM is noisy (the same case moves by up to
    +-40 % between runs minutes apart; see ../shared/bench/anchors-notes.md): only ratios taken
    close in time mean anything.

    1. Import-Module in a warm pwsh (target: 150 ms or less).
    2. Echo servers: builds echoload and the C epoll echoserver from the bench kit into out/bench
       (the kit's own folder is read-only), starts the C server and the PSNetLab servers (each
       concurrency mode with the Echo handler, a ScriptBlock echo handler, the UDP echo server) in
       child processes, and measures them with echoload case by case, each case for every server
       in turn with the order rotated per round, as the kit's run-compare.sh does. Ratios are to
       the C server in the same round; the table shows the median of the per-round ratios.
       The servers run as users get them: DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS is a
       process-wide runtime switch a module cannot set for the user's pwsh, so it is measured only
       as an extra, labelled "+inline" row.
       The kit's other reference servers (its C# async server, Python threading, forking and
       asyncio servers, socat and ncat fork servers when installed) run in the cases the issue's
       targets quote them for (16 x 64 B, short connections, UDP 16 x 64 B), so "ahead of every
       one of them" is checked in the same run (-SkipReferences leaves them out).
    3. Measure-TcpServer against echoload, both against the C server, alternating.
    4. Memory per idle connection of a Thread-mode server at 10,000 connections.
    5. The Get-SocketTable figures from bench/socket-table (re-run with -RunSocketTable).
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Bench
.EXAMPLE
    dotnet pwsh ./bench/Invoke-Benchmarks.ps1 -ModuleManifest ./out/PSNetLab/PSNetLab.psd1 -Seconds 5 -Rounds 3
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [int] $Repeat = 10,
    [double] $Seconds = 3,
    [double] $Warmup = 1,
    [ValidateRange(1, 9)] [int] $Rounds = 5,
    [string] $BenchKit = (Join-Path $PSScriptRoot '../../shared/bench'),
    [int] $IdleConnections = 10000,
    [switch] $SkipInlineCompletions,
    [switch] $SkipReferences,
    [switch] $RunSocketTable
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3
if (-not $IsLinux) { throw 'The benchmark uses the bench kit (gcc, setsid, /proc) and runs on Linux only.' }
$ModuleManifest = (Resolve-Path $ModuleManifest).Path
$Root = Split-Path $PSScriptRoot
$Bin = Join-Path $Root 'out/bench'
$Work = Join-Path ([IO.Path]::GetTempPath()) "psnetlab-bench-$PID"
$null = New-Item -ItemType Directory -Force $Bin, $Work
$clock = [Diagnostics.Stopwatch]::StartNew()

function Write-Step([string] $Text) { Write-Host ('[{0,5:0}s] {1}' -f $clock.Elapsed.TotalSeconds, $Text) }

function Get-ChildPwsh {
    # Under `dotnet pwsh` the process is dotnet itself; a child needs `dotnet <PSHOME>/pwsh.dll`.
    $self = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') { return @($self, (Join-Path $PSHOME 'pwsh.dll')) }
    return @($self)
}

#region Import-Module
function Measure-ImportModule {
    # Each import runs in a new runspace of this warm process: the assembly load is paid once
    # per process, which is what a user who imports the module in a running session sees first.
    $times = foreach ($i in 1..$Repeat) {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$ModuleManifest' -ErrorAction Stop")
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $null = $ps.Invoke()
            $watch.Stop()
            if ($ps.HadErrors) { throw $ps.Streams.Error[0] }
            $watch.Elapsed.TotalMilliseconds
        }
        finally {
            $ps.Dispose()
        }
    }
    return [pscustomobject]@{ First = $times[0]; Median = ($times | Select-Object -Skip 1 | Sort-Object)[[int](($times.Count - 1) / 2)] }
}
#endregion

#region Processes
function Build-BenchTools {
    foreach ($tool in 'echoload', 'echoserver') {
        $source = Join-Path $BenchKit "$tool.c"
        $target = Join-Path $Bin $tool
        if ((Test-Path $target) -and (Get-Item $target).LastWriteTimeUtc -gt (Get-Item $source).LastWriteTimeUtc) { continue }
        & gcc -O2 -Wall -o $target $source -lpthread
        if ($LASTEXITCODE -ne 0) { throw "gcc failed to build $tool from $source" }
    }
}

function Build-CSharpReference {
    $dll = Join-Path $Bin 'csharp-echo/EchoServer.dll'
    if (Test-Path $dll) { return $dll }
    # Built from a copy: dotnet build writes obj/ beside the project, and the kit's folder is read-only.
    $copy = Join-Path $Work 'csharp-echo-src'
    Copy-Item -Recurse (Join-Path $BenchKit 'csharp-echo') $copy
    $null = & dotnet build (Join-Path $copy 'EchoServer.csproj') -c Release -nologo -v q -o (Split-Path $dll)
    if ($LASTEXITCODE -ne 0) { throw "dotnet build failed for the kit's C# reference server ($copy)." }
    return $dll
}

function Get-ReferenceServers {
    # The kit's reference servers (run-anchors.sh starts them the same way), in the cases whose
    # targets quote them. {PORT} is replaced by a free port.
    $python = (Get-Command python3 -ErrorAction Stop).Source
    $dll = Build-CSharpReference
    $kit = (Resolve-Path $BenchKit).Path
    $references = [ordered]@{
        'ref csharp-async'     = @{ Proto = 'tcp'; Cases = @('tcp echo 16x64'); Command = @('dotnet', $dll, '{PORT}', 'tcp') }
        'ref py-threading'     = @{ Proto = 'tcp'; Cases = @('tcp echo 16x64', 'tcp connect 16x64'); Command = @($python, "$kit/py_socketserver_echo.py", '{PORT}', 'threading') }
        'ref py-forking'       = @{ Proto = 'tcp'; Cases = @('tcp echo 16x64', 'tcp connect 16x64'); Command = @($python, "$kit/py_socketserver_echo.py", '{PORT}', 'forking') }
        'ref py-asyncio'       = @{ Proto = 'tcp'; Cases = @('tcp echo 16x64'); Command = @($python, "$kit/py_asyncio_echo.py", '{PORT}', 'protocol') }
        'ref socat-pipe'       = @{ Proto = 'tcp'; Cases = @('tcp echo 16x64', 'tcp connect 16x64'); Command = @('socat', 'TCP-LISTEN:{PORT},bind=127.0.0.1,fork,reuseaddr', 'PIPE') }
        'ref ncat-exec-cat'    = @{ Proto = 'tcp'; Cases = @('tcp echo 16x64', 'tcp connect 16x64'); Command = @('ncat', '-l', '127.0.0.1', '{PORT}', '-k', '--exec', '/bin/cat') }
        'ref csharp-udp'       = @{ Proto = 'udp'; Cases = @('udp echo 16x64'); Command = @('dotnet', $dll, '{PORT}', 'udp') }
        'ref py-asyncio-udp'   = @{ Proto = 'udp'; Cases = @('udp echo 16x64'); Command = @($python, "$kit/py_asyncio_echo.py", '{PORT}', 'udp') }
    }
    foreach ($name in @($references.Keys)) {
        if (-not (Get-Command $references[$name].Command[0] -ErrorAction Ignore)) {
            Write-Step "$name left out: $($references[$name].Command[0]) is not installed"
            $references.Remove($name)
        }
    }
    return $references
}

function Get-FreePort([string] $Proto) {
    # A port the kernel just handed out on loopback and that nobody holds now (the C server serves
    # TCP and UDP on its one port).
    $socket = if ($Proto -eq 'udp') { [Net.Sockets.Socket]::new('InterNetwork', 'Dgram', 'Udp') } else { [Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp') }
    try {
        $socket.Bind([Net.IPEndPoint]::new([Net.IPAddress]::Loopback, 0))
        return $socket.LocalEndPoint.Port
    }
    finally { $socket.Dispose() }
}

function Start-Group([string] $Name, [string[]] $Command, [hashtable] $Environment = @{}, [int] $FileLimit = 0) {
    # setsid: its own process group (pid = pgid), so echoload can sum the server's CPU and the stop
    # reaches every process it started. bash only sets up the log and the descriptor limit, then execs.
    $log = Join-Path $Work "$Name.log"
    $limit = if ($FileLimit -gt 0) { "ulimit -n $FileLimit; " } else { '' }
    $info = [Diagnostics.ProcessStartInfo]::new('bash')
    foreach ($a in @('-c', "$limit exec setsid `"`$@`" >'$log' 2>&1 </dev/null", 'bash') + $Command) { $info.ArgumentList.Add($a) }
    foreach ($key in $Environment.Keys) { $info.Environment[$key] = $Environment[$key] }
    $process = [Diagnostics.Process]::Start($info)
    return [pscustomobject]@{ Name = $Name; Process = $process; Pgid = $process.Id; Log = $log }
}

function Stop-Group($Group) {
    if ($null -eq $Group -or $Group.Process.HasExited) { return }
    & kill -TERM -- "-$($Group.Pgid)" 2>$null
    if (-not $Group.Process.WaitForExit(5000)) { & kill -KILL -- "-$($Group.Pgid)" 2>$null; $null = $Group.Process.WaitForExit(5000) }
}

function Start-PSNetLabServers([string] $Name, [hashtable] $Environment = @{}, [string[]] $Only = @()) {
    $ready = Join-Path $Work "$Name.ready.json"
    $stop = Join-Path $Work "$Name.stop"
    $arguments = @((Get-ChildPwsh) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Start-BenchServers.ps1'),
            '-ModuleManifest', $ModuleManifest, '-ReadyFile', $ready, '-StopFile', $stop))
    if ($Only) { $arguments += @('-Only', ($Only -join ',')) }
    $group = Start-Group $Name $arguments $Environment
    # Up to 3 minutes: Start-BenchServers waits until every Process-mode worker answers.
    $deadline = [DateTime]::UtcNow.AddSeconds(240)
    while (-not (Test-Path $ready)) {
        if ($group.Process.HasExited -or [DateTime]::UtcNow -gt $deadline) { throw "The $Name servers did not start: $(Get-Content -Raw $group.Log -ErrorAction Ignore)" }
        Start-Sleep -Milliseconds 100
    }
    $group | Add-Member -NotePropertyName Ports -NotePropertyValue (Get-Content -Raw $ready | ConvertFrom-Json -AsHashtable)
    $group | Add-Member -NotePropertyName StopFile -NotePropertyValue $stop
    return $group
}

function Stop-PSNetLabServers($Group) {
    if ($null -eq $Group) { return }
    Set-Content -Path $Group.StopFile -Value 'stop'
    if (-not $Group.Process.WaitForExit(15000)) { Stop-Group $Group }
    Stop-Group $Group   # Process-mode workers, if any outlived their parent
}
#endregion

#region echoload
function Invoke-EchoLoad([int] $Port, [string] $Proto, [string] $Mode, [int] $Conns, [int] $Size, [int] $Pgid, [double] $Duration = $Seconds, [double] $WarmupSeconds = $Warmup) {
    $arguments = @('--port', $Port, '--proto', $Proto, '--mode', $Mode, '--conns', $Conns, '--size', $Size,
        '--duration', $Duration, '--warmup', $WarmupSeconds, '--server-pgid', $Pgid, '--quiet')
    if ($Proto -eq 'tcp') { $arguments += '--newline' }
    $line = & (Join-Path $Bin 'echoload') @arguments 2>$null | Where-Object { $_ -like 'RESULT *' } | Select-Object -Last 1
    $result = @{ rps = 0.0; p99_us = 0.0; errors = 0; server_cpu_pct = -1.0 }
    if ($line) {
        foreach ($pair in ($line -split ' ' | Select-Object -Skip 1)) {
            $key, $value = $pair -split '=', 2
            $number = 0.0
            $result[$key] = if ([double]::TryParse($value, [Globalization.NumberStyles]::Float, [Globalization.CultureInfo]::InvariantCulture, [ref]$number)) { $number } else { $value }
        }
    }
    return $result
}

function Wait-EchoReady([int] $Port, [string] $Proto, [string] $Name) {
    # --probe: one verified echo, no load. A 0.2 s load here once completed no request while the
    # freshly started servers (16 workers among them) still competed for the 2 cores, and failed the run.
    $arguments = @('--port', $Port, '--proto', $Proto, '--wait-ready', 60, '--probe', '--quiet')
    if ($Proto -eq 'tcp') { $arguments += '--newline' }
    $null = & (Join-Path $Bin 'echoload') @arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "$Name on port $Port did not answer an echo (echoload exit $LASTEXITCODE)." }
}
#endregion

#region Targets
# The issue's targets: ratio to the C epoll server measured in the same run.
$Targets = @{
    'tcp echo 1x64|thread-echo'          = @{ Min = 0.90; Text = '>= 0.90' }
    'tcp echo 16x64|thread-echo'         = @{ Min = 0.75; Text = '>= 0.75' }
    'tcp echo 256x64|thread-echo'        = @{ Min = 0.85; Text = '>= 0.85, no errors'; NoErrors = $true }
    'tcp echo 16x16384|thread-echo'      = @{ Min = 0.80; Text = '>= 0.80' }
    'tcp echo 256x16384|thread-echo'     = @{ Min = 0.80; Text = '>= 0.80' }
    'tcp connect 16x64|thread-echo'      = @{ Min = 0.85; Text = '>= 0.85' }
    'tcp echo 16x64|process-echo16'      = @{ Min = 0.50; Text = '>= 0.50' }
    'tcp connect 16x64|process-echo'     = @{ Min = 0.25; Text = '>= 0.25' }
    'tcp echo 1x64|iterative-echo'       = @{ Min = 0.90; Text = '>= 0.90' }
    'tcp echo 16x64|thread-scriptblock'  = @{ Min = 0.20; Text = '>= 0.20' }
    'udp echo 16x64|udp-echo'            = @{ Min = 0.85; Text = '>= 0.85' }
}
#endregion

$groups = [Collections.Generic.List[object]]::new()
try {
    Write-Step 'Import-Module'
    $import = Measure-ImportModule

    Write-Step "Building echoload and echoserver from $BenchKit into $Bin"
    Build-BenchTools

    Write-Step 'Starting the C epoll server and the PSNetLab servers'
    $cPort = Get-FreePort tcp
    $c = Start-Group 'c-epoll' @((Join-Path $Bin 'echoserver'), '--port', $cPort, '--proto', 'both')
    $groups.Add($c)
    $psnl = Start-PSNetLabServers 'psnetlab'
    $groups.Add($psnl)
    $inline = $null
    if (-not $SkipInlineCompletions) {
        $inline = Start-PSNetLabServers 'psnetlab-inline' @{ DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS = '1' } @('thread-echo', 'udp-echo')
        $groups.Add($inline)
    }

    # name -> how to reach it; 'c' is the yardstick in every case.
    $servers = [ordered]@{ 'c' = @{ Port = [int]$cPort; Pgid = $c.Pgid; Udp = [int]$cPort } }
    function Get-Proto([string] $Name) { if ($Name -like 'udp*') { 'udp' } else { 'tcp' } }
    foreach ($name in $psnl.Ports.Keys) { $servers[$name] = @{ Port = [int]$psnl.Ports[$name]; Pgid = $psnl.Pgid; Proto = Get-Proto $name } }
    if ($inline) { foreach ($name in $inline.Ports.Keys) { $servers["$name+inline"] = @{ Port = [int]$inline.Ports[$name]; Pgid = $inline.Pgid; Proto = Get-Proto $name } } }

    $references = if ($SkipReferences) { [ordered]@{} } else { Get-ReferenceServers }
    foreach ($name in $references.Keys) {
        $port = Get-FreePort $references[$name].Proto
        $group = Start-Group ($name -replace ' ', '-') @($references[$name].Command | ForEach-Object { $_ -replace '\{PORT\}', $port })
        $groups.Add($group)
        $servers[$name] = @{ Port = $port; Pgid = $group.Pgid; Proto = $references[$name].Proto }
    }

    Wait-EchoReady $cPort tcp 'the C server'
    foreach ($name in @($servers.Keys | Where-Object { $_ -ne 'c' })) {
        Wait-EchoReady $servers[$name].Port $servers[$name].Proto $name
    }

    $inlineTcp = if ($inline) { @('thread-echo+inline') } else { @() }
    $inlineUdp = if ($inline) { @('udp-echo+inline') } else { @() }
    function Get-ReferencesFor([string] $Case) { @($references.Keys | Where-Object { $Case -in $references[$_].Cases }) }
    $cases = @(
        @{ Name = 'tcp echo 1x64'; Proto = 'tcp'; Mode = 'echo'; Conns = 1; Size = 64; Servers = @('thread-echo', 'iterative-echo') }
        @{ Name = 'tcp echo 16x64'; Proto = 'tcp'; Mode = 'echo'; Conns = 16; Size = 64; Servers = @('thread-echo', 'process-echo16', 'process-echo', 'thread-scriptblock') + $inlineTcp + (Get-ReferencesFor 'tcp echo 16x64') }
        @{ Name = 'tcp echo 256x64'; Proto = 'tcp'; Mode = 'echo'; Conns = 256; Size = 64; Servers = @('thread-echo') + $inlineTcp }
        @{ Name = 'tcp echo 1x16384'; Proto = 'tcp'; Mode = 'echo'; Conns = 1; Size = 16384; Servers = @('thread-echo') }
        @{ Name = 'tcp echo 16x16384'; Proto = 'tcp'; Mode = 'echo'; Conns = 16; Size = 16384; Servers = @('thread-echo') }
        @{ Name = 'tcp echo 256x16384'; Proto = 'tcp'; Mode = 'echo'; Conns = 256; Size = 16384; Servers = @('thread-echo') }
        @{ Name = 'tcp connect 16x64'; Proto = 'tcp'; Mode = 'connect'; Conns = 16; Size = 64; Servers = @('thread-echo', 'process-echo') + (Get-ReferencesFor 'tcp connect 16x64') }
        @{ Name = 'udp echo 1x64'; Proto = 'udp'; Mode = 'echo'; Conns = 1; Size = 64; Servers = @('udp-echo') }
        @{ Name = 'udp echo 16x64'; Proto = 'udp'; Mode = 'echo'; Conns = 16; Size = 64; Servers = @('udp-echo') + $inlineUdp + (Get-ReferencesFor 'udp echo 16x64') }
    )

    # Unmeasured: every server's hot path is jitted and tiered up before round 1, in each of the
    # Process servers' workers too. Each worker is a pwsh that compiles the loop for itself, so a
    # fresh pool of 16 served below its warm rate for 4-8 s of load (NOTES.md): they get 10 s.
    foreach ($name in @($servers.Keys | Where-Object { $_ -ne 'c' -and $_ -notlike 'ref *' })) {
        $seconds = if ($name -like 'process-*') { 10 } else { 3 }
        Write-Step "warm-up: $name ($seconds s)"
        $null = Invoke-EchoLoad $servers[$name].Port $servers[$name].Proto 'echo' 16 64 $servers[$name].Pgid -Duration $seconds -WarmupSeconds 0
    }

    # measurements[case][server] = list of per-round results
    $measurements = @{}
    for ($round = 0; $round -lt $Rounds; $round++) {
        foreach ($case in $cases) {
            $names = @('c') + $case.Servers
            $shift = ($round + [array]::IndexOf($cases, $case)) % $names.Count
            $order = @($names[$shift..($names.Count - 1)]) + @(if ($shift -gt 0) { $names[0..($shift - 1)] })
            Write-Step ("round {0}/{1}: {2}: {3}" -f ($round + 1), $Rounds, $case.Name, ($order -join ', '))
            foreach ($name in $order) {
                $server = $servers[$name]
                $r = Invoke-EchoLoad $server.Port $case.Proto $case.Mode $case.Conns $case.Size $server.Pgid
                if (-not $measurements.ContainsKey($case.Name)) { $measurements[$case.Name] = @{} }
                if (-not $measurements[$case.Name].ContainsKey($name)) { $measurements[$case.Name][$name] = [Collections.Generic.List[object]]::new() }
                $measurements[$case.Name][$name].Add($r)
            }
        }
    }

    Write-Step 'Measure-TcpServer against echoload (C server, 16 x 64 B)'
    Import-Module $ModuleManifest
    $loadRatios = [Collections.Generic.List[object]]::new()
    foreach ($round in 1..3) {
        $pair = @{}
        $steps = @('echoload', 'cmdlet')
        if ($round % 2 -eq 0) { [array]::Reverse($steps) }
        foreach ($step in $steps) {
            if ($step -eq 'echoload') { $pair.EchoLoad = (Invoke-EchoLoad $cPort tcp echo 16 64 $c.Pgid -WarmupSeconds 0).rps }
            else { $pair.Cmdlet = (Measure-TcpServer $cPort -Connections 16 -MessageSize 64 -Duration $Seconds -ProgressAction SilentlyContinue).RequestsPerSecond }
        }
        $loadRatios.Add([pscustomobject]@{ EchoLoad = $pair.EchoLoad; Cmdlet = $pair.Cmdlet; Ratio = $pair.Cmdlet / [math]::Max(1, $pair.EchoLoad) })
    }
}
finally {
    foreach ($group in $groups) {
        if ($group.PSObject.Properties['StopFile']) { Stop-PSNetLabServers $group } else { Stop-Group $group }
    }
}

Write-Step "Memory per idle connection at $IdleConnections connections (Thread mode)"
$memoryGroup = Start-Group 'memory' (@(Get-ChildPwsh) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Measure-IdleConnectionMemory.ps1'), '-ModuleManifest', $ModuleManifest, '-Count', $IdleConnections)) -FileLimit ($IdleConnections + 1000)
if (-not $memoryGroup.Process.WaitForExit(180000)) { Stop-Group $memoryGroup; throw 'The idle-connection memory measurement did not finish within 180 s.' }
$memoryJson = Get-Content $memoryGroup.Log | Where-Object { $_ -like '{*' } | Select-Object -Last 1
if (-not $memoryJson) { throw "The idle-connection memory measurement failed: $(Get-Content -Raw $memoryGroup.Log)" }
$memory = $memoryJson | ConvertFrom-Json

$socketTableResults = Join-Path $PSScriptRoot 'socket-table/results.md'
if ($RunSocketTable) {
    Write-Step 'Get-SocketTable benchmark'
    & (Get-ChildPwsh)[0] @((Get-ChildPwsh) | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'socket-table/Invoke-SocketTableBenchmark.ps1') -ModuleManifest $ModuleManifest | Out-Host
}
Remove-Item -Recurse -Force -ErrorAction Ignore $Work

#region Report
function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    if ($sorted.Count -eq 0) { return 0.0 }
    if ($sorted.Count % 2) { return $sorted[[int][math]::Floor($sorted.Count / 2)] }
    return ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2
}

function Format-Ratio([double[]] $Ratios) {
    $median = Get-Median $Ratios
    if ($Ratios.Count -lt 2) { return '{0:0.00}' -f $median }
    return '{0:0.00} [{1:0.00}-{2:0.00}]' -f $median, ($Ratios | Measure-Object -Minimum).Minimum, ($Ratios | Measure-Object -Maximum).Maximum
}

$rows = foreach ($case in $cases) {
    $cRuns = $measurements[$case.Name]['c']
    foreach ($name in $case.Servers) {
        $runs = $measurements[$case.Name][$name]
        $ratios = [double[]]@(for ($i = 0; $i -lt $runs.Count; $i++) { $runs[$i].rps / [math]::Max(1, $cRuns[$i].rps) })
        $errors = ($runs | ForEach-Object { $_.errors } | Measure-Object -Sum).Sum
        $target = $Targets["$($case.Name)|$name"]
        $met = if (-not $target) { '' }
        elseif ((Get-Median $ratios) -ge $target.Min -and (-not $target.ContainsKey('NoErrors') -or $errors -eq 0)) { 'met' }
        else { '**not met**' }
        [pscustomobject]@{
            Case = $case.Name; Server = $name
            Rps = Get-Median ([double[]]@($runs | ForEach-Object { $_.rps })); P99 = Get-Median ([double[]]@($runs | ForEach-Object { $_.p99_us }))
            Cpu = Get-Median ([double[]]@($runs | ForEach-Object { $_.server_cpu_pct }))
            CRps = Get-Median ([double[]]@($cRuns | ForEach-Object { $_.rps })); CP99 = Get-Median ([double[]]@($cRuns | ForEach-Object { $_.p99_us }))
            CCpu = Get-Median ([double[]]@($cRuns | ForEach-Object { $_.server_cpu_pct }))
            Ratio = Format-Ratio $ratios; RatioMedian = Get-Median $ratios; Errors = $errors
            Target = if ($target) { $target.Text } else { '' }; Met = $met
        }
    }
}

# Each PSNetLab server with a target against the reference servers measured in the same case.
$referenceLines = foreach ($case in $cases) {
    $refRows = @($rows | Where-Object { $_.Case -eq $case.Name -and $_.Server -like 'ref *' } | Sort-Object RatioMedian -Descending)
    if ($refRows.Count -eq 0) { continue }
    foreach ($row in @($rows | Where-Object { $_.Case -eq $case.Name -and $_.Target })) {
        $ahead = @($refRows | Where-Object RatioMedian -lt $row.RatioMedian)
        $behind = @($refRows | Where-Object RatioMedian -ge $row.RatioMedian)
        $list = { param($set) ($set | ForEach-Object { '{0} {1:0.00}' -f ($_.Server -replace '^ref ', ''), $_.RatioMedian }) -join ', ' }
        $verdict = if ($behind.Count -eq 0) { "ahead of all $($refRows.Count) reference servers ($(& $list $ahead))" }
        elseif ($ahead.Count -eq 0) { "behind all reference servers ($(& $list $behind))" }
        else { "ahead of $(& $list $ahead); behind $(& $list $behind)" }
        '- {0}, {1} {2:0.00}: {3}.' -f $case.Name, $row.Server, $row.RatioMedian, $verdict
    }
}
if (-not $referenceLines) { $referenceLines = @('- Not measured in this run (-SkipReferences).') }

$loadRatio = Get-Median ([double[]]@($loadRatios | ForEach-Object Ratio))
$cpu = (Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^.*:\s*', ''
$load = (Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3
$lines = @(
    '# PSNetLab benchmark results'
    ''
    "Measured $(Get-Date -AsUTC -Format 'yyyy-MM-dd HH:mm') UTC on $([Environment]::ProcessorCount) x $cpu, PowerShell $($PSVersionTable.PSVersion), .NET $([Environment]::Version); load average at the end $($load -join ' ') (other tenants share these 2 cores)."
    "Written by ``build.ps1 -Task Bench`` (bench/Invoke-Benchmarks.ps1) in $([math]::Round($clock.Elapsed.TotalMinutes, 1)) minutes. Servers as users get them: defaults and no runtime switches, except -WorkerCount 16 for process-echo16 (see Servers below)."
    ''
    '## Echo servers against the C epoll server, same run'
    ''
    "echoload (the bench kit's load generator, 1 thread) drives each server for $Warmup s warm-up + $Seconds s, after one unmeasured pass per server (16 x 64 B; 3 s, 10 s for Process servers) that compiles its hot path, in every Process worker too; $Rounds round(s), each case measured for every server in turn with the order rotated per round. req/s and p99 are medians over the rounds; ratio = PSNetLab req/s / C req/s in the same round, median [min-max]. TCP cases send lines (``--newline``). CPU = server process group, 100 = one core."
    ''
    '| case | server | req/s | p99 µs | CPU % | C req/s | C p99 µs | C CPU % | ratio to C | errors | target | |'
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|'
    ($rows | ForEach-Object { '| {0} | {1} | {2:N0} | {3:N0} | {4:N0} | {5:N0} | {6:N0} | {7:N0} | {8} | {9} | {10} | {11} |' -f $_.Case, $_.Server, $_.Rps, $_.P99, $_.Cpu, $_.CRps, $_.CP99, $_.CCpu, $_.Ratio, $_.Errors, $_.Target, $_.Met })
    ''
    'Servers: thread-echo = `Start-TcpServer -Concurrency Thread -Handler Echo`; iterative-echo = `-Concurrency Iterative`; process-echo = `-Concurrency Process` (4 workers, the default); process-echo16 = `-Concurrency Process -WorkerCount 16` (a worker per connection of the persistent 16-connection case, as a forking server has a child per client; the default pool serves 4 of them and the rest wait, shown for information); thread-scriptblock = `-Handler { $_.Text }`; udp-echo = `Start-UdpEchoServer`. "+inline" rows: the same server in a pwsh started with `DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1` (socket continuations run on the epoll thread). That is a process-wide .NET switch read once at start-up: a module cannot turn it on inside the user''s pwsh, so it is shown for information and no target is judged on it.'
    ''
    '## Against the reference servers, same run'
    ''
    'The bench kit''s reference servers ("ref" rows above, started as its run-anchors.sh does: the C# async server, Python socketserver threading and forking, asyncio protocol, socat and ncat fork servers; UDP: C# and asyncio) in the cases the targets quote them for. Median ratios to C:'
    ''
    $referenceLines
    ''
    '## Other targets'
    ''
    '| case | result | target | |'
    '|---|---|---|---|'
    ('| Import-Module PSNetLab, first import in a warm pwsh | {0:N1} ms | <= 150 ms | {1} |' -f $import.First, $(if ($import.First -le 150) { 'met' } else { '**not met**' }))
    ('| Import-Module PSNetLab, later imports (median of {0}) | {1:N1} ms | | |' -f ($Repeat - 1), $import.Median)
    ('| Memory per idle TCP connection, Thread mode, {0:N0} connections (RSS above the empty server) | {1:N2} KiB ({2:N0} B managed) | <= 8 KiB | {3} |' -f $memory.Connections, $memory.KiBPerConnection, $memory.ManagedBytesPerConnection, $(if ($memory.Connections -ge $IdleConnections -and $memory.KiBPerConnection -le 8) { 'met' } else { '**not met**' }))
    ('| Measure-TcpServer / echoload, C server, 16 x 64 B (median of 3 alternating pairs) | {0:0.00} ({1}) | >= 0.70 | {2} |' -f $loadRatio, (($loadRatios | ForEach-Object { '{0:N0} / {1:N0}' -f $_.Cmdlet, $_.EchoLoad }) -join '; '), $(if ($loadRatio -ge 0.7) { 'met' } else { '**not met**' }))
    ''
    "Memory: VmRSS of the server's pwsh before and after $($memory.Connections) idle connections from tests/Pester/tcp_peer.py (another process), each read after a full GC: $($memory.RssBeforeKiB) KiB -> $($memory.RssAfterKiB) KiB. Measure-TcpServer ran without warm-up (echoload too, for the comparison) and includes its connects."
    ''
    '## Get-SocketTable'
    ''
    "From [socket-table/results.md](socket-table/results.md)$(if ($RunSocketTable) { ', re-run in this benchmark' } else { ' (run `bench/socket-table/Invoke-SocketTableBenchmark.ps1`, or this script with -RunSocketTable, to refresh it)' }):"
    ''
    (Get-Content $socketTableResults | Select-Object -Skip 2)
    ''
    '## Noise'
    ''
    'The same case moved by up to 40 % between runs minutes apart on this VM with no cause visible inside it (../shared/bench/anchors-notes.md); differences under ~25 % within one run are not significant. Ratios come from servers measured side by side in the same minute, which is why they, not the absolute req/s, are compared with the targets. See bench/NOTES.md for what was profiled and changed.'
)
$results = Join-Path $PSScriptRoot 'results.md'
$lines | Set-Content -Path $results -Encoding utf8
$lines | Write-Output
#endregion
