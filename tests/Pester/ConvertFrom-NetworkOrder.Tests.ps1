BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    $littleEndian = [BitConverter]::IsLittleEndian
}

Describe 'ConvertFrom-NetworkOrder' {
    It 'is ntohl for a network-order integer' {
        # On a big-endian host network order is host order and ntohl changes nothing.
        $r = ConvertFrom-NetworkOrder 0x45230100
        $r.Value | Should -Be $(if ($littleEndian) { 0x12345 } else { 0x45230100 })
    }

    It 'is ntohs with -Width 16' {
        (ConvertFrom-NetworkOrder 0x901F -Width 16).Value | Should -Be $(if ($littleEndian) { 8080 } else { 0x901F })
    }

    It 'reads hex text as network bytes in <Text>' -TestCases @(
        @{ Text = '00 01 23 45' }, @{ Text = '00-01-23-45' }, @{ Text = '0x00012345' }
    ) {
        (ConvertFrom-NetworkOrder -Bytes $Text).Value | Should -Be 0x12345
    }

    It 'reads a byte array' {
        (ConvertFrom-NetworkOrder -Bytes ([byte[]](0x12, 0x34))).Value | Should -Be 0x1234
        (ConvertFrom-NetworkOrder -Bytes @(0, 0, 0, 1, 0, 0, 0, 0)).Value | Should -Be 0x100000000
    }

    It 'round-trips ConvertTo-NetworkOrder in a pipeline' {
        $values = 0, 1, 0x1234, 0x12345, 0xFFFFFFFF, 0x0102030405060708
        ($values | ConvertTo-NetworkOrder | ConvertFrom-NetworkOrder).Value | Should -Be ($values | ConvertTo-NetworkOrder).Value
    }

    It 'binds NetworkBytes by property name' {
        $r = [pscustomobject]@{ NetworkBytes = [byte[]](0, 1, 0x23, 0x45) } | ConvertFrom-NetworkOrder
        $r.Value | Should -Be 0x12345
    }

    It 'is inet_ntoa with -AsIPAddress' {
        ConvertFrom-NetworkOrder -Bytes 'c0 a8 01 01' -AsIPAddress | Should -Be ([ipaddress]'192.168.1.1')
        if ($littleEndian) { ConvertFrom-NetworkOrder 16885952 -AsIPAddress | Should -Be ([ipaddress]'192.168.1.1') }
        $v6 = ConvertFrom-NetworkOrder -Bytes ((ConvertTo-NetworkOrder -IPAddress '::1').NetworkBytes) -AsIPAddress
        $v6 | Should -Be ([ipaddress]::IPv6Loopback)
    }

    Context 'errors' {
        It 'rejects malformed hex' {
            { ConvertFrom-NetworkOrder -Bytes 'zz 01' -ErrorAction Stop } |
                Should -Throw -ErrorId 'NetworkOrderHexInvalid,PSNetLab.Commands.ConvertFromNetworkOrderCommand'
        }

        It 'rejects numbers that are not bytes' {
            { ConvertFrom-NetworkOrder -Bytes @(1, 300) -ErrorAction Stop } |
                Should -Throw -ErrorId 'NetworkOrderHexInvalid,PSNetLab.Commands.ConvertFromNetworkOrderCommand'
        }

        It 'rejects three bytes, which no ntoh function reads' {
            { ConvertFrom-NetworkOrder -Bytes '01 02 03' -ErrorAction Stop } |
                Should -Throw -ErrorId 'NetworkOrderWidthInvalid,PSNetLab.Commands.ConvertFromNetworkOrderCommand'
        }

        It 'rejects an address that is not 4 or 16 bytes' {
            { ConvertFrom-NetworkOrder -Bytes '01 02' -AsIPAddress -ErrorAction Stop } |
                Should -Throw -ErrorId 'NetworkOrderByteCountInvalid,PSNetLab.Commands.ConvertFromNetworkOrderCommand'
        }

        It 'rejects a value too large for -Width' {
            { ConvertFrom-NetworkOrder 0x10000 -Width 16 -ErrorAction Stop } |
                Should -Throw -ErrorId 'NetworkOrderValueTooLarge,PSNetLab.Commands.ConvertFromNetworkOrderCommand'
        }

        It 'rejects a value that is not an integer' {
            { ConvertFrom-NetworkOrder 'x' -ErrorAction Stop } |
                Should -Throw -ErrorId 'NetworkOrderValueInvalid,PSNetLab.Commands.ConvertFromNetworkOrderCommand'
        }
    }
}
