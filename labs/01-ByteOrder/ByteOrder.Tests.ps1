# Lab 1: byte order. Checks the student's htons/htonl/inet_addr/inet_ntoa against PSNetLab's.
param([string] $Solution)

BeforeAll {
    . (Join-Path $PSScriptRoot '../LabSetup.ps1')
    . (Resolve-LabSolution $PSScriptRoot $Solution)
}

Describe 'Lab 1: byte order' {
    It 'knows the byte order of this host' {
        $expected = if ([BitConverter]::IsLittleEndian) { 'LittleEndian' } else { 'BigEndian' }
        Get-HostByteOrder | Should -Be $expected
    }

    It 'htons(<_>) matches ConvertTo-NetworkOrder -Width 16' -ForEach 0x1234, 0x0001, 0x1F90, 0xFFFF, 0 {
        $result = htons $_
        $result | Should -BeOfType [uint16]
        $result | Should -Be (ConvertTo-NetworkOrder $_ -Width 16).NetworkValue
    }

    It 'htonl(<_>) matches ConvertTo-NetworkOrder, the seeds'' 0x12345 first' -ForEach @(0x12345, 0x01020304, [uint32]::MaxValue, [uint32]2147483648, 1) {
        $result = htonl $_
        $result | Should -BeOfType [uint32]
        $result | Should -Be (ConvertTo-NetworkOrder $_).NetworkValue
    }

    It 'ntohs and ntohl undo htons and htonl' {
        ntohs (htons 0x1F90) | Should -Be 0x1F90
        ntohl (htonl 0x12345) | Should -Be 0x12345
    }

    It 'inet_addr(<_>) gives the integer whose bytes are the address in network order' -ForEach '192.168.1.1', '10.0.0.1', '127.0.0.1', '255.255.255.0' {
        $expected = ConvertTo-NetworkOrder -IPAddress $_
        $result = inet_addr $_
        $result | Should -BeOfType [uint32]
        $result | Should -Be $expected.NetworkValue
        [BitConverter]::GetBytes($result) | Should -Be $expected.NetworkBytes
    }

    It 'inet_ntoa turns inet_addr''s integer back into text' -ForEach '192.168.1.1', '10.0.0.1', '0.0.0.0' {
        inet_ntoa (inet_addr $_) | Should -Be $_
        inet_ntoa (ConvertTo-NetworkOrder -IPAddress $_).NetworkValue | Should -Be $_
    }
}
