BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    $module = Get-Module PSNetLab
    $manifestPath = Join-Path $module.ModuleBase 'PSNetLab.psd1'
    $manifestData = Import-PowerShellDataFile $manifestPath
    $docsPath = Join-Path $PSScriptRoot '../../docs'
}

Describe 'The PSNetLab module' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $manifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'has its version only in the manifest, stamped on the assembly' {
        $assembly = [PSNetLab.Commands.NetLabCmdlet].Assembly
        $assembly.GetName().Version.ToString(3) | Should -Be $manifestData.ModuleVersion
    }

    It 'exports exactly the commands the manifest lists, and each has a doc page' {
        $exported = @(@($module.ExportedCmdlets.Keys) + @($module.ExportedFunctions.Keys) | Sort-Object)
        $listed = @(@($manifestData.CmdletsToExport) + @($manifestData.FunctionsToExport) | Sort-Object)
        $documented = @(Get-ChildItem $docsPath -Filter *.md | Where-Object BaseName -NotLike 'about_*' | ForEach-Object BaseName | Sort-Object)
        $exported | Should -Be $listed
        $documented | Should -Be $listed
    }

    It 'is a Gallery-ready manifest for both editions' {
        $manifestData.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifestData.FormatsToProcess | Should -Contain 'PSNetLab.format.ps1xml'
        foreach ($key in 'Tags', 'LicenseUri', 'ProjectUri', 'ReleaseNotes') {
            $manifestData.PrivateData.PSData[$key] | Should -Not -BeNullOrEmpty -Because "PSData needs $key"
        }
        # One script function: the Pester part, which must register before the dll's cmdlets exist.
        $manifestData.FunctionsToExport | Should -Be 'Register-NetLabShouldOperator'
    }

    It 'builds one netstandard2.0 assembly, which Windows PowerShell 5.1 can load too' {
        $framework = [PSNetLab.Commands.NetLabCmdlet].Assembly.GetCustomAttributes([Runtime.Versioning.TargetFrameworkAttribute], $false)
        $framework.FrameworkName | Should -Be '.NETStandard,Version=v2.0'
        Get-ChildItem $module.ModuleBase -Filter 'System.Management.Automation*.dll' | Should -BeNullOrEmpty
    }

    It 'declares an output type on every cmdlet, and every PSNetLab output type has a named view' {
        $formatXml = [xml](Get-Content -Raw (Join-Path $module.ModuleBase 'PSNetLab.format.ps1xml'))
        $views = @($formatXml.Configuration.ViewDefinitions.View)
        foreach ($command in Get-Command -Module PSNetLab) {
            $command.OutputType | Should -Not -BeNullOrEmpty -Because "$($command.Name) needs [OutputType]"
            foreach ($type in $command.OutputType.Type | Where-Object Namespace -Like 'PSNetLab*') {
                $view = $views | Where-Object { $_.ViewSelectedBy.TypeName -eq $type.FullName }
                $view | Should -Not -BeNullOrEmpty -Because "$($type.FullName) needs a view"
                $view.Name | Should -Be "PSNetLab-$($type.Name)"
            }
        }
    }

    It 'imports and removes cleanly in a fresh session' {
        $pwsh = [Environment]::ProcessPath
        [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' } else { @() }
        $script = "Import-Module '$manifestPath' -ErrorAction Stop; (Get-Command -Module PSNetLab).Count; Remove-Module PSNetLab -ErrorAction Stop; 'removed'"
        $output = & $pwsh @prefix -NoProfile -NonInteractive -Command $script
        $LASTEXITCODE | Should -Be 0
        [int]$output[0] | Should -Be ($manifestData.CmdletsToExport.Count + $manifestData.FunctionsToExport.Count)
        $output[-1] | Should -Be 'removed'
    }
}
