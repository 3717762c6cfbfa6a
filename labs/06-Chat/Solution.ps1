# Reference solution for lab 6: scripted chat clients.

function Start-ChatLab {
    Start-TcpServer -Handler Chat -Port 0 -LocalAddress Loopback
}

function Join-ChatLab([int] $Port, [string] $Nick) {
    $client = [Net.Sockets.TcpClient]::new([Net.Sockets.AddressFamily]::InterNetwork)
    $client.Connect([ipaddress]::Loopback, $Port)
    $stream = $client.GetStream()
    $utf8 = [Text.UTF8Encoding]::new($false)
    $member = [pscustomobject]@{
        Nick   = $Nick
        Client = $client
        Reader = [IO.StreamReader]::new($stream, $utf8)
        Writer = [IO.StreamWriter]::new($stream, $utf8)
        # A ReadLine still waiting from an earlier Receive-ChatLine that timed out.
        Pending = $null
    }
    $member.Writer.AutoFlush = $true
    $member.Writer.NewLine = "`n"
    Send-ChatLine $member "/nick $Nick"
    $member
}

function Send-ChatLine($Member, [string] $Text) {
    $Member.Writer.WriteLine($Text)
}

function Receive-ChatLine($Member, [double] $Timeout = 2) {
    # ReadLineAsync keeps waiting after a time-out; the next call picks the same read up again.
    if ($null -eq $Member.Pending) { $Member.Pending = $Member.Reader.ReadLineAsync() }
    if (-not $Member.Pending.Wait([timespan]::FromSeconds($Timeout))) { return $null }
    $line = $Member.Pending.Result
    $Member.Pending = $null
    $line
}
