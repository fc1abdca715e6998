<#
.SYNOPSIS
    Shared helpers for the ImageTools Pester tests: where the fixtures are, what the real tools (skopeo, tar,
    sha256sum, gzip) say about them, and independent digest/ChainID arithmetic. Nothing here uses the module.
#>


$script:FixtureRoot = Join-Path $PSScriptRoot 'Fixtures/data'

function Get-FixturePath {
    <# The full path of a fixture under tests/Fixtures/data (or the folder itself). #>
    param([string] $Name)
    if ($Name) { return (Join-Path $script:FixtureRoot $Name) }
    return $script:FixtureRoot
}

function Get-ExpectedJson {
    <# A recorded answer from tests/Fixtures/data/expected, parsed. #>
    param([Parameter(Mandatory)] [string] $Name)
    $path = Join-Path $script:FixtureRoot "expected/$Name"
    return (Get-Content -LiteralPath $path -Raw | ConvertFrom-Json -NoEnumerate)
}

function Invoke-Native {
    <# Runs a program through bash and returns stdout as one string; throws when it fails. #>
    param([Parameter(Mandatory)] [string] $Script, [string[]] $Arguments = @())
    $out = & bash -c $Script 'bash' @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "bash -c '$Script' $($Arguments -join ' ') failed ($LASTEXITCODE): $($out -join "`n")" }
    return ($out -join "`n")
}

function Invoke-Skopeo {
    <#
        skopeo inspect on a transport reference (e.g. "oci:/path:base:1.0"). -Raw: the manifest as stored (string);
        -Config: the config JSON; otherwise skopeo's summary. Parsed unless -AsText.
    #>
    param([Parameter(Mandatory)] [string] $Reference, [switch] $Raw, [switch] $Config, [switch] $AsText,
          [string[]] $Extra = @())
    $argList = @('--insecure-policy', 'inspect') + $Extra
    if ($Raw) { $argList += '--raw' }
    if ($Config) { $argList += '--config' }
    $argList += $Reference
    $out = & skopeo @argList 2>&1
    if ($LASTEXITCODE -ne 0) { throw "skopeo $($argList -join ' ') failed: $($out -join "`n")" }
    $text = $out -join "`n"
    if ($AsText) { return $text }
    return ($text | ConvertFrom-Json -NoEnumerate)
}

function Get-SkopeoDigest {
    <# sha256 of the exact bytes skopeo prints for --raw (manifest) or --raw --config (config = image ID). #>
    param([Parameter(Mandatory)] [string] $Reference, [switch] $Config, [string[]] $Extra = @())
    $flags = '--raw'
    if ($Config) { $flags = '--raw --config' }
    $extraText = ($Extra | ForEach-Object { "'$_'" }) -join ' '
    $hex = Invoke-Native "set -o pipefail; skopeo --insecure-policy inspect $extraText $flags `"`$1`" | sha256sum | cut -d' ' -f1" @($Reference)
    return "sha256:$($hex.Trim())"
}

function Get-Sha256Hex {
    <# sha256 of a byte array or a string (ASCII), as lowercase hex; computed with .NET, not the module. #>
    param([Parameter(Mandatory)] $InputObject)
    $bytes = if ($InputObject -is [byte[]]) { $InputObject } else { [System.Text.Encoding]::ASCII.GetBytes([string]$InputObject) }
    $sha = [System.Security.Cryptography.SHA256]::Create()
    try { return ([System.BitConverter]::ToString($sha.ComputeHash($bytes)) -replace '-', '').ToLowerInvariant() }
    finally { $sha.Dispose() }
}

function Get-FileDigestBySum {
    <# "sha256:<hex>" (or sha512) of a file according to coreutils sha256sum/sha512sum. -Decompress: gzip -dc / zstd -dc first. #>
    param([Parameter(Mandatory)] [string] $Path, [ValidateSet('sha256', 'sha512')] [string] $Algorithm = 'sha256',
          [ValidateSet('', 'gzip', 'zstd')] [string] $Decompress = '')
    $sum = "${Algorithm}sum"
    $script = if ($Decompress) { "set -o pipefail; $Decompress -dc < `"`$1`" | $sum | cut -d' ' -f1" } else { "$sum < `"`$1`" | cut -d' ' -f1" }
    return "${Algorithm}:$((Invoke-Native $script @($Path)).Trim())"
}

function Get-ChainIdList {
    <# ChainIDs from DiffIDs (image-spec config.md): ChainID(L0)=DiffID(L0); ChainID(n)=sha256("ChainID(n-1) DiffID(n)"). #>
    param([Parameter(Mandatory)] [string[]] $DiffId)
    $chain = [System.Collections.Generic.List[string]]::new()
    foreach ($d in $DiffId) {
        if ($chain.Count -eq 0) { $chain.Add($d) }
        else { $chain.Add('sha256:' + (Get-Sha256Hex "$($chain[$chain.Count - 1]) $d")) }
    }
    return , $chain.ToArray()
}

function Expand-TarToFolder {
    <# Extracts a tar with GNU tar into a new folder and returns the folder path. #>
    param([Parameter(Mandatory)] [string] $Archive, [Parameter(Mandatory)] [string] $Destination)
    New-Item -ItemType Directory -Force -Path $Destination | Out-Null
    Invoke-Native 'tar -xf "$1" -C "$2"' @($Archive, $Destination) | Out-Null
    return $Destination
}

function Get-TarMemberText {
    <# One member of a tar as text (GNU tar -xO). #>
    param([Parameter(Mandatory)] [string] $Archive, [Parameter(Mandatory)] [string] $Member)
    return (Invoke-Native 'tar -xOf "$1" "$2"' @($Archive, $Member))
}

function Get-TreeFingerprint {
    <# Relative path, size, mtime and sha256 of every file and folder under a path (or of one file), one line each. #>
    param([Parameter(Mandatory)] [string] $Path)
    $root = (Resolve-Path -LiteralPath $Path).Path
    $items = @(Get-Item -LiteralPath $root -Force) + @(Get-ChildItem -LiteralPath $root -Recurse -Force -ErrorAction SilentlyContinue)
    $lines = foreach ($i in $items | Sort-Object FullName) {
        $rel = $i.FullName.Substring($root.Length)
        if ($i.PSIsContainer) { "D $rel $($i.LastWriteTimeUtc.Ticks)" }
        else { "F $rel $($i.Length) $($i.LastWriteTimeUtc.Ticks) $((Get-FileHash -LiteralPath $i.FullName -Algorithm SHA256).Hash)" }
    }
    return ($lines -join "`n")
}

function Get-CompressionFromMagic {
    <# What the first bytes of a file say: Gzip (1f 8b), Zstd (28 b5 2f fd) or None. #>
    param([Parameter(Mandatory)] [string] $Path)
    $fs = [System.IO.File]::OpenRead($Path)
    try {
        $buf = [byte[]]::new(4); $n = $fs.Read($buf, 0, 4)
    } finally { $fs.Dispose() }
    if ($n -ge 2 -and $buf[0] -eq 0x1f -and $buf[1] -eq 0x8b) { return 'Gzip' }
    if ($n -ge 4 -and $buf[0] -eq 0x28 -and $buf[1] -eq 0xb5 -and $buf[2] -eq 0x2f -and $buf[3] -eq 0xfd) { return 'Zstd' }
    return 'None'
}

function ConvertTo-FamiliarName {
    <#
        docker's familiar form of a reference, written here from the distribution/reference rules (not the
        module's code): docker.io/library/x -> x, docker.io/u/x -> u/x, index.docker.io = docker.io.
    #>
    param([Parameter(Mandatory)] [string] $Reference)
    $r = $Reference -replace '^index\.docker\.io/', 'docker.io/'
    if ($r -like 'docker.io/library/*' -and ($r.Substring(18) -notmatch '/')) { return $r.Substring(18) }
    if ($r -like 'docker.io/*') { return $r.Substring(10) }
    return $r
}

function ConvertTo-FullName {
    <# The fully qualified form: base:1.0 -> docker.io/library/base:1.0 (a domain has '.', ':' or is localhost). #>
    param([Parameter(Mandatory)] [string] $Reference)
    $r = $Reference -replace '^index\.docker\.io/', 'docker.io/'
    $first = ($r -split '/')[0]
    if (($r -split '/').Count -gt 1 -and ($first -match '[.:]' -or $first -eq 'localhost')) { return $r }
    if ($r -notmatch '/') { return "docker.io/library/$r" }
    return "docker.io/$r"
}

function Get-OciIndexNames {
    <# The names in an OCI layout's index.json: io.containerd.image.name when present, else ref.name. #>
    param([Parameter(Mandatory)] [string] $IndexJson)
    $index = $IndexJson | ConvertFrom-Json
    foreach ($m in $index.manifests) {
        $a = $m.annotations
        if ($null -eq $a) { continue }
        $name = $a.'io.containerd.image.name'
        if (-not $name) { $name = $a.'org.opencontainers.image.ref.name' }
        if ($name) { [pscustomobject]@{ Name = $name; Digest = $m.digest; MediaType = $m.mediaType; Size = [long]$m.size } }
    }
}

$script:AllFixtures = @('oci-layout', 'oci-archive.tar', 'docker-archive.tar', 'docker-archive-gzip.tar', 'dir-base',
    'docker-save-legacy.tar', 'docker-save-untagged.tar', 'ctr-export.tar')

function Get-FixtureList { <# Every committed fixture store. #> return $script:AllFixtures }

function Get-FixtureImages {
    <#
        One hashtable per image a real tool says a fixture holds, built from the fixture's own name table
        (index.json annotations, manifest.json RepoTags; dir: has no names) and never from the module:
          Fixture, Path, Name (familiar, or $null), FullName, SkopeoRef (a reference skopeo can read),
          RootDigest (the root descriptor digest the store records, $null when the store keeps no manifest),
          RootMediaType, ConfigFile (docker manifest.json Config, else $null), IsDockerArchive, IsIndex.
    #>
    param([string[]] $Fixture = $script:AllFixtures)
    foreach ($f in $Fixture) {
        $path = Get-FixturePath $f
        switch -Wildcard ($f) {
            'oci-layout' {
                $ociNames = Get-OciIndexNames (Get-Content -LiteralPath (Join-Path $path 'index.json') -Raw)
                $refs = ((Get-Content -LiteralPath (Join-Path $path 'index.json') -Raw) | ConvertFrom-Json).manifests
                foreach ($n in $ociNames) {
                    $ref = ($refs | Where-Object { $_.digest -eq $n.Digest -and $_.annotations.'org.opencontainers.image.ref.name' -and ((ConvertTo-FullName $_.annotations.'org.opencontainers.image.ref.name') -eq (ConvertTo-FullName $n.Name)) } | Select-Object -First 1).annotations.'org.opencontainers.image.ref.name'
                    @{ Fixture = $f; Path = $path; Name = (ConvertTo-FamiliarName $n.Name); FullName = (ConvertTo-FullName $n.Name)
                       SkopeoRef = "oci:${path}:$ref"; RootDigest = $n.Digest; RootMediaType = $n.MediaType; RootSize = $n.Size
                       IsDockerArchive = $false; IsIndex = ($n.MediaType -like '*index*') }
                }
            }
            { $_ -in 'oci-archive.tar', 'ctr-export.tar' } {
                $indexJson = Get-TarMemberText $path 'index.json'
                $refs = ($indexJson | ConvertFrom-Json).manifests
                foreach ($n in Get-OciIndexNames $indexJson) {
                    $refName = ($refs | Where-Object digest -eq $n.Digest | Select-Object -First 1).annotations.'org.opencontainers.image.ref.name'
                    # skopeo 1.9's OCI transport skips descriptors with Docker media types: read those through manifest.json.
                    $skopeoRef = if ($n.MediaType -like 'application/vnd.oci.*') { "oci-archive:${path}:$refName" } else { "docker-archive:${path}:$(ConvertTo-FamiliarName $n.Name)" }
                    @{ Fixture = $f; Path = $path; Name = (ConvertTo-FamiliarName $n.Name); FullName = (ConvertTo-FullName $n.Name)
                       SkopeoRef = $skopeoRef; RootDigest = $n.Digest; RootMediaType = $n.MediaType; RootSize = $n.Size
                       IsDockerArchive = $false; IsIndex = ($n.MediaType -like '*index*') }
                }
            }
            'dir-base' {
                $hex = (Get-FileDigestBySum (Join-Path $path 'manifest.json'))
                $mt = ((Get-Content -LiteralPath (Join-Path $path 'manifest.json') -Raw) | ConvertFrom-Json).mediaType
                @{ Fixture = $f; Path = $path; Name = $null; FullName = $null; SkopeoRef = "dir:$path"; RootDigest = $hex
                   RootMediaType = $mt; RootSize = (Get-Item -LiteralPath (Join-Path $path 'manifest.json')).Length
                   IsDockerArchive = $false; IsIndex = $false }
            }
            default {
                $entries = @((Get-TarMemberText $path 'manifest.json') | ConvertFrom-Json -NoEnumerate)[0]
                for ($i = 0; $i -lt $entries.Count; $i++) {
                    $e = $entries[$i]
                    $tags = @($e.RepoTags | Where-Object { $_ })
                    if ($tags.Count -eq 0) {
                        @{ Fixture = $f; Path = $path; Name = $null; FullName = $null; SkopeoRef = "docker-archive:${path}:@$i"
                           RootDigest = $null; ConfigFile = $e.Config; Layers = @($e.Layers); IsDockerArchive = $true; IsIndex = $false }
                    }
                    foreach ($t in $tags) {
                        @{ Fixture = $f; Path = $path; Name = (ConvertTo-FamiliarName $t); FullName = (ConvertTo-FullName $t)
                           SkopeoRef = "docker-archive:${path}:$t"; RootDigest = $null; ConfigFile = $e.Config; Layers = @($e.Layers)
                           IsDockerArchive = $true; IsIndex = $false }
                    }
                }
            }
        }
    }
}

Export-ModuleMember -Function *
