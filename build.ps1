#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, documents, tests, demonstrates and benchmarks PSNetLab.
.DESCRIPTION
    Tasks run in a fixed order whatever order they are given in: Clean, Build, Docs, Test, Demo,
    Bench. Build stages an importable module in out/PSNetLab (and includes Docs); Test and Demo
    build first. The module is always used from a child pwsh, so this process never loads
    (and locks) the dll it builds.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Clean, Build -Configuration Debug
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Demo', 'Bench', 'Clean')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

$Root = $PSScriptRoot
$OutRoot = Join-Path $Root 'out'
$ModuleOut = Join-Path $OutRoot 'PSNetLab'
$TestResults = Join-Path $OutRoot 'TestResults'
$ModuleVersion = (Import-PowerShellDataFile (Join-Path $Root 'PSNetLab.psd1')).ModuleVersion
$PesterVersion = '5.7.1'

function Invoke-DotNet {
    # Every dotnet call goes through here so that no failure passes silently.
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

function Get-ChildPwsh {
    # Under `dotnet pwsh` the process is dotnet itself; a child needs `dotnet <PSHOME>/pwsh.dll`.
    $self = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') { return @($self, (Join-Path $PSHOME 'pwsh.dll')) }
    return @($self)
}

function Invoke-ChildPwsh {
    param([string] $File, [string[]] $Arguments = @())
    [string[]] $pwsh = Get-ChildPwsh
    [string[]] $prefix = $pwsh | Select-Object -Skip 1
    # Out-Host: the child's output is shown, not returned, so the caller gets the exit code alone.
    & $pwsh[0] @prefix -NoProfile -NonInteractive -File $File @Arguments | Out-Host
    return $LASTEXITCODE
}

function Invoke-Clean {
    Remove-Item -Recurse -Force -ErrorAction Ignore $OutRoot
    Get-ChildItem -Path $Root -Recurse -Directory -Include bin, obj | Remove-Item -Recurse -Force
}

function Invoke-Build {
    $publish = Join-Path $OutRoot 'publish'
    Invoke-DotNet publish (Join-Path $Root 'src/PSNetLab/PSNetLab.csproj') -c $Configuration -o $publish --nologo -v quiet "-p:Version=$ModuleVersion"
    Remove-Item -Recurse -Force -ErrorAction Ignore $ModuleOut
    $null = New-Item -ItemType Directory -Force $ModuleOut
    # The PowerShell reference assemblies are never shipped: the host provides them.
    Get-ChildItem $publish -Filter *.dll | Where-Object Name -NotLike 'System.Management.Automation*' | Copy-Item -Destination $ModuleOut
    Copy-Item (Join-Path $Root 'PSNetLab.psd1'), (Join-Path $Root 'src/PSNetLab/PSNetLab.format.ps1xml'), (Join-Path $Root 'src/PSNetLab/PSNetLab.Pester.psm1'), (Join-Path $Root 'src/PSNetLab/PSNetLab.ShouldOperators.ps1'), (Join-Path $Root 'src/PSNetLab/Register-NetLabShouldOperator.ps1'), (Join-Path $Root 'LICENSE') $ModuleOut
    Invoke-Docs
    Write-Verbose "Staged PSNetLab $ModuleVersion in $ModuleOut" -Verbose
}

function Invoke-Docs {
    $helpOut = Join-Path $ModuleOut 'en-US'
    $null = New-Item -ItemType Directory -Force $helpOut
    $docs = Join-Path $Root 'docs'
    if (Get-Module -ListAvailable -Name platyPS) {
        Import-Module platyPS
        $null = New-ExternalHelp -Path $docs -OutputPath $helpOut -Force
    }
    else {
        . (Join-Path $Root 'tools/Convert-HelpMarkdown.ps1')
        ConvertTo-MamlHelp -MarkdownPath $docs -OutputFile (Join-Path $helpOut 'PSNetLab.dll-Help.xml')
        foreach ($about in Get-ChildItem $docs -Filter 'about_*.md') {
            ConvertTo-AboutHelp -MarkdownFile $about.FullName -OutputFile (Join-Path $helpOut "$($about.BaseName).help.txt")
        }
    }
}

function Get-PesterManifest {
    Invoke-DotNet restore (Join-Path $Root 'tools/PesterRestore/PesterRestore.csproj') --nologo -v quiet "-p:PesterVersion=$PesterVersion"
    $cache = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $manifest = Join-Path $cache.Trim() "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) { throw "Pester $PesterVersion was restored but $manifest is missing." }
    return $manifest
}

function Read-TrxCounts([string] $Path) {
    if (-not (Test-Path $Path)) { return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    $counters = ([xml](Get-Content -Raw $Path)).TestRun.ResultSummary.Counters
    return [pscustomobject]@{
        Passed  = [int]$counters.passed
        Failed  = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        Skipped = [int]$counters.notExecuted
    }
}

function Invoke-Test {
    # The Pester suite talks to real peers (ncat, socat, python3): install what is missing first.
    & (Join-Path $Root 'tools/Install-TestPeers.ps1')
    Remove-Item -Recurse -Force -ErrorAction Ignore $TestResults
    $null = New-Item -ItemType Directory -Force $TestResults

    & dotnet test (Join-Path $Root 'tests/PSNetLab.Tests/PSNetLab.Tests.csproj') -c $Configuration --nologo `
        --logger 'trx;LogFileName=xunit.trx' --logger 'console;verbosity=minimal' --results-directory $TestResults
    $xunit = Read-TrxCounts (Join-Path $TestResults 'xunit.trx')
    if ($LASTEXITCODE -ne 0 -and $xunit.Failed -eq 0) { $xunit.Failed = 1 }   # the build or the runner itself failed

    $pesterJson = Join-Path $TestResults 'pester.json'
    $exit = Invoke-ChildPwsh (Join-Path $Root 'tools/Invoke-PesterSuite.ps1') @(
        '-PesterManifest', (Get-PesterManifest),
        '-ModuleManifest', (Join-Path $ModuleOut 'PSNetLab.psd1'),
        '-TestPath', (Join-Path $Root 'tests/Pester'),
        '-LabPath', (Join-Path $Root 'labs'),
        '-ResultFile', $pesterJson)
    $pester = if (Test-Path $pesterJson) { Get-Content -Raw $pesterJson | ConvertFrom-Json } else { $null }
    if ($null -eq $pester) { $pester = [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    elseif ($exit -ne 0 -and $pester.Failed -eq 0) { $pester.Failed = 1 }

    $passed = $xunit.Passed + $pester.Passed
    # A skipped test hides a missing capability, so it fails the run like a failed one.
    $failed = $xunit.Failed + $pester.Failed + $xunit.Skipped + $pester.Skipped
    Write-Output "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped; Pester: $($pester.Passed) passed, $($pester.Failed) failed, $($pester.Skipped) skipped"
    Write-Output "Tests: $passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    $exit = Invoke-ChildPwsh (Join-Path $Root 'tools/Demo.ps1') @('-ModuleManifest', (Join-Path $ModuleOut 'PSNetLab.psd1'))
    if ($exit -ne 0) { throw "The demo failed with exit code $exit." }
}

function Invoke-Bench {
    $exit = Invoke-ChildPwsh (Join-Path $Root 'bench/Invoke-Benchmarks.ps1') @('-ModuleManifest', (Join-Path $ModuleOut 'PSNetLab.psd1'))
    if ($exit -ne 0) { throw "The benchmarks failed with exit code $exit." }
}

$order = 'Clean', 'Build', 'Docs', 'Test', 'Demo', 'Bench'
$needsBuild = 'Test', 'Demo', 'Bench'
$toRun = [System.Collections.Generic.List[string]]::new()
foreach ($name in $order) {
    if ($name -in $Task -or ($name -eq 'Build' -and ($Task | Where-Object { $_ -in $needsBuild }))) { $toRun.Add($name) }
}
if ('Build' -in $toRun) { $null = $toRun.Remove('Docs') }   # Build stages the help itself

Push-Location $Root
try {
    foreach ($name in $toRun) { & "Invoke-$name" }
}
finally {
    Pop-Location
}
