# Reference solution for lab 11: two writes are not two messages; a length prefix makes them so.

function Send-TwoWrites([Net.Sockets.NetworkStream] $Stream, [string] $First, [string] $Second) {
    foreach ($text in $First, $Second) {
        $bytes = [Text.Encoding]::UTF8.GetBytes($text)
        $Stream.Write($bytes, 0, $bytes.Length)
    }
}

function ConvertTo-LengthPrefixed([string] $Text) {
    $payload = [Text.Encoding]::UTF8.GetBytes($Text)
    # htonl by hand: most significant byte first.
    $length = [uint32]$payload.Length
    [byte[]] $prefix = (($length -shr 24) -band 0xFF), (($length -shr 16) -band 0xFF), (($length -shr 8) -band 0xFF), ($length -band 0xFF)
    , [byte[]]($prefix + $payload)
}

function Send-Framed([Net.Sockets.NetworkStream] $Stream, [string[]] $Text) {
    foreach ($message in $Text) {
        $frame = ConvertTo-LengthPrefixed $message
        $Stream.Write($frame, 0, $frame.Length)
    }
}

function Read-Exactly([Net.Sockets.NetworkStream] $Stream, [int] $Count) {
    # A stream read returns what has arrived, possibly less than asked: loop until all is here.
    $buffer = [byte[]]::new($Count)
    $offset = 0
    while ($offset -lt $Count) {
        $read = $Stream.Read($buffer, $offset, $Count - $offset)
        if ($read -eq 0) { throw 'The server closed the connection in the middle of a message.' }
        $offset += $read
    }
    , $buffer
}

function Read-Framed([Net.Sockets.NetworkStream] $Stream) {
    $prefix = Read-Exactly $Stream 4
    $length = ([int]$prefix[0] -shl 24) -bor ([int]$prefix[1] -shl 16) -bor ([int]$prefix[2] -shl 8) -bor $prefix[3]
    [Text.Encoding]::UTF8.GetString((Read-Exactly $Stream $length))
}
