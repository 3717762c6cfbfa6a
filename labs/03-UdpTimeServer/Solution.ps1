# Reference solution for lab 3: the seeds' time server as a ScriptBlock handler.

function Get-TimeHandler {
    {
        param($Request)
        # Runs in the server's runspace: everything it uses is defined here.
        $format = if ([string]::IsNullOrEmpty($Request.Text)) { '%Y-%m-%d %X' } else { $Request.Text }
        $now = Get-Date
        $reply = [Text.StringBuilder]::new()
        for ($i = 0; $i -lt $format.Length; $i++) {
            $c = $format[$i]
            if ($c -eq '%' -and $i + 1 -lt $format.Length) {
                $i++
                # strftime fields are case-sensitive: %m is the month, %M the minute.
                $field = switch -CaseSensitive ([string]$format[$i]) {
                    'Y' { $now.ToString('yyyy', [cultureinfo]::InvariantCulture) }
                    'm' { $now.ToString('MM', [cultureinfo]::InvariantCulture) }
                    'd' { $now.ToString('dd', [cultureinfo]::InvariantCulture) }
                    'H' { $now.ToString('HH', [cultureinfo]::InvariantCulture) }
                    'M' { $now.ToString('mm', [cultureinfo]::InvariantCulture) }
                    'S' { $now.ToString('ss', [cultureinfo]::InvariantCulture) }
                    'X' { $now.ToString('HH:mm:ss', [cultureinfo]::InvariantCulture) }
                    '%' { '%' }
                    default { '%' + $_ }
                }
                $null = $reply.Append($field)
            }
            else { $null = $reply.Append($c) }
        }
        $reply.ToString()
    }
}

function Start-TimeLab {
    Start-UdpServer -Handler (Get-TimeHandler) -Port 0 -LocalAddress Loopback
}
