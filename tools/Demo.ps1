<#
.SYNOPSIS
    The README's main job: a short narrated lab over PSNetLab's cmdlets, printing real output.
.DESCRIPTION
    Each step says what it shows, runs the cmdlets and prints what they returned. It grows as
    cmdlets are added; every server it starts is stopped before it ends.
#>
param([Parameter(Mandatory)] [string] $ModuleManifest)

$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest -Force

function Show-Step([string] $Title, [string] $Explanation, [scriptblock] $Commands) {
    Write-Host ''
    Write-Host "== $Title ==" -ForegroundColor Cyan
    Write-Host $Explanation
    Write-Host ("PS> " + $Commands.ToString().Trim()) -ForegroundColor Yellow
    & $Commands | Out-Host
}

$module = Get-Module PSNetLab
Write-Host "PSNetLab $($module.Version) on PowerShell $($PSVersionTable.PSVersion), $([Runtime.InteropServices.RuntimeInformation]::OSDescription)"

Show-Step 'Lab 1: byte order' @'
A 32-bit integer is stored least significant byte first on this little-endian host, but the
network sends the most significant byte first. htonl swaps the bytes: the seeds' 0x12345.
'@ { ConvertTo-NetworkOrder 0x12345 }

Show-Step 'htons, htonl and htonll side by side' @'
-Width picks the function; 0xFFFFFFFF is a valid unsigned 32-bit value.
'@ { ConvertTo-NetworkOrder 0x1234 -Width 16; ConvertTo-NetworkOrder 0xFFFFFFFF; ConvertTo-NetworkOrder 0x0102030405060708 }

Show-Step 'inet_addr and inet_ntoa' @'
An IPv4 address is a 32-bit integer sent in network order; inet_ntoa turns the bytes back into text.
'@ { ConvertTo-NetworkOrder -IPAddress 192.168.1.1; ConvertFrom-NetworkOrder -Bytes '00 01 23 45' }

Show-Step 'inet_ntoa' @'
The four network-order bytes c0 a8 01 01 are the address 192.168.1.1.
'@ { "inet_ntoa: $(ConvertFrom-NetworkOrder -Bytes 'c0 a8 01 01' -AsIPAddress)" }

Show-Step 'Well-known ports' @'
Ports 0-1023 are well-known, 1024-49151 registered, 49152-65535 dynamic.
'@ { Get-WellKnownPort ftp*, ssh, telnet, smtp, dns, tftp, http, mysql -Protocol Tcp, Udp }

Show-Step 'Lab 2: a UDP echo server' @'
The seeds' echo server: bind a port, recvfrom a datagram, sendto it back with 'server get!->'.
It runs in the background as a job (port 0: the OS picks a free port); the client never binds,
so the OS picks its port too.
'@ {
    $script:server = Start-UdpEchoServer -Port 0 -Prefix 'server get!->'
    'hello', '你好' | Send-UdpMessage -Port $server.Port
}

Show-Step "The server's events" @'
Receive-Job returns what the server did; events read like the seeds' output, ip:port# message.
'@ { Receive-Job $server }

Show-Step 'Stop it: the port is free at once' @'
Stop-NetLabServer closes the socket; the job keeps its final counters.
'@ { Stop-NetLabServer $server -PassThru }

Show-Step 'Lab 3: the TCP dictionary server' @'
The seeds' English->Chinese server over TCP: listen, accept, read a line, write the translation.
Connect-TcpChat connects, sends each line and returns the reply with its round-trip time.
'@ {
    $script:tcp = Start-TcpServer -Handler Dictionary
    'hello' | Connect-TcpChat -Port $tcp.Port
    Stop-NetLabServer $tcp
}

Write-Host ''
Write-Host 'Demo finished.' -ForegroundColor Green
