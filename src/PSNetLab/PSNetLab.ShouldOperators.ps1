# The Should operators of PSNetLab, loaded by Register-NetLabShouldOperator as a dynamic module
# only when Pester is in use, so that Import-Module PSNetLab does not pay for them.
# Pester calls each Test-* function with -ActualValue, -Negate, -CallerSessionState and the
# operator's own parameters; it returns Succeeded and a FailureMessage that says what was seen.
param([Parameter(Mandatory)] [psmoduleinfo] $Pester)

function ConvertTo-NetLabDuration($Value, [double] $DefaultSeconds) {
    # Seconds as in every PSNetLab cmdlet. [timespan]2 would be two ticks, so numbers are converted here.
    if ($null -eq $Value) { return [timespan]::FromSeconds($DefaultSeconds) }
    if ($Value -is [timespan]) { return $Value }
    return [timespan]::FromSeconds([double]$Value)
}

function Resolve-NetLabTarget($ActualValue, $Protocol) {
    # What an assertion was given (a port, a server, an endpoint, anything with a Port) as one shape.
    $value = if ($ActualValue -is [psobject]) { $ActualValue.psobject.BaseObject } else { $ActualValue }
    $target = [pscustomobject]@{ Protocol = 'Tcp'; Address = [ipaddress]::Loopback; Port = $null; EndPoint = $null; Error = $null }
    if ($value -is [System.Net.IPEndPoint]) {
        $target.Address = $value.Address; $target.Port = $value.Port; $target.EndPoint = $value
    }
    elseif ($null -ne $value -and $null -ne $value.psobject.Properties['Port']) {
        $target.Port = $value.Port
        if ($null -ne $value.psobject.Properties['Protocol'] -and $null -ne $value.Protocol) { $target.Protocol = [string]$value.Protocol }
        if ($null -ne $value.psobject.Properties['LocalAddress'] -and $value.LocalAddress -as [ipaddress]) {
            $address = [ipaddress]$value.LocalAddress
            # A server bound to every interface is reached over loopback.
            if ($address.Equals([ipaddress]::Any)) { $address = [ipaddress]::Loopback }
            elseif ($address.Equals([ipaddress]::IPv6Any)) { $address = [ipaddress]::IPv6Loopback }
            $target.Address = $address
        }
    }
    elseif ($null -ne $value -and $null -ne ($value -as [int])) {
        $target.Port = [int]$value
    }
    if ($null -ne $Protocol) { $target.Protocol = [string]$Protocol }
    if ($target.Protocol -notin 'Tcp', 'Udp') { $target.Error = "-Protocol must be Tcp or Udp, not '$($target.Protocol)'" }
    elseif ($null -eq $target.Port -or $target.Port -lt 1 -or $target.Port -gt 65535) {
        # Port 0 only means "any port" to bind(); nothing can be reached or listen there.
        $shown = if ($null -eq $ActualValue) { '$null' } else { "'$ActualValue'" }
        $target.Error = "the value to test must be a port (1-65535), a server, an IPEndPoint or an object with a Port property, not $shown"
    }
    $target.Protocol = (Get-Culture).TextInfo.ToTitleCase($target.Protocol.ToLowerInvariant())
    return $target
}

function ConvertTo-NetLabPlainAddress($Address) {
    # A dual-mode socket shows 127.0.0.1 as ::ffff:127.0.0.1 on one side and not the other.
    $ip = [ipaddress]"$Address"
    if ($ip.IsIPv4MappedToIPv6) { return $ip.MapToIPv4() }
    return $ip
}

function Format-NetLabTarget($Target) {
    $address = if ($Target.Address.AddressFamily -eq 'InterNetworkV6') { "[$($Target.Address)]" } else { "$($Target.Address)" }
    return "$($Target.Protocol.ToUpperInvariant()) $address`:$($Target.Port)"
}

function New-NetLabAssertionResult([bool] $Succeeded, [string] $Expected, [string] $Seen, [string] $Because) {
    # Pester's own wording: "Expected X, because Y, but Z."
    $Seen = $Seen.TrimEnd('.', ' ')
    $reason = if ([string]::IsNullOrWhiteSpace($Because)) { ',' } else { ", because $($Because.Trim())," }
    return [pscustomobject]@{ Succeeded = $Succeeded; FailureMessage = if ($Succeeded) { $null } else { "Expected $Expected$reason but $Seen." } }
}

function Wait-NetLabCondition([scriptblock] $Probe, [scriptblock] $Done, [timespan] $Timeout) {
    # Polls $Probe until $Done accepts its result or the time is up; returns the last result.
    $deadline = [datetime]::UtcNow + $Timeout
    while ($true) {
        $seen = @(& $Probe)
        if ((& $Done $seen) -or [datetime]::UtcNow -ge $deadline) { return , $seen }
        Start-Sleep -Milliseconds 25
    }
}

function Format-NetLabRows($Rows) {
    $list = @($Rows | Where-Object { $null -ne $_ } | ForEach-Object { $_.ToString() })
    if ($list.Count -eq 0) { return 'none' }
    return $list -join '; '
}

function Test-NetLabListening($ActualValue, [switch] $Negate, $Protocol, $Timeout, [string] $Because) {
    <# Should -BeListening: a TCP socket in Listen, or a bound UDP socket, on the port. #>
    $target = Resolve-NetLabTarget $ActualValue $Protocol
    if ($target.Error) { return New-NetLabAssertionResult $false 'a port or a server' $target.Error $Because }
    $wait = ConvertTo-NetLabDuration $Timeout 2
    $listeners = Wait-NetLabCondition -Timeout $wait -Probe {
        Get-SocketTable -Protocol $target.Protocol -LocalPort $target.Port -Listening
    } -Done { param($rows) ($rows.Count -gt 0) -ne [bool]$Negate }
    $listening = $listeners.Count -gt 0
    $what = "$($target.Protocol.ToUpperInvariant()) port $($target.Port)"
    if ($listening -ne [bool]$Negate) { return New-NetLabAssertionResult $true }
    if ($Negate) {
        # The owner is what the user needs to know: which process still holds the port.
        $owners = Get-SocketTable -Protocol $target.Protocol -LocalPort $target.Port -Listening -IncludeProcess
        return New-NetLabAssertionResult $false "nothing listening on $what after $($wait.TotalSeconds) s" "found $(Format-NetLabRows $owners)" $Because
    }
    $others = Get-SocketTable -Protocol $target.Protocol -LocalPort $target.Port
    return New-NetLabAssertionResult $false "$what to be listening within $($wait.TotalSeconds) s" "nothing listens on it (sockets on that port: $(Format-NetLabRows $others))" $Because
}

function Test-NetLabSocketState($ActualValue, [switch] $Negate, $ExpectedValue, $Side, $Protocol, $Timeout, [string] $Because) {
    <# Should -HaveSocketState: some socket on the port (or that exact local endpoint) is in one of the states. #>
    $target = Resolve-NetLabTarget $ActualValue $Protocol
    if ($target.Error) { return New-NetLabAssertionResult $false 'a port or a server' $target.Error $Because }
    $states = [System.Collections.Generic.List[PSNetLab.Sockets.SocketState]]::new()
    foreach ($name in @($ExpectedValue)) {
        $state = [PSNetLab.Sockets.SocketState]::None
        if ([string]$name -match '^\d*$' -or -not [enum]::TryParse([string]$name, $true, [ref]$state)) {
            $names = [enum]::GetNames([PSNetLab.Sockets.SocketState]) -join ', '
            return New-NetLabAssertionResult $false "a socket state ($names)" "got '$name'" $Because
        }
        $states.Add($state)
    }
    if ($null -eq $Side) { $Side = 'Any' }
    if ($Side -notin 'Any', 'Server', 'Client') { return New-NetLabAssertionResult $false '-Side Any, Server or Client' "got '$Side'" $Because }
    $wait = ConvertTo-NetLabDuration $Timeout 2
    $probe = {
        if ($target.EndPoint) {
            # One socket: the client's own end, saved from LocalEndPoint before it was closed.
            $address = ConvertTo-NetLabPlainAddress $target.EndPoint.Address
            Get-SocketTable -Protocol $target.Protocol -LocalPort $target.Port |
                Where-Object { (ConvertTo-NetLabPlainAddress $_.LocalAddress).Equals($address) }
        }
        else {
            if ($Side -ne 'Client') { Get-SocketTable -Protocol $target.Protocol -LocalPort $target.Port }
            if ($Side -ne 'Server') { Get-SocketTable -Protocol $target.Protocol -RemotePort $target.Port }
        }
    }
    $rows = Wait-NetLabCondition -Timeout $wait -Probe $probe -Done {
        param($rows) (@($rows | Where-Object State -In $states).Count -gt 0) -ne [bool]$Negate
    }
    $matching = @($rows | Where-Object State -In $states)
    $where = if ($target.EndPoint) { "the socket $(Format-NetLabTarget $target)" } else {
        $sides = @{ Any = 'a socket on'; Server = "the server's end of"; Client = "a client's end of" }
        "$($sides[[string]$Side]) $($target.Protocol.ToUpperInvariant()) port $($target.Port)"
    }
    $stateText = ($states | ForEach-Object ToString) -join ' or '
    if ($Negate) {
        return New-NetLabAssertionResult ($matching.Count -eq 0) "no socket in $stateText for $where within $($wait.TotalSeconds) s" "saw $(Format-NetLabRows $matching)" $Because
    }
    return New-NetLabAssertionResult ($matching.Count -gt 0) "$where to be in $stateText within $($wait.TotalSeconds) s" "saw $(Format-NetLabRows $rows)" $Because
}

function Test-NetLabReply($ActualValue, [switch] $Negate, $ExpectedValue, $To, $Protocol, $Timeout, $Encoding, [string] $Because) {
    <# Should -ReplyWith: sends each -To message, compares each reply with the expected text (case-sensitive). #>
    $target = Resolve-NetLabTarget $ActualValue $Protocol
    if ($target.Error) { return New-NetLabAssertionResult $false 'a port or a server' $target.Error $Because }
    $messages = @($To | ForEach-Object { [string]$_ })
    $expected = @($ExpectedValue | ForEach-Object { [string]$_ })
    if ($messages.Count -eq 0 -or $messages.Count -ne $expected.Count) {
        return New-NetLabAssertionResult $false 'one -To message for each expected reply' "got $($messages.Count) message(s) and $($expected.Count) expected reply(ies)" $Because
    }
    $wait = ConvertTo-NetLabDuration $Timeout 2
    $options = @{ ComputerName = [string]$target.Address; Port = $target.Port; ErrorAction = 'Stop' }
    if ($null -ne $Encoding) { $options.Encoding = $Encoding }
    $replies = [string[]]::new($messages.Count)
    $failure = $null
    try {
        if ($target.Protocol -eq 'Udp') {
            $exchanges = @(Send-UdpMessage -Message $messages -Timeout $wait @options)
        }
        else {
            # One connection for all the messages, as a client would hold it.
            $exchanges = @(Connect-TcpChat -Message $messages -ReplyTimeout $wait @options)
        }
        for ($i = 0; $i -lt [Math]::Min($exchanges.Count, $replies.Length); $i++) { $replies[$i] = $exchanges[$i].Reply }
    }
    catch {
        $failure = $_.Exception.Message
    }
    $where = Format-NetLabTarget $target
    $pairs = for ($i = 0; $i -lt $messages.Count; $i++) { "'$($expected[$i])' to '$($messages[$i])'" }
    $same = $null -eq $failure -and (@(for ($i = 0; $i -lt $messages.Count; $i++) { $replies[$i] -ceq $expected[$i] }) -notcontains $false)
    if ($Negate) {
        return New-NetLabAssertionResult (-not $same) "$where not to reply $($pairs -join ', ')" 'it did' $Because
    }
    $seen = if ($null -ne $failure) { "the exchange failed: $failure" } else {
        $got = for ($i = 0; $i -lt $messages.Count; $i++) {
            $reply = if ($null -eq $replies[$i]) { 'no reply' } else { "'$($replies[$i])'" }
            "$reply to '$($messages[$i])'"
        }
        "it replied $($got -join ', ')"
    }
    return New-NetLabAssertionResult $same "$where to reply $($pairs -join ', ')" $seen $Because
}

$operators = [ordered]@{
    BeListening     = ${function:Test-NetLabListening}
    HaveSocketState = ${function:Test-NetLabSocketState}
    ReplyWith       = ${function:Test-NetLabReply}
}
foreach ($name in $operators.Keys) {
    try {
        # Pester ignores a second registration of the same operator text (a re-import of PSNetLab).
        & $Pester { param($Name, $Test) Add-ShouldOperator -Name $Name -Test $Test } $name $operators[$name]
    }
    catch {
        Write-Warning "Should -$name is already registered by another version of PSNetLab; import Pester again (Import-Module Pester -Force) to replace it."
    }
}
Export-ModuleMember
