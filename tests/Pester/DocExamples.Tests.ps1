# Every example in docs/*.md runs as written: in a fresh runspace with PSNetLab imported (and Pester,
# for examples that use Should or register its operators), within a time limit, without errors;
# whatever servers and jobs it starts are stopped and released afterwards. An example that cannot run unattended
# says why in an HTML comment just before its code block: <!-- not run: interactive, waits for Ctrl+C -->
BeforeDiscovery {
    $docsPath = Join-Path $PSScriptRoot '../../docs'
    $examples = foreach ($page in Get-ChildItem $docsPath -Filter *.md | Where-Object BaseName -NotLike 'about_*') {
        $markdown = (Get-Content -Raw $page.FullName) -replace "`r`n", "`n"
        if ($markdown -notmatch '(?ms)^## EXAMPLES\s*$(.*?)(?=^## |\z)') { continue }
        foreach ($example in [regex]::Matches($Matches[1], '(?ms)^### (?<title>[^\n]+)\n(?<body>.*?)(?=^### |\z)')) {
            $body = $example.Groups['body'].Value
            $code = [regex]::Match($body, '(?ms)^```powershell\n(?<code>.*?)^```')
            $skip = [regex]::Match($body.Substring(0, [Math]::Max(0, $code.Index)), '<!--\s*not run:\s*(?<reason>.+?)\s*-->')
            @{
                Page   = $page.BaseName
                Title  = $example.Groups['title'].Value.Trim()
                Code   = $code.Groups['code'].Value
                Reason = if ($skip.Success) { $skip.Groups['reason'].Value } else { $null }
            }
        }
    }
    $runnable = @($examples | Where-Object { -not $_.Reason })
    $notRun = @($examples | Where-Object { $_.Reason })
}

BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    $moduleManifest = Join-Path (Get-Module PSNetLab).ModuleBase 'PSNetLab.psd1'
    $pesterManifest = (Get-Module Pester).Path -replace 'psm1$', 'psd1'
    # As if PSNetLab were installed: thread jobs in examples find it by name.
    $savedModulePath = $env:PSModulePath
    $env:PSModulePath = (Split-Path (Get-Module PSNetLab).ModuleBase) + [IO.Path]::PathSeparator + $env:PSModulePath

    function Invoke-DocExample([string] $Code, [double] $TimeoutSeconds = 30) {
        # Servers are process-wide: whatever the example leaves is found from here, whichever runspace started it.
        $serversBefore = @(Get-NetLabServer)
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        $ps = [powershell]::Create()
        $ps.Runspace = $runspace
        try {
            $setup = if ($Code -match 'Should|NetLabShouldOperator') { "Import-Module '$pesterManifest'; " } else { '' }
            $null = $ps.AddScript("${setup}Import-Module '$moduleManifest' -ErrorAction Stop").AddStatement()
            # Out-String formats the output too, so the views and ToString are exercised.
            $null = $ps.AddScript($Code).AddCommand('Out-String').AddParameter('Width', 200)
            $async = $ps.BeginInvoke()
            if (-not $async.AsyncWaitHandle.WaitOne([timespan]::FromSeconds($TimeoutSeconds))) {
                $ps.Stop()
                throw "The example did not finish within $TimeoutSeconds s."
            }
            $output = $ps.EndInvoke($async)
            return [pscustomobject]@{ Output = ($output -join ''); Errors = @($ps.Streams.Error) }
        }
        finally {
            # Whatever the example left running: its jobs, then its servers, stopped and released
            # even if the example's runspace could not remove them.
            $ps.Commands.Clear()
            $null = $ps.AddScript('Get-Job | Remove-Job -Force -ErrorAction Ignore').Invoke()
            $ps.Dispose()
            $runspace.Dispose()
            foreach ($server in @(Get-NetLabServer | Where-Object { $serversBefore -notcontains $_ })) {
                $server.StopJob()
                $server.Dispose()
            }
        }
    }
}

AfterAll {
    $env:PSModulePath = $savedModulePath
}

Describe 'Doc example <Page>: <Title>' -ForEach $runnable {
    It 'runs as written, without errors' {
        $Code | Should -Not -BeNullOrEmpty -Because 'each example has a ```powershell block'
        $result = Invoke-DocExample $Code
        $result.Errors | ForEach-Object { "$_" } | Should -BeNullOrEmpty
    }
}

Describe 'Doc examples that are not run' {
    It 'are rare: at most one in ten' {
        $notRun.Count | Should -BeLessOrEqual ([Math]::Ceiling(($runnable.Count + $notRun.Count) / 10))
    }
    It '<Page>: <Title> says why (<Reason>)' -ForEach $notRun {
        $Reason | Should -Match '\w{4,}'
    }
}
