# Dot-sourced by every *.Tests.ps1 in BeforeAll: imports the staged module that build.ps1 built.
$manifest = if ($env:PSNETLAB_MODULE) { $env:PSNETLAB_MODULE } else { Join-Path $PSScriptRoot '../../out/PSNetLab/PSNetLab.psd1' }
Import-Module $manifest -Force -ErrorAction Stop
