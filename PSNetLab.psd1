@{
    # The one source of the module version: build.ps1 reads it and stamps the assembly with it.
    ModuleVersion        = '0.1.0'
    RootModule           = 'PSNetLab.dll'
    GUID                 = 'df666219-0620-4635-8e31-dffa9b2a1623'
    Author               = 'PSNetLab contributors'
    CompanyName          = 'PSNetLab'
    Copyright            = '(c) PSNetLab contributors. MIT licence.'
    Description          = 'Socket programming labs and network inspection as PowerShell cmdlets: byte order, UDP and TCP servers and clients, the socket table (netstat/ss), for teaching and for admins.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('PSNetLab.format.ps1xml')
    # The Pester part: Should -BeListening, -HaveSocketState, -ReplyWith and the lab fixture.
    NestedModules        = @('PSNetLab.Pester.psm1')
    CmdletsToExport      = @(
        'Start-NetLabFixture'
        'Stop-NetLabFixture'
        'ConvertFrom-NetworkOrder'
        'ConvertTo-NetworkOrder'
        'Get-SocketTable'
        'Get-WellKnownPort'
        'Start-UdpServer'
        'Start-UdpEchoServer'
        'Get-NetLabServer'
        'Stop-NetLabServer'
        'Suspend-NetLabServer'
        'Resume-NetLabServer'
        'Send-UdpMessage'
        'Receive-UdpMessage'
        'Connect-UdpChat'
        'Measure-TcpServer'
        'Measure-UdpServer'
        'Start-TcpServer'
        'Connect-TcpChat'
    )
    FunctionsToExport    = @('Register-NetLabShouldOperator')
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Network', 'Socket', 'TCP', 'UDP', 'netstat', 'netcat', 'Education', 'Lab', 'Pester', 'Linux', 'macOS', 'Windows', 'PSEdition_Core', 'PSEdition_Desktop')
            LicenseUri   = 'https://example.invalid/PSNetLab/LICENSE'
            ProjectUri   = 'https://example.invalid/PSNetLab'
            ReleaseNotes = @'
0.1.0
- ConvertTo-NetworkOrder / ConvertFrom-NetworkOrder: htons, htonl, htonll, ntoh*, inet_addr, inet_ntoa.
- Get-WellKnownPort: the services database with the seeds' port table built in.
'@
        }
    }
}
