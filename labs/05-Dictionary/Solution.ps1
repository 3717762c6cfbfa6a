# Reference solution for lab 5: the seeds' dictionary server, then one with my own words and handler.

function Start-SeedDictionaryServer {
    Start-TcpServer -Handler Dictionary -Port 0 -LocalAddress Loopback
}

function Get-MyDictionary {
    @{ cat = '猫'; dog = '狗'; water = '水'; fire = '火'; moon = '月亮'; book = '书' }
}

function Start-MyDictionaryServer {
    # The handler sees only its own text, so the words are written into it as a literal.
    $entries = foreach ($entry in (Get-MyDictionary).GetEnumerator()) {
        "'{0}' = '{1}'" -f $entry.Key.Replace("'", "''"), $entry.Value.Replace("'", "''")
    }
    $handler = [scriptblock]::Create(@"
param(`$Request)
`$words = @{ $($entries -join '; ') }
`$word = `$Request.Text.Trim()
if (`$words.ContainsKey(`$word)) { `$words[`$word] } else { `$Request.Text }
"@)
    Start-TcpServer -Handler $handler -Port 0 -LocalAddress Loopback
}
