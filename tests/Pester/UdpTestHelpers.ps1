# Dot-sourced by the UDP test files after TestSetup.ps1: small helpers for real-socket tests.
# Every wait is bounded and polls a condition instead of sleeping a fixed time.

function Wait-Until([scriptblock] $Condition, [double] $TimeoutSeconds = 5, [string] $Because = 'the condition') {
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        if (& $Condition) { return }
        Start-Sleep -Milliseconds 20
    }
    throw "Timed out after $TimeoutSeconds s waiting for $Because."
}

function Test-UdpPortFree([int] $Port, [string] $Address = '127.0.0.1') {
    try {
        $probe = [Net.Sockets.UdpClient]::new([Net.IPEndPoint]::new([ipaddress]$Address, $Port))
        $probe.Dispose()
        return $true
    }
    catch { return $false }
}

function Get-FreeUdpPort {
    # For peers that cannot report the port they bound (socat, Receive-UdpMessage): a tiny race, retried by callers.
    $probe = [Net.Sockets.UdpClient]::new([Net.IPEndPoint]::new([ipaddress]::Loopback, 0))
    try { return $probe.Client.LocalEndPoint.Port } finally { $probe.Dispose() }
}

function Get-ChildPwshCommand {
    # Under `dotnet pwsh` the process is dotnet itself; a child needs `dotnet <PSHOME>/pwsh.dll`.
    $self = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') { return @($self, (Join-Path $PSHOME 'pwsh.dll')) }
    return @($self)
}

function Invoke-ChildPwsh([string] $Script, [double] $TimeoutSeconds = 60) {
    $command = @(Get-ChildPwshCommand)
    $file = Join-Path ([IO.Path]::GetTempPath()) "psnetlab-child-$([guid]::NewGuid()).ps1"
    Set-Content -Path $file -Value $Script -Encoding utf8
    try {
        $info = [Diagnostics.ProcessStartInfo]::new($command[0])
        foreach ($arg in @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file)) { $info.ArgumentList.Add($arg) }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.Environment['PSNETLAB_MODULE'] = Join-Path (Get-Module PSNetLab).ModuleBase 'PSNetLab.psd1'
        $process = [Diagnostics.Process]::Start($info)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit([int]($TimeoutSeconds * 1000))) { $process.Kill($true); throw "The child pwsh did not finish within $TimeoutSeconds s." }
        return [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result.Trim(); Error = $stderr.Result.Trim() }
    }
    finally { Remove-Item $file -ErrorAction Ignore }
}

function Start-Peer([string] $FileName, [string[]] $Arguments) {
    # A background peer process whose output can be read; the caller stops it with Stop-Peer.
    $info = [Diagnostics.ProcessStartInfo]::new($FileName)
    foreach ($arg in $Arguments) { $info.ArgumentList.Add($arg) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.RedirectStandardInput = $true
    return [Diagnostics.Process]::Start($info)
}

function Stop-Peer($Process) {
    if ($null -ne $Process) {
        if (-not $Process.HasExited) { $Process.Kill($true); $null = $Process.WaitForExit(5000) }
        $Process.Dispose()
    }
}

function Invoke-PythonUdp([int] $Port, [string] $Text, [string] $Address = '127.0.0.1') {
    # The seeds' Python client: sendto, then recvfrom the reply.
    $family = if ($Address.Contains(':')) { 'AF_INET6' } else { 'AF_INET' }
    $code = "import socket,sys; s=socket.socket(socket.$family,socket.SOCK_DGRAM); s.settimeout(3); s.sendto(sys.argv[3].encode('utf-8'),(sys.argv[1],int(sys.argv[2]))); print(s.recvfrom(65535)[0].decode('utf-8'))"
    $out = & python3 -c $code $Address $Port $Text
    if ($LASTEXITCODE -ne 0) { throw "python3 client failed with exit code $LASTEXITCODE" }
    return ($out -join "`n")
}
