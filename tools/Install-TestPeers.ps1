<#
.SYNOPSIS
    Makes sure the real peers the Pester suite talks to (ncat, socat, python3) are installed.
.DESCRIPTION
    Fast and silent when everything is present. On Linux, running as root, missing tools are
    installed with apt-get (after `apt-get update`); anywhere else it only says what is missing,
    and the tests that need the tool fail with that message instead of being skipped.
#>
[CmdletBinding()]
param()

$ErrorActionPreference = 'Stop'

# Command name -> the Debian/Ubuntu package that provides it.
$peers = [ordered]@{ ncat = 'ncat'; socat = 'socat'; python3 = 'python3' }
$missing = @($peers.Keys | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) })
if ($missing.Count -eq 0) { return }

$packages = @($missing | ForEach-Object { $peers[$_] })
$canInstall = $IsLinux -and (Get-Command apt-get -CommandType Application -ErrorAction Ignore) -and ((& id -u) -eq '0')
if (-not $canInstall) {
    Write-Warning "Test peers missing: $($missing -join ', '). Install them (e.g. apt-get install $($packages -join ' ')) or the tests that use them fail."
    return
}

Write-Verbose "Installing test peers: $($packages -join ', ')" -Verbose
$env:DEBIAN_FRONTEND = 'noninteractive'
& apt-get update -qq *> $null
if ($LASTEXITCODE -ne 0) { throw "apt-get update failed with exit code $LASTEXITCODE." }
& apt-get install -y -qq --no-install-recommends @packages *> $null
if ($LASTEXITCODE -ne 0) {
    # Older releases package ncat inside nmap.
    if ('ncat' -in $missing) { & apt-get install -y -qq --no-install-recommends nmap *> $null }
    $still = @($missing | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) })
    if ($still.Count -gt 0) { throw "apt-get could not install: $($still -join ', ')." }
}
