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
