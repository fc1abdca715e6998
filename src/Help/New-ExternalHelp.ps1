<#
.SYNOPSIS
    Generates the module's MAML help (ImageTools.dll-Help.xml) from the cmdlets' C# XML doc comments.
.DESCRIPTION
    Text comes from the compiler's XML doc file: a cmdlet class's <summary> is the synopsis, <remarks> the
    description (paragraphs split on blank lines and <para>; <note> elements become notes), each <example> an
    example (<code> is the code, the rest its remarks), <seealso cref> a related link, and a parameter property's
    <summary> the parameter description (the class and then its base classes are searched, so parameters declared
    on the abstract bases find their docs). Parameter metadata (parameter sets, Mandatory, Position, pipeline
    input, wildcards, aliases, types, ValidateSet values) and [OutputType] come from the loaded module.

    Exits with code 1, listing every problem, when a cmdlet has no synopsis or no example or a parameter (other
    than a common parameter) has no description, so help stays complete as cmdlets are added.
.EXAMPLE
    pwsh -File src/Help/New-ExternalHelp.ps1 -ModulePath out/ImageTools/ImageTools.psd1 -XmlDocPath out/ImageTools/ImageTools.xml -OutputPath en-US/ImageTools.dll-Help.xml
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $XmlDocPath,
    [Parameter(Mandatory)] [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$script:Ns = @{
    msh     = 'http://msh'
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}

# Shown for the optional common parameters a SupportsShouldProcess cmdlet gets; C# has no doc comment for them.
$script:ShouldProcessDocs = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}

#region Reading the XML doc file

function Read-XmlDoc {
    # Member name (T:..., P:...) -> <member> element.
    param([string] $Path)
    if (-not (Test-Path -LiteralPath $Path)) { throw "XML doc file not found: $Path (is GenerateDocumentationFile on?)" }
    $xml = [xml]::new()
    $xml.PreserveWhitespace = $true
    $xml.Load((Resolve-Path -LiteralPath $Path).ProviderPath)
    $members = @{}
    foreach ($m in $xml.SelectNodes('/doc/members/member')) { $members[$m.GetAttribute('name')] = $m }
    $members
}

function Get-DocName {
    # The doc-comment id of a type: nested types use '.', not '+'.
    param([type] $Type)
    $Type.FullName -replace '\+', '.'
}

function Find-PropertyDoc {
    # The <member> of a parameter property, searching the class and then its base classes.
    param([hashtable] $Docs, [type] $Type, [string] $Property)
    for ($t = $Type; $null -ne $t; $t = $t.BaseType) {
        $member = $Docs["P:$(Get-DocName $t).$Property"]
        if ($member) { return $member }
    }
    $null
}

function Get-CrefText {
    # 'T:ImageTools.Commands.GetImageCommand' -> 'GetImageCommand'; 'M:X.Y.Z(System.String)' -> 'Z'.
    param([string] $Cref)
    $name = ($Cref -replace '^[A-Z]:', '') -replace '\(.*$', ''
    ($name -split '\.')[-1]
}

function Get-InlineText {
    # The text of a node with inline doc tags resolved (see, paramref, c); block tags are the caller's business.
    param([System.Xml.XmlNode] $Node)
    $sb = [System.Text.StringBuilder]::new()
    foreach ($child in $Node.ChildNodes) {
        if ($child -isnot [System.Xml.XmlElement]) { [void]$sb.Append($child.Value); continue }
        switch ($child.LocalName) {
            { $_ -in 'see', 'seealso' } {
                if ($child.InnerText.Trim()) { [void]$sb.Append($child.InnerText.Trim()) }
                elseif ($child.HasAttribute('cref')) { [void]$sb.Append((Get-CrefText $child.GetAttribute('cref'))) }
                elseif ($child.HasAttribute('langword')) { [void]$sb.Append($child.GetAttribute('langword')) }
                elseif ($child.HasAttribute('href')) { [void]$sb.Append($child.GetAttribute('href')) }
            }
            { $_ -in 'paramref', 'typeparamref' } { [void]$sb.Append($child.GetAttribute('name')) }
            'br' { [void]$sb.Append("`n`n") }
            default { [void]$sb.Append((Get-InlineText $child)) }
        }
    }
    $sb.ToString()
}

function Split-Paragraph {
    # Wrapped doc-comment text -> paragraphs: split on blank lines, join each paragraph's lines with spaces.
    param([string] $Text)
    foreach ($block in [regex]::Split($Text, '\r?\n[ \t]*\r?\n')) {
        $para = ($block -replace '\s+', ' ').Trim()
        if ($para) { $para }
    }
}

function ConvertTo-Paragraph {
    # A doc element -> paragraphs. <para> and <list> items start paragraphs; <code> keeps its lines;
    # elements named in -Skip (e.g. code and note inside an example or remarks) are left out.
    param([System.Xml.XmlNode] $Node, [string[]] $Skip = @())
    $pending = [System.Text.StringBuilder]::new()
    foreach ($child in $Node.ChildNodes) {
        $isBlock = $child -is [System.Xml.XmlElement] -and $child.LocalName -in @('para', 'list', 'code', 'note') + $Skip
        if (-not $isBlock) {
            $wrapper = $Node.OwnerDocument.CreateElement('x')
            [void]$wrapper.AppendChild($child.Clone())
            [void]$pending.Append((Get-InlineText $wrapper))
            continue
        }
        Split-Paragraph $pending.ToString()
        [void]$pending.Clear()
        if ($child.LocalName -in $Skip) { continue }
        switch ($child.LocalName) {
            'para' { ConvertTo-Paragraph $child $Skip }
            'list' { foreach ($item in $child.SelectNodes('item')) { '- ' + ((Split-Paragraph (Get-InlineText $item)) -join ' ') } }
            'code' { Format-Code $child.InnerText }
            'note' { ConvertTo-Paragraph $child $Skip }
        }
    }
    Split-Paragraph $pending.ToString()
}

function Format-Code {
    # Code from a doc comment: drop the leading and trailing blank lines and the indentation all lines share.
    param([string] $Text)
    $lines = @($Text -split '\r?\n')
    $first = 0; $last = $lines.Count - 1
    while ($first -le $last -and -not $lines[$first].Trim()) { $first++ }
    while ($last -ge $first -and -not $lines[$last].Trim()) { $last-- }
    if ($first -gt $last) { return '' }
    $lines = $lines[$first..$last]
    $indent = ($lines | Where-Object { $_.Trim() } | ForEach-Object { $_.Length - $_.TrimStart().Length } | Measure-Object -Minimum).Minimum
    ($lines | ForEach-Object { if ($_.Length -ge $indent) { $_.Substring($indent).TrimEnd() } else { $_.Trim() } }) -join "`n"
}

#endregion

#region Collecting what one cmdlet's help says

function Get-TypeDisplayName {
    # System.String[] -> String[]; generic types -> Name<Arg>.
    param([type] $Type)
    if ($Type.IsArray) { return (Get-TypeDisplayName $Type.GetElementType()) + '[]' }
    if ($Type.IsGenericType) {
        $typeArgs = ($Type.GetGenericArguments() | ForEach-Object { Get-TypeDisplayName $_ }) -join ', '
        return ($Type.Name -replace '`\d+$', '') + "<$typeArgs>"
    }
    $Type.Name
}

function Test-CommonParameter {
    param([string] $Name)
    [System.Management.Automation.Cmdlet]::CommonParameters.Contains($Name)
}

function Get-PipelineInput {
    # 'True (ByValue)', 'True (ByPropertyName)', 'True (ByValue, ByPropertyName)' or 'False'.
    param([bool] $ByValue, [bool] $ByPropertyName)
    $kinds = @(if ($ByValue) { 'ByValue' }; if ($ByPropertyName) { 'ByPropertyName' })
    if ($kinds.Count -eq 0) { 'False' } else { "True ($($kinds -join ', '))" }
}

function Get-ParameterDescription {
    # Paragraphs describing a parameter, or nothing (the caller reports it).
    param([hashtable] $Docs, [type] $Type, [string] $Name)
    $member = Find-PropertyDoc $Docs $Type $Name
    $summary = if ($member) { $member.SelectSingleNode('summary') }
    if ($summary) { return @(ConvertTo-Paragraph $summary) }
    if ($script:ShouldProcessDocs.ContainsKey($Name)) { return @($script:ShouldProcessDocs[$Name]) }
    @()
}

function Get-DefaultValue {
    # A default only when it cannot depend on the machine: string and enum initializers of the cmdlet class.
    param([object] $Instance, [string] $Name)
    if ($null -eq $Instance) { return 'None' }
    $property = $Instance.GetType().GetProperty($Name)
    if (-not $property) { return 'None' }
    $value = $property.GetValue($Instance)
    if ($value -is [string] -or ($null -ne $value -and $value.GetType().IsEnum)) { return [string]$value }
    'None'
}

function New-ParameterInfo {
    # One parameter as one parameter set sees it (Set is $null for the merged view of the Parameters section).
    param([string] $Name, [type] $Type, [bool] $Mandatory, [string] $Position, [string] $PipelineInput,
        [object[]] $Attributes, [string[]] $Aliases, [string[]] $Description, [string] $DefaultValue)
    [pscustomobject]@{
        Name          = $Name
        Type          = $Type
        Mandatory     = $Mandatory
        Position      = $Position
        PipelineInput = $PipelineInput
        Globbing      = [bool]($Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
        ValidValues   = @($Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | ForEach-Object ValidValues)
        Aliases       = @($Aliases)
        Description   = @($Description)
        DefaultValue  = $DefaultValue
        IsSwitch      = $Type -eq [System.Management.Automation.SwitchParameter]
    }
}

function Get-SyntaxParameter {
    # The parameters of one parameter set, in the order pwsh's own syntax uses: positional, mandatory, the rest.
    param([System.Management.Automation.CommandParameterSetInfo] $Set, [hashtable] $Descriptions, [hashtable] $Defaults)
    $params = foreach ($p in $Set.Parameters) {
        if (Test-CommonParameter $p.Name) { continue }
        $position = if ($p.Position -ge 0) { [string]$p.Position } else { 'named' }
        New-ParameterInfo -Name $p.Name -Type $p.ParameterType -Mandatory $p.IsMandatory -Position $position `
            -PipelineInput (Get-PipelineInput $p.ValueFromPipeline $p.ValueFromPipelineByPropertyName) `
            -Attributes $p.Attributes -Aliases $p.Aliases -Description $Descriptions[$p.Name] -DefaultValue $Defaults[$p.Name]
    }
    $positional = @($params | Where-Object Position -ne 'named' | Sort-Object { [int]$_.Position })
    $named = @($params | Where-Object Position -eq 'named')
    @($positional) + @($named | Where-Object Mandatory) + @($named | Where-Object { -not $_.Mandatory })
}

function Merge-ParameterInfo {
    # One entry per parameter for the Parameters section, by name: mandatory only if mandatory in every set, pipeline
    # input if any set takes it, the position of the first set that gives one.
    param([object[]] $PerSet)
    $merged = [ordered]@{}
    foreach ($group in $PerSet | Group-Object Name) {
        $first = $group.Group[0]
        $byValue = [bool]($group.Group | Where-Object PipelineInput -like '*ByValue*')
        $byProperty = [bool]($group.Group | Where-Object PipelineInput -like '*ByPropertyName*')
        $positioned = $group.Group | Where-Object Position -ne 'named' | Select-Object -First 1
        $copy = $first.PSObject.Copy()
        $copy.Mandatory = -not ($group.Group | Where-Object { -not $_.Mandatory })
        $copy.Position = if ($positioned) { $positioned.Position } else { 'named' }
        $copy.PipelineInput = Get-PipelineInput $byValue $byProperty
        $merged[$first.Name] = $copy
    }
    @($merged.Values)
}

function Get-OrderedParameterSet {
    # The default parameter set first, then the others as the cmdlet declares them.
    param([System.Management.Automation.CmdletInfo] $Command)
    @($Command.ParameterSets | Where-Object IsDefault) + @($Command.ParameterSets | Where-Object { -not $_.IsDefault })
}

function Get-CmdletHelp {
    # Everything the MAML for one cmdlet needs; problems (missing docs) are added to $Problems.
    param([System.Management.Automation.CmdletInfo] $Command, [hashtable] $Docs, [System.Collections.Generic.List[string]] $Problems)
    $type = $Command.ImplementingType
    $typeId = "T:$(Get-DocName $type)"
    $doc = $Docs[$typeId]
    $where = "$($Command.Name) ($typeId)"

    $summary = if ($doc) { $doc.SelectSingleNode('summary') }
    $synopsis = if ($summary) { (ConvertTo-Paragraph $summary) -join ' ' } else { '' }
    if (-not $synopsis) { $Problems.Add("$($where): no <summary> (synopsis) on the cmdlet class.") }

    $remarks = if ($doc) { $doc.SelectSingleNode('remarks') }
    $description = @(if ($remarks) { ConvertTo-Paragraph $remarks -Skip 'note' })
    if ($description.Count -eq 0) { $description = @($synopsis) }
    $notes = @(if ($remarks) { foreach ($n in $remarks.SelectNodes('.//note')) { ConvertTo-Paragraph $n } })

    $examples = @(if ($doc) { foreach ($e in $doc.SelectNodes('example')) { Get-ExampleHelp $e } })
    if ($examples.Count -eq 0) { $Problems.Add("$($where): no <example>.") }
    foreach ($e in $examples | Where-Object { -not $_.Code }) { $Problems.Add("$($where): an <example> has no <code>.") }

    $instance = try { [Activator]::CreateInstance($type) } catch { $null }
    $descriptions = @{}; $defaults = @{}
    foreach ($name in $Command.Parameters.Keys) {
        if (Test-CommonParameter $name) { continue }
        $descriptions[$name] = @(Get-ParameterDescription $Docs $type $name)
        $defaults[$name] = Get-DefaultValue $instance $name
        if ($descriptions[$name].Count -eq 0) {
            $Problems.Add("$($where): parameter -$name has no <summary> (looked for P:<class>.$name on $($type.Name) and its base classes).")
        }
    }

    $syntax = foreach ($set in Get-OrderedParameterSet $Command) {
        [pscustomobject]@{ Name = $set.Name; Parameters = @(Get-SyntaxParameter $set $descriptions $defaults) }
    }
    $parameters = Merge-ParameterInfo @($syntax | ForEach-Object Parameters)

    [pscustomobject]@{
        Name        = $Command.Name
        Verb        = $Command.Verb
        Noun        = $Command.Noun
        Synopsis    = $synopsis
        Description = $description
        Syntax      = @($syntax)
        Parameters  = $parameters
        Inputs      = @(Get-InputHelp $parameters)
        Outputs     = @(Get-OutputHelp $Command $Docs)
        Notes       = $notes
        Examples    = $examples
        Links       = @(Get-LinkHelp $doc)
    }
}

function Get-ExampleHelp {
    param([System.Xml.XmlElement] $Example)
    $code = $Example.SelectSingleNode('code')
    [pscustomobject]@{
        Code    = if ($code) { Format-Code $code.InnerText } else { '' }
        Remarks = @(ConvertTo-Paragraph $Example -Skip 'code')
    }
}

function Get-InputHelp {
    # What the pipeline can bring: one entry per type that a parameter takes from the pipeline (an array
    # parameter takes its elements), naming the parameters.
    param([object[]] $Parameters)
    $byType = [ordered]@{}
    foreach ($p in $Parameters | Where-Object PipelineInput -ne 'False') {
        $type = if ($p.Type.IsArray) { $p.Type.GetElementType() } else { $p.Type }
        $how = $p.PipelineInput -replace '^True \((.*)\)$', '$1'
        if (-not $byType.Contains($type.FullName)) { $byType[$type.FullName] = [System.Collections.Generic.List[string]]::new() }
        $byType[$type.FullName].Add("-$($p.Name) ($how): " + ($p.Description -join ' '))
    }
    foreach ($name in $byType.Keys) { [pscustomobject]@{ Type = $name; Description = @($byType[$name]) } }
}

function Get-OutputHelp {
    # [OutputType] types, described by their own <summary> when they have one.
    param([System.Management.Automation.CmdletInfo] $Command, [hashtable] $Docs)
    foreach ($output in $Command.OutputType) {
        $name = if ($output.Type) { $output.Type.FullName } else { $output.Name }
        $doc = if ($output.Type) { $Docs["T:$(Get-DocName $output.Type)"] }
        $summary = if ($doc) { $doc.SelectSingleNode('summary') }
        [pscustomobject]@{ Type = $name; Description = @(if ($summary) { ConvertTo-Paragraph $summary }) }
    }
}

function Get-LinkHelp {
    # about_ImageTools, then every <seealso cref|href> of the class.
    param([System.Xml.XmlElement] $Doc)
    [pscustomobject]@{ Text = 'about_ImageTools'; Uri = '' }
    if (-not $Doc) { return }
    foreach ($s in $Doc.SelectNodes('seealso')) {
        $text = if ($s.InnerText.Trim()) { $s.InnerText.Trim() } elseif ($s.HasAttribute('cref')) { Get-CrefText $s.GetAttribute('cref') } else { $s.GetAttribute('href') }
        [pscustomobject]@{ Text = $text; Uri = $s.GetAttribute('href') }
    }
}

#endregion

#region Writing MAML

function Write-Element {
    # <prefix:name attr...>text</prefix:name>; the writer escapes text and attribute values.
    param([System.Xml.XmlWriter] $W, [string] $Prefix, [string] $Name, [string] $Text = $null, [System.Collections.IDictionary] $Attributes = @{})
    $W.WriteStartElement($Prefix, $Name, $script:Ns[$Prefix])
    foreach ($key in $Attributes.Keys) { $W.WriteAttributeString($key, [string]$Attributes[$key]) }
    if ($null -ne $Text) { $W.WriteString($Text) }
    $W.WriteEndElement()
}

function Write-Description {
    # <maml:description> with one <maml:para> per paragraph.
    param([System.Xml.XmlWriter] $W, [string[]] $Paragraphs, [string] $Prefix = 'maml', [string] $Name = 'description')
    $W.WriteStartElement($Prefix, $Name, $script:Ns[$Prefix])
    foreach ($p in $Paragraphs) { Write-Element $W 'maml' 'para' $p }
    $W.WriteEndElement()
}

function Write-DevType {
    param([System.Xml.XmlWriter] $W, [string] $TypeName)
    $W.WriteStartElement('dev', 'type', $script:Ns.dev)
    Write-Element $W 'maml' 'name' $TypeName
    Write-Element $W 'maml' 'uri' ''
    $W.WriteEndElement()
}

function Write-Parameter {
    # One <command:parameter>; in a syntax item a switch has no value placeholder.
    param([System.Xml.XmlWriter] $W, [object] $P, [switch] $InSyntax)
    $W.WriteStartElement('command', 'parameter', $script:Ns.command)
    $W.WriteAttributeString('required', $P.Mandatory.ToString().ToLowerInvariant())
    $W.WriteAttributeString('variableLength', $P.Type.IsArray.ToString().ToLowerInvariant())
    $W.WriteAttributeString('globbing', $P.Globbing.ToString().ToLowerInvariant())
    $W.WriteAttributeString('pipelineInput', $P.PipelineInput)
    $W.WriteAttributeString('position', $P.Position)
    $W.WriteAttributeString('aliases', $(if ($P.Aliases.Count) { $P.Aliases -join ', ' } else { 'none' }))
    Write-Element $W 'maml' 'name' $P.Name
    Write-Description $W $P.Description
    if ($P.ValidValues.Count -gt 0) {
        $W.WriteStartElement('command', 'parameterValueGroup', $script:Ns.command)
        foreach ($v in $P.ValidValues) { Write-Element $W 'command' 'parameterValue' $v @{ required = 'false'; variableLength = 'false' } }
        $W.WriteEndElement()
    }
    if (-not ($InSyntax -and $P.IsSwitch)) {
        Write-Element $W 'command' 'parameterValue' (Get-TypeDisplayName $P.Type) @{ required = (-not $P.IsSwitch).ToString().ToLowerInvariant(); variableLength = $P.Type.IsArray.ToString().ToLowerInvariant() }
    }
    Write-DevType $W $P.Type.FullName
    Write-Element $W 'dev' 'defaultValue' $(if ($P.IsSwitch) { 'False' } else { $P.DefaultValue })
    $W.WriteEndElement()
}

function Write-Details {
    param([System.Xml.XmlWriter] $W, [object] $Help)
    $W.WriteStartElement('command', 'details', $script:Ns.command)
    Write-Element $W 'command' 'name' $Help.Name
    Write-Element $W 'command' 'verb' $Help.Verb
    Write-Element $W 'command' 'noun' $Help.Noun
    Write-Description $W @($Help.Synopsis)
    $W.WriteEndElement()
}

function Write-Syntax {
    param([System.Xml.XmlWriter] $W, [object] $Help)
    $W.WriteStartElement('command', 'syntax', $script:Ns.command)
    foreach ($item in $Help.Syntax) {
        $W.WriteStartElement('command', 'syntaxItem', $script:Ns.command)
        Write-Element $W 'maml' 'name' $Help.Name
        foreach ($p in $item.Parameters) { Write-Parameter $W $p -InSyntax }
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

function Write-Parameters {
    param([System.Xml.XmlWriter] $W, [object] $Help)
    $W.WriteStartElement('command', 'parameters', $script:Ns.command)
    foreach ($p in $Help.Parameters) { Write-Parameter $W $p }
    $W.WriteEndElement()
}

function Write-TypeList {
    # <command:inputTypes>/<command:inputType> or <command:returnValues>/<command:returnValue>.
    param([System.Xml.XmlWriter] $W, [string] $ListName, [string] $ItemName, [object[]] $Items)
    $W.WriteStartElement('command', $ListName, $script:Ns.command)
    foreach ($item in $Items) {
        $W.WriteStartElement('command', $ItemName, $script:Ns.command)
        Write-DevType $W $item.Type
        Write-Description $W $item.Description
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

function Write-Notes {
    # Only when there are notes: an empty alertSet still prints a NOTES heading.
    param([System.Xml.XmlWriter] $W, [object] $Help)
    if ($Help.Notes.Count -eq 0) { return }
    $W.WriteStartElement('maml', 'alertSet', $script:Ns.maml)
    Write-Element $W 'maml' 'title' ''
    foreach ($note in $Help.Notes) { Write-Description $W @($note) -Name 'alert' }
    $W.WriteEndElement()
}

function Write-Examples {
    param([System.Xml.XmlWriter] $W, [object] $Help)
    $W.WriteStartElement('command', 'examples', $script:Ns.command)
    $n = 0
    foreach ($example in $Help.Examples) {
        $n++
        $W.WriteStartElement('command', 'example', $script:Ns.command)
        Write-Element $W 'maml' 'title' "-------------------------- EXAMPLE $n --------------------------"
        Write-Element $W 'dev' 'code' $example.Code
        # The empty last paragraph keeps a blank line between one example and the next title.
        Write-Description $W (@($example.Remarks) + '') -Prefix 'dev' -Name 'remarks'
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

function Write-Links {
    param([System.Xml.XmlWriter] $W, [object] $Help)
    $W.WriteStartElement('command', 'relatedLinks', $script:Ns.command)
    foreach ($link in $Help.Links) {
        $W.WriteStartElement('maml', 'navigationLink', $script:Ns.maml)
        Write-Element $W 'maml' 'linkText' $link.Text
        Write-Element $W 'maml' 'uri' $link.Uri
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

function Write-Command {
    param([System.Xml.XmlWriter] $W, [object] $Help)
    $W.WriteStartElement('command', 'command', $script:Ns.command)
    Write-Details $W $Help
    Write-Description $W $Help.Description
    Write-Syntax $W $Help
    Write-Parameters $W $Help
    Write-TypeList $W 'inputTypes' 'inputType' $Help.Inputs
    Write-TypeList $W 'returnValues' 'returnValue' $Help.Outputs
    Write-Notes $W $Help
    Write-Examples $W $Help
    Write-Links $W $Help
    $W.WriteEndElement()
}

function Write-MamlFile {
    # UTF-8 (no BOM), indented, every namespace declared once on <helpItems>.
    param([string] $Path, [object[]] $Commands)
    $dir = Split-Path -Parent $Path
    if ($dir -and -not (Test-Path -LiteralPath $dir)) { New-Item -ItemType Directory -Force $dir | Out-Null }
    $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; IndentChars = '  '; Encoding = [System.Text.UTF8Encoding]::new($false) }
    $tmp = "$Path.tmp"
    $w = [System.Xml.XmlWriter]::Create($tmp, $settings)
    try {
        $w.WriteStartDocument()
        $w.WriteStartElement('helpItems', $script:Ns.msh)
        $w.WriteAttributeString('schema', 'maml')
        foreach ($prefix in 'maml', 'command', 'dev', 'MSHelp') {
            $w.WriteAttributeString('xmlns', $prefix, 'http://www.w3.org/2000/xmlns/', $script:Ns[$prefix])
        }
        foreach ($help in $Commands) { Write-Command $w $help }
        $w.WriteEndElement()
        $w.WriteEndDocument()
    }
    finally { $w.Dispose() }
    Move-Item -LiteralPath $tmp -Destination $Path -Force
}

#endregion

$docs = Read-XmlDoc $XmlDocPath
# A relative path without ./ would be taken for a module name.
$module = Import-Module (Resolve-Path -LiteralPath $ModulePath).ProviderPath -Force -PassThru
$commands = @(Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name)
if ($commands.Count -eq 0) { throw "Module $ModulePath exports no cmdlets." }

$problems = [System.Collections.Generic.List[string]]::new()
$help = foreach ($command in $commands) { Get-CmdletHelp $command $docs $problems }
if ($problems.Count -gt 0) {
    [Console]::Error.WriteLine("Help is incomplete; add the missing XML doc comments in the C# source:")
    foreach ($p in $problems) { [Console]::Error.WriteLine("  $p") }
    exit 1
}
Write-MamlFile $OutputPath $help
Write-Host "Wrote help for $($commands.Count) cmdlets to $OutputPath"
