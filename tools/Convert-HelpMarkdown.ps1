<#
.SYNOPSIS
    Converts PlatyPS-style markdown help (schema 2.0.0) to MAML and about_*.help.txt files.
.DESCRIPTION
    A stand-in for PlatyPS's New-ExternalHelp, used by build.ps1 when PlatyPS is not installed.
    Dot-source this file, then call ConvertTo-MamlHelp for the cmdlet pages and ConvertTo-AboutHelp
    for each about topic. Dot-sourcing only defines functions.
#>

function Get-MarkdownBlock {
    # Splits markdown into headings, paragraphs, list items and fenced code blocks. Headings are
    # recognised outside fences only, so a '# comment' line in example code stays code.
    param([string[]] $Line, [string] $File, [int] $FirstLineNumber)

    $current = $null   # the paragraph or list item that a following non-blank line continues
    for ($i = 0; $i -lt $Line.Count; $i++) {
        $text, $number = $Line[$i], ($FirstLineNumber + $i)
        if ($text -match '^\s*(`{3,}|~{3,})\s*([^\s`]*)') {
            $closing = '^\s*' + [regex]::Escape($Matches[1]) + [regex]::Escape($Matches[1][0]) + '*\s*$'
            $code = [System.Collections.Generic.List[string]]::new()
            $info = $Matches[2].ToLowerInvariant()
            for ($i++; $i -lt $Line.Count -and $Line[$i] -notmatch $closing; $i++) { $code.Add($Line[$i]) }
            if ($i -ge $Line.Count) { throw "${File}: the code block opened on line $number is never closed." }
            [pscustomobject]@{ Kind = 'Code'; Line = $number; Level = 0; Marker = ''; Info = $info; Lines = $code }
            $current = $null
            continue
        }
        if ($text -match '^\s*$') { $current = $null; continue }
        if ($text -match '^(#{1,6})\s+(.+?)\s*$') { $kind, $level, $marker, $first = 'Heading', $Matches[1].Length, '', $Matches[2] }
        elseif ($text -match '^(\s*)([-*+]|\d+[.)])\s+(.*)$') { $kind, $level, $marker, $first = 'Item', $Matches[1].Length, $Matches[2], $Matches[3] }
        elseif ($null -ne $current) { $current.Lines.Add($text.Trim()); continue }
        else { $kind, $level, $marker, $first = 'Para', 0, '', $text.Trim() }

        if ($marker -match '^[-*+]$') { $marker = '-' }
        $block = [pscustomobject]@{ Kind = $kind; Line = $number; Level = $level; Marker = $marker; Info = ''
            Lines = [System.Collections.Generic.List[string]]@($first) }
        $block
        $current = if ($kind -eq 'Heading') { $null } else { $block }
    }
}

function Read-MarkdownPage {
    # Reads the optional '---' front matter into a hashtable and the rest into blocks.
    param([string] $Path)

    $lines = [string](Get-Content -LiteralPath $Path -Raw -Encoding utf8) -split '\r?\n'   # an empty file reads as $null
    $frontMatter = @{}
    $bodyStart = 0
    if ($lines[0].Trim() -eq '---') {
        for ($end = 1; $end -lt $lines.Count -and $lines[$end].Trim() -ne '---'; $end++) {
            if ($lines[$end] -match '^\s*([^:]+):\s*(.*)$') { $frontMatter[$Matches[1].Trim()] = $Matches[2].Trim() }
        }
        if ($end -ge $lines.Count) { throw "${Path}: the front matter is never closed with '---'." }
        $bodyStart = $end + 1
    }
    $blocks = @(Get-MarkdownBlock -Line @($lines | Select-Object -Skip $bodyStart) -File $Path -FirstLineNumber ($bodyStart + 1))
    [pscustomobject]@{ File = $Path; FrontMatter = $frontMatter; Blocks = $blocks }
}

function Get-MarkdownSection {
    # Maps each heading of one level, in page order, to the blocks under it; blocks before the
    # first such heading are dropped. A missing section then simply reads as $null.
    param([object[]] $Block, [int] $Level)

    $sections = [ordered]@{}
    $current = $null
    foreach ($item in $Block) {
        if ($item.Kind -eq 'Heading' -and $item.Level -eq $Level) {
            $current = [System.Collections.Generic.List[object]]::new()
            $sections[$item.Lines[0]] = $current
        }
        elseif ($null -ne $current) { $current.Add($item) }
    }
    $sections
}

function ConvertFrom-InlineMarkdown {
    # Help is plain text: code spans lose their backticks, bold marks and backslash escapes go,
    # and a link keeps its text, plus its address when that is a web address.
    param([string] $Text)

    $parts = foreach ($part in [regex]::Split($Text, '(`[^`]+`)')) {
        if ($part -match '^`[^`]+`$') { $part.Trim('`'); continue }
        $part -replace '\*\*', '' `
            -replace '\[([^\]]+)\]\((https?://[^)\s]+)\)', '$1 ($2)' `
            -replace '\[([^\]]+)\]\([^)]*\)', '$1' `
            -replace '<(https?://[^>]+)>', '$1' `
            -replace '\\([\\`*_{}\[\]()#+\-.!<>|])', '$1'
    }
    -join $parts
}

function ConvertTo-HelpParagraph {
    # One paragraph per block: prose becomes one line and code keeps its lines. Get-Help puts a
    # blank line between paragraphs, so a list becomes one paragraph with a line per item.
    param([object[]] $Block)

    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $previous = $null
    foreach ($item in $Block) {
        $text = switch ($item.Kind) {
            'Code' { $item.Lines -join "`n" }
            'Item' { (' ' * $item.Level) + "$($item.Marker) " + (ConvertFrom-InlineMarkdown ($item.Lines -join ' ')) }
            default { ConvertFrom-InlineMarkdown ($item.Lines -join ' ') }
        }
        if ($item.Kind -eq 'Item' -and $null -ne $previous -and $previous.Kind -eq 'Item') { $paragraphs[$paragraphs.Count - 1] += "`n$text" }
        else { $paragraphs.Add($text) }
        $previous = $item
    }
    $paragraphs
}

function ConvertFrom-ParameterYaml {
    # The yaml under a parameter is flat 'Key: value' lines, so a regex reads all of it.
    param([object] $Block, [string] $File, [string] $Parameter)

    $where = "${File}: the yaml block of parameter $Parameter (line $($Block.Line))"
    $settings = @{}
    foreach ($text in $Block.Lines | Where-Object { $_.Trim() }) {
        if ($text -notmatch '^([A-Za-z][A-Za-z ]*):(.*)$') { throw "$where is malformed at '$text'; expected 'Key: value'." }
        $settings[$Matches[1].Trim()] = $Matches[2].Trim()
    }
    foreach ($key in 'Type', 'Parameter Sets', 'Required', 'Position') {
        if (-not $settings.ContainsKey($key)) { throw "$where lacks '${key}:'." }
    }
    $settings['Sets'] = @($settings['Parameter Sets'] -split ',' | ForEach-Object Trim)
    $settings
}

function ConvertFrom-CmdletPage {
    # Checks one parsed cmdlet page and collects what Write-MamlCommand needs. Parameters are
    # parsed here so that every page's errors surface before the MAML file is opened.
    param([object] $Page)

    $file = $Page.File
    $title = @($Page.Blocks | Where-Object { $_.Kind -eq 'Heading' -and $_.Level -eq 1 })
    if ($title.Count -eq 0) { throw "${file}: missing the '# Cmdlet-Name' title line." }
    $sections = Get-MarkdownSection -Block $Page.Blocks -Level 2
    if (-not $sections.Contains('SYNOPSIS')) { throw "${file}: missing the '## SYNOPSIS' section." }

    $parameterSections = Get-MarkdownSection -Block $sections['PARAMETERS'] -Level 3
    $parameters = foreach ($name in @($parameterSections.Keys) -match '^-') {   # '### CommonParameters' is no parameter
        $yaml = @($parameterSections[$name] | Where-Object { $_.Kind -eq 'Code' -and $_.Info -eq 'yaml' })
        if ($yaml.Count -eq 0) { throw "${file}: parameter $name has no yaml block." }
        [pscustomobject]@{
            Name        = $name.Substring(1)
            Description = @(ConvertTo-HelpParagraph ($parameterSections[$name] | Where-Object { $yaml -notcontains $_ }))
            Settings    = @($yaml | ForEach-Object { ConvertFrom-ParameterYaml -Block $_ -File $file -Parameter $name })
        }
    }
    # 'Online Version:' goes first because Get-Help -Online opens the first link that has an address.
    $links = [System.Collections.Generic.List[object]]::new()
    $online = $Page.FrontMatter['online version']
    if ($online) { $links.Add([pscustomobject]@{ Text = 'Online Version:'; Uri = $online }) }
    $linkLines = foreach ($block in $sections['RELATED LINKS']) { $block.Lines }
    foreach ($match in [regex]::Matches($linkLines -join ' ', '\[([^\]]+)\]\(([^)]*)\)')) {
        $uri = $match.Groups[2].Value
        $links.Add([pscustomobject]@{ Text = $match.Groups[1].Value; Uri = $(if ($uri -match '^https?://') { $uri } else { '' }) })
    }
    [pscustomobject]@{
        Name        = $title[0].Lines[0]
        Synopsis    = @(ConvertTo-HelpParagraph $sections['SYNOPSIS'])
        Description = @(ConvertTo-HelpParagraph $sections['DESCRIPTION'])
        Syntax      = Get-MarkdownSection -Block $sections['SYNTAX'] -Level 3
        Parameters  = @($parameters)
        Inputs      = Get-MarkdownSection -Block $sections['INPUTS'] -Level 3
        Outputs     = Get-MarkdownSection -Block $sections['OUTPUTS'] -Level 3
        Notes       = @(ConvertTo-HelpParagraph $sections['NOTES'])
        Examples    = Get-MarkdownSection -Block $sections['EXAMPLES'] -Level 3
        Links       = @($links)
    }
}

function Write-XmlElement {
    # Writes a 'prefix:name' element; Content is its text or a script block that writes its children.
    # The script block runs in a child scope of this function: callers avoid these parameter names.
    param([System.Xml.XmlWriter] $Writer, [string] $Element, [object] $Content, [System.Collections.IDictionary] $Attribute = @{})
    # A null namespace makes the writer use the one that helpItems declares for the prefix.
    $Writer.WriteStartElement($Element.Split(':')[0], $Element.Split(':')[1], [NullString]::Value)
    $Attribute.GetEnumerator() | ForEach-Object { $Writer.WriteAttributeString($_.Key, [string]$_.Value) }
    if ($Content -is [scriptblock]) { & $Content } else { $Writer.WriteString([string]$Content) }
    $Writer.WriteEndElement()
}

function Write-MamlParagraph {
    # An element (maml:description by default) holding one maml:para per paragraph.
    param([System.Xml.XmlWriter] $Writer, [string[]] $Paragraph, [string] $Name = 'maml:description')
    Write-XmlElement $Writer $Name { foreach ($text in $Paragraph) { Write-XmlElement $Writer 'maml:para' $text } }
}

function Write-MamlParameter {
    # Syntax entries show accepted values as '{A | B}' and a switch without a value; entries
    # under command:parameters carry the description and show a switch as '[<SwitchParameter>]'.
    param([System.Xml.XmlWriter] $Writer, [object] $Parameter, [hashtable] $Setting, [switch] $InSyntax)

    $type = $Setting['Type']
    $isSwitch = $type -match '^(System\.Management\.Automation\.)?SwitchParameter$'
    $valueAttributes = [ordered]@{ required = "$(-not $isSwitch)".ToLowerInvariant(); variableLength = 'false' }
    $attributes = [ordered]@{
        required       = "$($Setting['Required'] -eq 'True')".ToLowerInvariant()
        variableLength = "$($type.EndsWith('[]'))".ToLowerInvariant()
        globbing       = "$($Setting['Accept wildcard characters'] -eq 'True')".ToLowerInvariant()
        pipelineInput  = $(if ($Setting['Accept pipeline input']) { $Setting['Accept pipeline input'] } else { 'False' })
        position       = $(if ($Setting['Position'] -eq 'Named') { 'named' } else { $Setting['Position'] })
        aliases        = $(if ($Setting['Aliases']) { $Setting['Aliases'] } else { 'none' })
    }
    Write-XmlElement $Writer 'command:parameter' -Attribute $attributes {
        Write-XmlElement $Writer 'maml:name' $Parameter.Name
        if (-not $InSyntax) { Write-MamlParagraph $Writer $Parameter.Description }
        if ($InSyntax -and $Setting['Accepted values']) {
            Write-XmlElement $Writer 'command:parameterValueGroup' {
                foreach ($value in $Setting['Accepted values'] -split ',') {
                    Write-XmlElement $Writer 'command:parameterValue' $value.Trim() $valueAttributes
                }
            }
        }
        elseif (-not ($InSyntax -and $isSwitch)) { Write-XmlElement $Writer 'command:parameterValue' $type $valueAttributes }
        Write-XmlElement $Writer 'dev:type' { Write-XmlElement $Writer 'maml:name' $type }
        Write-XmlElement $Writer 'dev:defaultValue' $(if ($Setting['Default value']) { $Setting['Default value'] } else { 'None' })
    }
}

function Write-MamlSyntaxItem {
    # One '### SetName' of SYNTAX. Get-Help prints the parameters in document order, so they are
    # sorted by where the set's syntax line names them; parameters it leaves out come last.
    param([System.Xml.XmlWriter] $Writer, [object] $Command, [string] $SetTitle, [object[]] $Block)

    $setName = $SetTitle -replace '\s*\(Default\)$'
    $syntaxLine = ($Block | Where-Object Kind -EQ 'Code' | ForEach-Object Lines) -join ' '
    $members = foreach ($parameter in $Command.Parameters) {
        $setting = @($parameter.Settings | Where-Object { $_['Sets'] -contains $setName -or $_['Sets'] -contains '(All)' })
        if ($setting.Count -eq 0) { continue }
        $at = [regex]::Match($syntaxLine, "-$([regex]::Escape($parameter.Name))\b(?!-)", 'IgnoreCase')
        [pscustomobject]@{ Parameter = $parameter; Setting = $setting[0]; Order = $(if ($at.Success) { $at.Index } else { [int]::MaxValue }) }
    }
    Write-XmlElement $Writer 'command:syntaxItem' {
        Write-XmlElement $Writer 'maml:name' $Command.Name
        foreach ($member in $members | Sort-Object -Stable Order) { Write-MamlParameter $Writer $member.Parameter $member.Setting -InSyntax }
    }
}

function Write-MamlTypeList {
    # command:inputTypes/inputType and command:returnValues/returnValue: one '### TypeName' each.
    param([System.Xml.XmlWriter] $Writer, [string] $ListName, [string] $ItemName, [System.Collections.IDictionary] $Type)
    Write-XmlElement $Writer $ListName {
        foreach ($entry in $Type.GetEnumerator()) {
            Write-XmlElement $Writer $ItemName {
                Write-XmlElement $Writer 'dev:type' { Write-XmlElement $Writer 'maml:name' $entry.Key }
                Write-MamlParagraph $Writer @(ConvertTo-HelpParagraph $entry.Value)
            }
        }
    }
}

function Write-MamlExample {
    # The first fenced block is the example's code; every other block, in order, is a remark.
    param([System.Xml.XmlWriter] $Writer, [string] $Title, [object[]] $Block)
    $code = @($Block | Where-Object Kind -EQ 'Code' | Select-Object -First 1)
    # The trailing empty paragraph makes Get-Help leave a blank line before the next example.
    $remarks = @(ConvertTo-HelpParagraph ($Block | Where-Object { $code -notcontains $_ })) + ''
    Write-XmlElement $Writer 'command:example' {
        # Get-Help prints the title as it is; the dashes set examples apart as in Microsoft's own help.
        Write-XmlElement $Writer 'maml:title' "--------- $Title ---------"
        Write-XmlElement $Writer 'dev:code' ($code | ForEach-Object { $_.Lines -join "`n" })
        Write-MamlParagraph $Writer $remarks -Name 'dev:remarks'
    }
}

function Write-MamlCommand {
    param([System.Xml.XmlWriter] $Writer, [object] $Command)

    $verb, $noun = $Command.Name -split '-', 2
    Write-XmlElement $Writer 'command:command' {
        Write-XmlElement $Writer 'command:details' {
            Write-XmlElement $Writer 'command:name' $Command.Name
            Write-MamlParagraph $Writer $Command.Synopsis
            Write-XmlElement $Writer 'command:verb' $verb
            Write-XmlElement $Writer 'command:noun' $noun
        }
        Write-MamlParagraph $Writer $Command.Description
        Write-XmlElement $Writer 'command:syntax' {
            foreach ($set in $Command.Syntax.GetEnumerator()) { Write-MamlSyntaxItem $Writer $Command $set.Key $set.Value }
        }
        Write-XmlElement $Writer 'command:parameters' {
            foreach ($parameter in $Command.Parameters) { Write-MamlParameter $Writer $parameter $parameter.Settings[0] }
        }
        Write-MamlTypeList $Writer 'command:inputTypes' 'command:inputType' $Command.Inputs
        Write-MamlTypeList $Writer 'command:returnValues' 'command:returnValue' $Command.Outputs
        if ($Command.Notes.Count -gt 0) {
            Write-XmlElement $Writer 'maml:alertSet' { Write-MamlParagraph $Writer $Command.Notes -Name 'maml:alert' }
        }
        Write-XmlElement $Writer 'command:examples' {
            foreach ($example in $Command.Examples.GetEnumerator()) { Write-MamlExample $Writer $example.Key $example.Value }
        }
        Write-XmlElement $Writer 'maml:relatedLinks' {
            foreach ($link in $Command.Links) {
                Write-XmlElement $Writer 'maml:navigationLink' {
                    Write-XmlElement $Writer 'maml:linkText' $link.Text
                    Write-XmlElement $Writer 'maml:uri' $link.Uri
                }
            }
        }
    }
}

function ConvertTo-MamlHelp {
    <#
    .SYNOPSIS
        Writes one MAML help file for the cmdlet pages in a folder of markdown help.
    .DESCRIPTION
        Reads every *.md whose front matter says 'schema: 2.0.0', except about_* topics, and writes
        the <Assembly>.dll-Help.xml that Get-Help reads for binary cmdlets. Every page is parsed
        before anything is written, so a bad page fails the call and leaves no partial file.
    .PARAMETER MarkdownPath
        The folder that holds the markdown pages.
    .PARAMETER OutputFile
        The MAML file to write, such as en-US/PSNetLab.dll-Help.xml; its folder is created if needed.
    .EXAMPLE
        ConvertTo-MamlHelp -MarkdownPath ./docs -OutputFile ./out/PSNetLab/en-US/PSNetLab.dll-Help.xml
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $MarkdownPath,
        [Parameter(Mandatory)] [string] $OutputFile
    )
    Set-StrictMode -Version 3

    $files = Get-ChildItem -LiteralPath $MarkdownPath -Filter *.md -File | Where-Object Name -NotLike 'about_*' | Sort-Object Name
    $commands = foreach ($page in $files | ForEach-Object { Read-MarkdownPage -Path $_.FullName }) {
        if ($page.FrontMatter['schema'] -eq '2.0.0') { ConvertFrom-CmdletPage -Page $page }
    }
    # .NET resolves a relative path against the process directory, not the PowerShell location.
    $target = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($OutputFile)
    $null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $target)
    $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false); NewLineChars = "`n" }
    $writer = [System.Xml.XmlWriter]::Create($target, $settings)
    try {
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        $writer.WriteAttributeString('xmlns', 'maml', $null, 'http://schemas.microsoft.com/maml/2004/10')
        $writer.WriteAttributeString('xmlns', 'command', $null, 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $writer.WriteAttributeString('xmlns', 'dev', $null, 'http://schemas.microsoft.com/maml/dev/2004/10')
        foreach ($command in $commands) { Write-MamlCommand -Writer $writer -Command $command }
        $writer.WriteEndElement()
    }
    finally { $writer.Dispose() }
    Write-Verbose "Wrote help for $(@($commands).Count) cmdlet(s) to $target"
}

function Format-WrappedText {
    # Word-wraps one paragraph so that no line is longer than Width unless a single word is.
    param([string] $Text, [string] $FirstPrefix, [string] $Prefix, [int] $Width = 80)
    $line, $empty = $FirstPrefix, $true
    foreach ($word in -split $Text) {
        if (-not $empty -and $line.Length + 1 + $word.Length -gt $Width) { $line; $line, $empty = $Prefix, $true }
        $line += $(if ($empty) { $word } else { " $word" })
        $empty = $false
    }
    $line
}

function ConvertTo-AboutHelp {
    <#
    .SYNOPSIS
        Converts a markdown about topic to the plain-text about_*.help.txt format.
    .DESCRIPTION
        The '# about_X' title becomes the TOPIC header and '##' headings become upper-case section
        headings at column 0. Prose is indented 4 spaces and wrapped at 80 columns, list items keep
        their '- ' marker, and fenced code is indented 8 spaces, without its fences, and never wrapped.
    .PARAMETER MarkdownFile
        The markdown about topic, such as docs/about_PSNetLab.md.
    .PARAMETER OutputFile
        The text file to write, such as en-US/about_PSNetLab.help.txt; its folder is created if needed.
    .EXAMPLE
        ConvertTo-AboutHelp -MarkdownFile ./docs/about_PSNetLab.md -OutputFile ./out/PSNetLab/en-US/about_PSNetLab.help.txt
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $MarkdownFile,
        [Parameter(Mandatory)] [string] $OutputFile
    )
    Set-StrictMode -Version 3

    $blocks = (Read-MarkdownPage -Path $MarkdownFile).Blocks
    if ($blocks.Count -eq 0 -or $blocks[0].Kind -ne 'Heading' -or $blocks[0].Level -ne 1) {
        throw "${MarkdownFile}: the topic must start with a '# about_Name' title line."
    }
    $out = [System.Collections.Generic.List[string]]@('TOPIC', "    $($blocks[0].Lines[0])")
    for ($i = 1; $i -lt $blocks.Count; $i++) {
        $block, $previous = $blocks[$i], $blocks[$i - 1]
        # A blank line separates blocks, but not a heading from its prose nor the items of a list.
        $underHeading = $previous.Kind -eq 'Heading' -and $previous.Level -gt 1 -and $block.Kind -ne 'Code'
        if (-not ($underHeading -or ($previous.Kind -eq 'Item' -and $block.Kind -eq 'Item'))) { $out.Add('') }
        $text = ConvertFrom-InlineMarkdown ($block.Lines -join ' ')
        $lines = switch ($block.Kind) {
            'Heading' { if ($block.Level -le 2) { $text.ToUpperInvariant() } else { "  $text" } }
            'Para' { Format-WrappedText $text '    ' '    ' }
            'Item' {
                $indent = ' ' * (4 + $block.Level)
                Format-WrappedText $text "$indent$($block.Marker) " ($indent + ' ' * ($block.Marker.Length + 1))
            }
            'Code' { foreach ($codeLine in $block.Lines) { if ($codeLine.Trim()) { "        $codeLine" } else { '' } } }
        }
        $out.AddRange([string[]]@($lines))
    }
    $target = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($OutputFile)
    $null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $target)
    [System.IO.File]::WriteAllLines($target, $out, [System.Text.UTF8Encoding]::new($false))
}
