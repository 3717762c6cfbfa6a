# Dot-sourced by every lab's *.Tests.ps1 in BeforeAll: imports PSNetLab and loads the solution to check.
#
# Which solution is checked, first match wins:
#   1. the test file's -Solution parameter (Pester container data):
#        Invoke-Pester -Container (New-PesterContainer -Path ./labs/02-UdpEcho -Data @{ Solution = './alice/02-UdpEcho.ps1' })
#   2. $env:PSNETLAB_LAB_SOLUTIONS, a folder with one file per lab named after the lab's folder:
#        $env:PSNETLAB_LAB_SOLUTIONS = './alice'; Invoke-Pester ./labs      # checks alice/01-ByteOrder.ps1 ...
#   3. the reference solution beside the test, Solution.ps1 (what CI checks).

# CI sets PSNETLAB_MODULE to the staged build; a classroom uses the installed module.
$labModule = if ($env:PSNETLAB_MODULE) { $env:PSNETLAB_MODULE } else { 'PSNetLab' }
Import-Module $labModule -ErrorAction Stop

function Resolve-LabSolution([string] $LabPath, [string] $Solution) {
    if ($Solution) { return (Resolve-Path -LiteralPath $Solution -ErrorAction Stop).Path }
    $lab = Split-Path -Leaf $LabPath
    if ($env:PSNETLAB_LAB_SOLUTIONS) {
        $path = Join-Path $env:PSNETLAB_LAB_SOLUTIONS "$lab.ps1"
        if (-not (Test-Path -LiteralPath $path)) { throw "No solution for lab $lab`: expected $path." }
        return (Resolve-Path -LiteralPath $path).Path
    }
    return Join-Path $LabPath 'Solution.ps1'
}

function Wait-LabCondition([scriptblock] $Condition, [double] $TimeoutSeconds = 5, [string] $Because = 'the condition') {
    # Network state changes asynchronously: poll, never sleep a fixed time.
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not (& $Condition)) {
        if ([datetime]::UtcNow -ge $deadline) { throw "Timed out after $TimeoutSeconds s waiting for $Because." }
        Start-Sleep -Milliseconds 20
    }
}
