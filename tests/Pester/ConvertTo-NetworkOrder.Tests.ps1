BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    $littleEndian = [BitConverter]::IsLittleEndian
}

Describe 'ConvertTo-NetworkOrder' {
    It 'shows the tutorial example 0x12345 as htonl does' {
        $r = ConvertTo-NetworkOrder 0x12345
        $r.Value | Should -Be 0x12345
        $r.Width | Should -Be 32
        $r.NetworkHex | Should -Be '00 01 23 45'
        $r.IsLittleEndianHost | Should -Be $littleEndian
        if ($littleEndian) {
            $r.HostHex | Should -Be '45 23 01 00'
            $r.NetworkValue | Should -Be 0x45230100
        }
        ,$r.NetworkBytes | Should -BeOfType [byte[]]
    }

    It 'reads the default view naturally' {
        $text = ConvertTo-NetworkOrder 0x12345 | Out-String -Width 120
        $text | Should -Match 'Value\s+Width\s+HostBytes\s+NetworkBytes\s+NetworkValue'
        $text | Should -Match '0x00012345\s+32\s+45 23 01 00\s+00 01 23 45\s+0x45230100'
    }

    It 'reads well inside a string' {
        "$(ConvertTo-NetworkOrder 0x12345)" | Should -Be '0x00012345 (32-bit): host bytes 45 23 01 00 -> network bytes 00 01 23 45'
    }

    It 'accepts 0xFFFFFFFF, which PowerShell parses as the Int32 -1' {
        $r = ConvertTo-NetworkOrder 0xFFFFFFFF
        $r.Value | Should -Be ([uint32]::MaxValue)
        $r.Width | Should -Be 32
        $r.NetworkHex | Should -Be 'FF FF FF FF'
    }

    It 'uses <Width> bits for <Value>' -TestCases @(
        @{ Value = 0x1234; Width = 16; Expected = '12 34' }
        @{ Value = 0x1234; Width = 32; Expected = '00 00 12 34' }
        @{ Value = 0x1234; Width = 64; Expected = '00 00 00 00 00 00 12 34' }
        @{ Value = [uint64]::MaxValue; Width = 64; Expected = 'FF FF FF FF FF FF FF FF' }
    ) {
        (ConvertTo-NetworkOrder $Value -Width $Width).NetworkHex | Should -Be $Expected
    }

    It 'chooses 64 bits for values beyond 32 bits' {
        (ConvertTo-NetworkOrder 0x0102030405060708).Width | Should -Be 64
        (ConvertTo-NetworkOrder 0x100000000).NetworkHex | Should -Be '00 00 00 01 00 00 00 00'
    }

    It 'takes integers and integer text from the pipeline' {
        $r = 0x1234, '0x12345', '74565', [byte]7 | ConvertTo-NetworkOrder
        $r.Count | Should -Be 4
        $r.Value | Should -Be @(0x1234, 0x12345, 0x12345, 7)
    }

    It 'converts an IPv4 address like inet_addr' {
        $r = ConvertTo-NetworkOrder -IPAddress 192.168.1.1
        $r.Value | Should -Be 3232235777
        $r.NetworkHex | Should -Be 'C0 A8 01 01'
        $r.IPAddress | Should -Be ([ipaddress]'192.168.1.1')
        if ($littleEndian) { $r.NetworkValue | Should -Be ([ipaddress]'192.168.1.1').Address }
    }

    It 'gives the 16 bytes of an IPv6 address' {
        $r = ConvertTo-NetworkOrder -IPAddress '::1'
        $r.Width | Should -Be 128
        $r.NetworkBytes.Count | Should -Be 16
        $r.NetworkBytes[15] | Should -Be 1
        $r.Value | Should -BeNullOrEmpty
    }

    It 'recognises addresses in the pipeline: text, IPAddress objects and objects with an IPAddress property' {
        $r = '10.0.0.1', [ipaddress]'10.0.0.2', [pscustomobject]@{ IPAddress = '10.0.0.3' }, [pscustomobject]@{ Address = '::1' } | ConvertTo-NetworkOrder
        $r.IPAddress | Should -Be @([ipaddress]'10.0.0.1', [ipaddress]'10.0.0.2', [ipaddress]'10.0.0.3', [ipaddress]'::1')
        $r[0].NetworkHex | Should -Be '0A 00 00 01'
    }

    Context 'errors' {
        It 'rejects a value too large for -Width' {
            { ConvertTo-NetworkOrder 0x12345 -Width 16 -ErrorAction Stop } |
                Should -Throw -ErrorId 'NetworkOrderValueTooLarge,PSNetLab.Commands.ConvertToNetworkOrderCommand'
        }

        It 'rejects something that is not an integer' {
            { ConvertTo-NetworkOrder 'hello' -ErrorAction Stop } |
                Should -Throw -ErrorId 'NetworkOrderValueInvalid,PSNetLab.Commands.ConvertToNetworkOrderCommand'
        }

        It 'rejects an invalid IP address' {
            { ConvertTo-NetworkOrder -IPAddress 300.1.1.1 -ErrorAction Stop } |
                Should -Throw -ErrorId 'IPAddressInvalid,PSNetLab.Commands.ConvertToNetworkOrderCommand'
        }

        It 'rejects a width that has no byte order function' {
            { ConvertTo-NetworkOrder 1 -Width 24 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,PSNetLab.Commands.ConvertToNetworkOrderCommand'
        }

        It 'reports one bad item and carries on with the rest' {
            $r = 1, 'bad', 2 | ConvertTo-NetworkOrder -ErrorVariable errs -ErrorAction SilentlyContinue
            $r.Value | Should -Be @(1, 2)
            $errs.Count | Should -Be 1
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        }
    }
}
