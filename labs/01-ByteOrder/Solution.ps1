# Reference solution for lab 1: the C byte-order functions by hand.

function Get-HostByteOrder {
    # The integer 1 is stored with its only non-zero byte first on a little-endian host.
    if ([BitConverter]::GetBytes([int]1)[0] -eq 1) { 'LittleEndian' } else { 'BigEndian' }
}

function htons([uint16] $Value) {
    if ((Get-HostByteOrder) -eq 'BigEndian') { return $Value }
    [uint16]((($Value -band 0xFF) -shl 8) -bor ($Value -shr 8))
}

function htonl([uint32] $Value) {
    if ((Get-HostByteOrder) -eq 'BigEndian') { return $Value }
    [uint32]((($Value -band 0xFF) -shl 24) -bor (($Value -band 0xFF00) -shl 8) -bor
        (($Value -shr 8) -band 0xFF00) -bor ($Value -shr 24))
}

# Swapping is its own inverse.
function ntohs([uint16] $Value) { htons $Value }
function ntohl([uint32] $Value) { htonl $Value }

function inet_addr([string] $Address) {
    $parts = $Address.Split('.')
    if ($parts.Count -ne 4) { throw "'$Address' is not a dotted IPv4 address." }
    # The address as one integer, most significant part first, then in network byte order.
    [uint32] $value = 0
    foreach ($part in $parts) { $value = ($value -shl 8) -bor [byte]$part }
    htonl $value
}

function inet_ntoa([uint32] $Value) {
    $hostOrder = ntohl $Value
    (24, 16, 8, 0 | ForEach-Object { ($hostOrder -shr $_) -band 0xFF }) -join '.'
}
