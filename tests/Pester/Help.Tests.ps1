BeforeDiscovery {
    $manifest = if ($env:PSNETLAB_MODULE) { $env:PSNETLAB_MODULE } else { Join-Path $PSScriptRoot '../../out/PSNetLab/PSNetLab.psd1' }
    $manifestData = Import-PowerShellDataFile $manifest
    $cmdletNames = @($manifestData.CmdletsToExport) + @($manifestData.FunctionsToExport)
}

BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    $docsPath = Join-Path $PSScriptRoot '../../docs'

    function Get-DocSection([string] $Markdown, [string] $Heading) {
        # The text under '## Heading' up to the next '## '.
        # Single quotes around the pattern: in double quotes "$(.*?)" is a subexpression, not a group.
        if ($Markdown -match ('(?ms)^## ' + $Heading + '\s*$(.*?)(?=^## |\z)')) { return $Matches[1] }
        return ''
    }
}

Describe 'Help for <_>' -ForEach $cmdletNames {
    BeforeAll {
        $name = $_
        $markdownPath = Join-Path $docsPath "$name.md"
        $markdown = if (Test-Path $markdownPath) { Get-Content -Raw $markdownPath } else { '' }
        $help = Get-Help $name -Full
    }

    It 'has a doc page in the PlatyPS schema' {
        $markdownPath | Should -Exist
        $markdown | Should -Match '(?m)^schema: 2\.0\.0'
        $markdown | Should -Match "(?m)^# $name\s*$"
        (Get-DocSection $markdown 'SYNOPSIS').Trim() | Should -Not -BeNullOrEmpty
        (Get-DocSection $markdown 'DESCRIPTION').Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least three examples' {
        ([regex]::Matches((Get-DocSection $markdown 'EXAMPLES'), '(?m)^### ')).Count | Should -BeGreaterOrEqual 3
    }

    It 'documents every parameter, and nothing that is not one' {
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        $actual = @((Get-Command $name).Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object)
        $documented = @([regex]::Matches((Get-DocSection $markdown 'PARAMETERS'), '(?m)^### -(\w+)') | ForEach-Object { $_.Groups[1].Value } | Sort-Object)
        $documented | Should -Be $actual
    }

    It 'is what Get-Help shows from the staged module' {
        $help.Synopsis | Should -Be ((Get-DocSection $markdown 'SYNOPSIS').Trim())
        $help.description.Text | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -Be ([regex]::Matches((Get-DocSection $markdown 'EXAMPLES'), '(?m)^### ')).Count
        foreach ($parameter in $help.parameters.parameter) {
            $parameter.description.Text | Should -Not -BeNullOrEmpty -Because "-$($parameter.name) needs a description"
        }
    }
}

Describe 'Get-Help' {
    It 'shows full help with examples for every command, in a fresh session of the staged module' {
        $manifestPath = Join-Path (Get-Module PSNetLab).ModuleBase 'PSNetLab.psd1'
        $pwsh = [Environment]::ProcessPath
        [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' } else { @() }
        $script = "Import-Module '$manifestPath' -ErrorAction Stop; Get-Command -Module PSNetLab | ForEach-Object { `$h = Get-Help `$_.Name -Full; '{0}={1}={2}' -f `$_.Name, @(`$h.examples.example).Count, [bool]`$h.description }"
        $output = & $pwsh @prefix -NoProfile -NonInteractive -Command $script
        $LASTEXITCODE | Should -Be 0
        $rows = @($output | ForEach-Object { $name, $examples, $described = $_ -split '='; [pscustomobject]@{ Name = $name; Examples = [int]$examples; Described = $described } })
        $manifestData = Import-PowerShellDataFile $manifestPath
        $rows.Name | Sort-Object | Should -Be @(@($manifestData.CmdletsToExport) + @($manifestData.FunctionsToExport) | Sort-Object)
        foreach ($row in $rows) {
            $row.Examples | Should -BeGreaterOrEqual 3 -Because "$($row.Name) needs its examples in the help"
            $row.Described | Should -Be 'True' -Because "$($row.Name) needs a description"
        }
    }

    It 'shows the examples from the markdown for ConvertTo-NetworkOrder' {
        $examples = Get-Help ConvertTo-NetworkOrder -Examples | Out-String -Width 200
        $examples | Should -Match 'ConvertTo-NetworkOrder 0x12345'
        $examples | Should -Match 'The tutorial''s 0x12345'
        $examples | Should -Match 'htonl returns 0x45230100'
    }

    It 'has the about_PSNetLab topic' {
        $about = Get-Help about_PSNetLab | Out-String
        $about | Should -Match 'BYTE ORDER'
        $about | Should -Match 'CONVENTIONS'
    }
}
