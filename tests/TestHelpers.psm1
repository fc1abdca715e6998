<#
.SYNOPSIS
    Shared helpers for the ImageTools Pester tests: where the fixtures are, what the real tools (skopeo, zstd, tar,
    sha256sum, gzip) say about them, and independent digest/ChainID arithmetic.
    skopeo and zstd answers about the committed fixtures are read from their recordings under Fixtures/data/expected
    (Fixtures/Record-ToolAnswers.ps1 makes them), so only tests about files they made need those tools installed.
    Only Assert-EveryBlobValid runs the module (Test-ImageBlob), to check it against the blob files themselves.
    Also: which real tools this machine can run (Get-RealToolNeed) and private dockerd/containerd daemons.
#>


$script:FixtureRoot = Join-Path $PSScriptRoot 'Fixtures/data'
$script:ExpectedRoot = Join-Path $script:FixtureRoot 'expected'

function Get-FixturePath {
    <# The full path of a fixture under tests/Fixtures/data (or the folder itself). #>
    param([string] $Name)
    if ($Name) { return (Join-Path $script:FixtureRoot $Name) }
    return $script:FixtureRoot
}

function Get-ExpectedJson {
    <# A recorded answer from tests/Fixtures/data/expected, parsed. #>
    param([Parameter(Mandatory)] [string] $Name)
    $path = Join-Path $script:ExpectedRoot $Name
    return (Get-Content -LiteralPath $path -Raw | ConvertFrom-Json -NoEnumerate)
}

function Invoke-Native {
    <# Runs a program through bash and returns stdout as one string; throws when it fails. #>
    param([Parameter(Mandatory)] [string] $Script, [string[]] $Arguments = @())
    $out = & bash -c $Script 'bash' @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "bash -c '$Script' $($Arguments -join ' ') failed ($LASTEXITCODE): $($out -join "`n")" }
    return ($out -join "`n")
}

function Get-SkopeoAnswerPath {
    <#
        Where skopeo's answer about a committed fixture is recorded (by tests/Fixtures/Record-ToolAnswers.ps1):
        data/expected/skopeo/<transport>_<path below data>[_<ref>][+<overrides>].<kind>.json, every character
        outside [A-Za-z0-9.+_-] written as '_' (oci:<data>/oci-layout:base:1.0, --raw: oci_oci-layout_base_1.0.raw.json).
        $null for a reference outside tests/Fixtures/data: a file the test made, which only skopeo itself can answer.
    #>
    param([Parameter(Mandatory)] [string] $Reference, [Parameter(Mandatory)] [ValidateSet('inspect', 'raw', 'config', 'raw-config')] [string] $Kind,
          [string[]] $Extra = @())
    $transport, $rest = $Reference -split ':', 2
    $prefix = $script:FixtureRoot + '/'
    if (-not $rest -or -not $rest.StartsWith($prefix, [StringComparison]::Ordinal)) { return $null }
    $name = "${transport}_$($rest.Substring($prefix.Length))"
    if ($Extra) { $name += '+' + (($Extra | ForEach-Object { $_ -replace '^--override-', '' }) -join '_') }
    return (Join-Path $script:ExpectedRoot ("skopeo/" + ("$name.$Kind.json" -replace '[^A-Za-z0-9.+_-]', '_')))
}

function Get-SkopeoAnswer {
    <# The recorded answer for a committed fixture (its path), $null for any other reference; throws when the recording is missing. #>
    param([string] $Reference, [string] $Kind, [string[]] $Extra)
    $path = Get-SkopeoAnswerPath -Reference $Reference -Kind $Kind -Extra $Extra
    if ($path -and -not (Test-Path -LiteralPath $path)) {
        throw "No recorded answer $path for skopeo inspect ($Kind) $($Extra -join ' ') ${Reference}: record it with tests/Fixtures/Record-ToolAnswers.ps1"
    }
    return $path
}

function Get-SkopeoKind([switch] $Raw, [switch] $Config) {
    if ($Raw -and $Config) { return 'raw-config' }
    if ($Raw) { return 'raw' }
    if ($Config) { return 'config' }
    return 'inspect'
}

function Invoke-Skopeo {
    <#
        skopeo inspect on a transport reference (e.g. "oci:/path:base:1.0"). -Raw: the manifest as stored (string);
        -Config: the config JSON; otherwise skopeo's summary. Parsed unless -AsText. For the committed fixtures this is
        skopeo's recorded answer (Get-SkopeoAnswerPath); skopeo runs only on files the test made.
    #>
    param([Parameter(Mandatory)] [string] $Reference, [switch] $Raw, [switch] $Config, [switch] $AsText,
          [string[]] $Extra = @())
    $recorded = Get-SkopeoAnswer -Reference $Reference -Kind (Get-SkopeoKind -Raw:$Raw -Config:$Config) -Extra $Extra
    if ($recorded) {
        # as a live call reads it: the lines of stdout joined by "`n", without the final newline
        $text = [IO.File]::ReadAllText($recorded) -replace '\r?\n$', ''
    } else {
        $argList = @('--insecure-policy', 'inspect') + $Extra
        if ($Raw) { $argList += '--raw' }
        if ($Config) { $argList += '--config' }
        $argList += $Reference
        $out = & skopeo @argList 2>&1
        if ($LASTEXITCODE -ne 0) { throw "skopeo $($argList -join ' ') failed: $($out -join "`n")" }
        $text = $out -join "`n"
    }
    if ($AsText) { return $text }
    return ($text | ConvertFrom-Json -NoEnumerate)
}

function Get-SkopeoDigest {
    <#
        sha256 of the exact bytes skopeo prints for --raw (manifest) or --raw --config (config = image ID): of its
        recorded answer for a committed fixture, of its live output for a file the test made.
    #>
    param([Parameter(Mandatory)] [string] $Reference, [switch] $Config, [string[]] $Extra = @())
    $recorded = Get-SkopeoAnswer -Reference $Reference -Kind (Get-SkopeoKind -Raw -Config:$Config) -Extra $Extra
    if ($recorded) { return (Get-FileDigestBySum $recorded) }
    $flags = '--raw'
    if ($Config) { $flags = '--raw --config' }
    $extraText = ($Extra | ForEach-Object { "'$_'" }) -join ' '
    $hex = Invoke-Native "set -o pipefail; skopeo --insecure-policy inspect $extraText $flags `"`$1`" | sha256sum | cut -d' ' -f1" @($Reference)
    return "sha256:$($hex.Trim())"
}

function Get-ZstdOutput {
    <#
        A file holding what `zstd -dc` writes for the file at Path: the recording data/expected/zstd/<sha256 of the
        input>.tar made by tests/Fixtures/Record-ToolAnswers.ps1 for the committed blobs, else zstd run now (into a
        temp file named the same way).
    #>
    param([Parameter(Mandatory)] [string] $Path)
    $hex = (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash.ToLowerInvariant()
    $recorded = Join-Path $script:ExpectedRoot "zstd/$hex.tar"
    if (Test-Path -LiteralPath $recorded) { return $recorded }
    $live = Join-Path ([IO.Path]::GetTempPath()) "imagetools-zstd-$hex.tar"
    Invoke-Native 'zstd -dc < "$1" > "$2.part" && mv "$2.part" "$2"' @($Path, $live) | Out-Null
    return $live
}

function Get-UmociStat {
    <#
        umoci stat --json of "<layout>:<ref>", parsed: what New-Fixtures.sh recorded (expected/oci-layout.<ref>.umoci-stat.json)
        for the committed layout, umoci run now for any other.
    #>
    param([Parameter(Mandatory)] [string] $Layout, [Parameter(Mandatory)] [string] $Ref)
    if ($Layout -eq (Get-FixturePath 'oci-layout')) { return (Get-ExpectedJson "oci-layout.$($Ref -replace ':', '_').umoci-stat.json") }
    return ((Invoke-Native 'umoci stat --json --image "$1"' @("${Layout}:$Ref")) | ConvertFrom-Json)
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
    <# "sha256:<hex>" (or sha512) of a file according to coreutils sha256sum/sha512sum. -Decompress: gzip -dc / zstd -dc (Get-ZstdOutput) first. #>
    param([Parameter(Mandatory)] [string] $Path, [ValidateSet('sha256', 'sha512')] [string] $Algorithm = 'sha256',
          [ValidateSet('', 'gzip', 'zstd')] [string] $Decompress = '')
    $sum = "${Algorithm}sum"
    if ($Decompress -eq 'zstd') { $Path = Get-ZstdOutput $Path; $Decompress = '' }
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

function Get-StoredBlobDigest {
    <# "sha256:<hex>" of every blob an OCI layout folder or archive holds under blobs/sha256 (the folder's files, or GNU tar's listing), sorted. #>
    param([Parameter(Mandatory)] [string] $Store)
    $names = if (Test-Path -LiteralPath $Store -PathType Container) { (Get-ChildItem -LiteralPath (Join-Path $Store 'blobs/sha256') -File).Name }
             else { (Invoke-Native 'tar -tf "$1"' @($Store)) -split "`n" | Where-Object { $_ -like 'blobs/sha256/?*' } | ForEach-Object { $_.Substring(13) } }
    return @($names | ForEach-Object { "sha256:$_" } | Sort-Object)
}

function Assert-EveryBlobValid {
    <#
        The module's Test-ImageBlob (imported by the test) checked every blob the store holds, as Get-StoredBlobDigest
        lists them, and found each one valid: an empty answer or a skipped blob fails, not only a bad one.
    #>
    param([Parameter(Mandatory)] [string] $Store, [switch] $DiffId)
    $checked = @(Test-ImageBlob -Path $Store -DiffId:$DiffId)
    $stored = @(Get-StoredBlobDigest $Store)
    $stored.Count | Should -BeGreaterThan 0
    @($checked | ForEach-Object { "$($_.Digest)" } | Sort-Object -Unique) | Should -Be $stored
    $checked | Where-Object Status -ne Valid | ForEach-Object { "$($_.Digest) $($_.Status)" } | Should -BeNullOrEmpty
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

# --- Real tools this machine can run, and private daemons for the live interop tests ---
# Tests that need a tool declare it with Get-RealToolNeed; dockerd and containerd run private (own root in a temp
# folder, a unix socket there) and are stopped by the PID we started, never by name.

# The daemons, and the clients that only talk to a private daemon we start: these need root as well.
$script:RootTools = @('dockerd', 'containerd', 'ctr', 'runc', 'docker')

function Test-RealTool([string[]] $Name) {
    <# Whether every tool named is installed (and, for the daemons, whether we are root to run them). #>
    @(Get-MissingRealTool $Name).Count -eq 0
}

function Get-MissingRealTool([string[]] $Name) {
    <# The tools named that this machine cannot run: not installed, or a daemon and not root. #>
    $isRoot = $IsLinux -and ((& id -u) -eq '0')
    foreach ($n in $Name) {
        $found = [bool](Get-Command $n -CommandType Application -ErrorAction SilentlyContinue)
        if (-not $found -or ($n -in $script:RootTools -and -not $isRoot)) { $n }
    }
}

function Get-RealToolNeed([string[]] $Name) {
    <#
        Splat it on a Describe, Context or It that runs real tools live (`$needs = Get-RealToolNeed skopeo` in
        BeforeDiscovery, then `It 'name' @needs { }`): tags it 'needs:<tool>' for each tool, which the run's summary
        counts skips by, and skips it when one of them is missing.
    #>
    @{ Tag = @($Name | ForEach-Object { "needs:$_" }); Skip = -not (Test-RealTool $Name) }
}

function Wait-Until([scriptblock] $Condition, [int] $Seconds = 30, [string] $What) {
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        if (& $Condition) { return }
        Start-Sleep -Milliseconds 200
    }
    throw "Timed out after $Seconds s waiting for $What"
}

function Start-PrivateDockerd {
    $dir = Join-Path ([IO.Path]::GetTempPath()) "it-dockerd-$([guid]::NewGuid().ToString('N').Substring(0,8))"
    New-Item -ItemType Directory -Force $dir | Out-Null
    $sock = "$dir/docker.sock"
    $log = "$dir/dockerd.log"
    $p = Start-Process -FilePath dockerd -PassThru -RedirectStandardError $log -RedirectStandardOutput "$dir/dockerd.out" -ArgumentList @(
        '--data-root', "$dir/root", '--exec-root', "$dir/exec", '--host', "unix://$sock", '--pidfile', "$dir/dockerd.pid",
        '--storage-driver', 'overlay2', '--iptables=false', '--ip6tables=false', '--bridge=none')
    $d = [pscustomobject]@{ Process = $p; Dir = $dir; Socket = $sock; Log = $log }
    try { Wait-Until { & /usr/bin/docker -H "unix://$sock" version *> $null; $LASTEXITCODE -eq 0 } 60 'dockerd' }
    catch { Stop-PrivateDockerd $d; throw "dockerd did not start: $(Get-Content $log -Tail 20 -ErrorAction SilentlyContinue)" }
    $d
}

function Invoke-PrivateDocker($Daemon, [string[]] $Arguments) {
    $out = & /usr/bin/docker -H "unix://$($Daemon.Socket)" @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "docker $($Arguments -join ' ') failed: $out" }
    $out
}

function Stop-PrivateDockerd($Daemon) {
    if (-not $Daemon) { return }
    if (-not $Daemon.Process.HasExited) {
        Stop-Process -Id $Daemon.Process.Id -ErrorAction SilentlyContinue
        if (-not $Daemon.Process.WaitForExit(20000)) { Stop-Process -Id $Daemon.Process.Id -Force -ErrorAction SilentlyContinue }
    }
    Remove-PrivateRoot $Daemon.Dir
}

function Start-PrivateContainerd {
    $dir = Join-Path ([IO.Path]::GetTempPath()) "it-containerd-$([guid]::NewGuid().ToString('N').Substring(0,8))"
    New-Item -ItemType Directory -Force $dir | Out-Null
    $sock = "$dir/ctrd.sock"
    @"
version = 2
root = "$dir/root"
state = "$dir/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$sock"
[ttrpc]
  address = "$sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/opt"
"@ | Set-Content "$dir/config.toml"
    $log = "$dir/containerd.log"
    $p = Start-Process -FilePath containerd -PassThru -RedirectStandardError $log -RedirectStandardOutput "$dir/containerd.out" -ArgumentList @('--config', "$dir/config.toml")
    $c = [pscustomobject]@{ Process = $p; Dir = $dir; Socket = $sock; Root = "$dir/root"; Log = $log }
    try { Wait-Until { & ctr -a $sock version *> $null; $LASTEXITCODE -eq 0 } 60 'containerd' }
    catch { Stop-PrivateContainerd $c; throw "containerd did not start: $(Get-Content $log -Tail 20 -ErrorAction SilentlyContinue)" }
    $c
}

function Invoke-PrivateCtr($Daemon, [string[]] $Arguments) {
    $out = & ctr -a $Daemon.Socket @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "ctr $($Arguments -join ' ') failed: $out" }
    $out
}

function Stop-PrivateContainerd($Daemon, [switch] $KeepRoot) {
    if (-not $Daemon) { return }
    if (-not $Daemon.Process.HasExited) {
        Stop-Process -Id $Daemon.Process.Id -ErrorAction SilentlyContinue
        if (-not $Daemon.Process.WaitForExit(20000)) { Stop-Process -Id $Daemon.Process.Id -Force -ErrorAction SilentlyContinue }
    }
    if (-not $KeepRoot) { Remove-PrivateRoot $Daemon.Dir }
}

function Remove-PrivateRoot([string] $Dir) {
    if (-not $Dir -or -not (Test-Path $Dir)) { return }
    # Unmount anything a daemon left mounted below its root, deepest first, then make mode-0000 folders removable.
    Get-Content /proc/self/mounts | ForEach-Object { ($_ -split ' ')[1] } | Where-Object { $_.StartsWith($Dir) } |
        Sort-Object Length -Descending | ForEach-Object { & umount -l $_ 2>$null }
    & chmod -R u+rwx $Dir 2>$null
    Remove-Item -Recurse -Force $Dir -ErrorAction SilentlyContinue
}

function Invoke-WithoutHost {
    <# Runs a script block in a PowerShell of its own, with the module imported and no host: ShouldProcess writes its
       "What if:" lines to the host, past every stream redirection, so a -WhatIf test runs here to keep the output clean.
       Returns the output; errors come back as non-terminating errors, warnings as warnings. #>
    param([Parameter(Mandatory)][scriptblock] $ScriptBlock, [object[]] $ArgumentList = @())
    $run = Invoke-InOwnPowerShell $ScriptBlock $ArgumentList
    foreach ($e in $run.Errors) { Write-Error -ErrorRecord $e }
    foreach ($w in $run.Warnings) { Write-Warning $w.Message }
    $run.Output
}

function Invoke-InOwnPowerShell {
    <# Runs a script block in a hostless PowerShell with the module imported; returns its Output and what it wrote to
       the other streams (Errors, Warnings, Progress: every ProgressRecord in the order written). #>
    param([Parameter(Mandatory)][scriptblock] $ScriptBlock, [object[]] $ArgumentList = @())
    $ps = [powershell]::Create()
    try {
        $null = $ps.AddCommand('Import-Module').AddParameter('Name', $env:IMAGETOOLS_MODULE).AddStatement()
        $null = $ps.AddScript('$ProgressPreference = "Continue"').AddStatement()
        $null = $ps.AddScript($ScriptBlock.ToString())
        foreach ($a in $ArgumentList) { $null = $ps.AddArgument($a) }
        $out = $ps.Invoke()
        [pscustomobject]@{ Output = @($out); Errors = @($ps.Streams.Error); Warnings = @($ps.Streams.Warning); Progress = @($ps.Streams.Progress) }
    } finally { $ps.Dispose() }
}

Export-ModuleMember -Function *
