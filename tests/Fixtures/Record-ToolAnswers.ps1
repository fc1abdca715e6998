<#
.SYNOPSIS
    Records what skopeo and zstd answer about the committed fixtures in data/, so that the tests read those answers
    instead of running the tools (Invoke-Skopeo, Get-SkopeoDigest and Get-ZstdOutput in ../TestHelpers.psm1).
.DESCRIPTION
    data/expected/skopeo/<name>.<kind>.json: the exact stdout of `skopeo --insecure-policy inspect [overrides]
    [--raw] [--config] <reference>` for every image of every fixture (Get-FixtureImages) and kind (inspect, raw,
    config, raw-config), and for each platform of an index with the overrides the tests use (--override-arch,
    -variant, -os). data/expected/zstd/<sha256 of the blob>.tar: the exact stdout of `zstd -dc` for every zstd
    blob under data/. New-Fixtures.sh runs this last; run it alone (skopeo 1.9.3 and zstd installed, no root
    needed) after changing a fixture: `dotnet pwsh -NoProfile -File tests/Fixtures/Record-ToolAnswers.ps1`.
#>
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
$expected = Join-Path (Get-FixturePath) 'expected'

function Save-Stdout([string] $Script, [string[]] $Arguments, [string] $Destination) {
    # through bash so that the bytes land in the file exactly as the tool wrote them
    & bash -c "$Script > `"`$0`"" $Destination @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Script $($Arguments -join ' ') failed ($LASTEXITCODE)" }
}

function Get-OverrideSets($Image) {
    # the platform picks the tests ask for: by architecture (and variant), with and without the OS
    , @()
    if (-not $Image.IsIndex) { return }
    $index = (& skopeo --insecure-policy inspect --raw $Image.SkopeoRef) -join "`n" | ConvertFrom-Json
    foreach ($p in $index.manifests.platform) {
        $arch = @('--override-arch', $p.architecture)
        $variant = if ($p.PSObject.Properties['variant'] -and $p.variant) { @('--override-variant', $p.variant) } else { @() }
        , $arch
        , (@('--override-os', $p.os) + $arch)
        if ($variant) { , ($arch + $variant); , (@('--override-os', $p.os) + $arch + $variant) }
    }
}

$skopeoDir = Join-Path $expected 'skopeo'
if (Test-Path $skopeoDir) { Remove-Item -Recurse -Force $skopeoDir }
New-Item -ItemType Directory $skopeoDir | Out-Null
$kinds = [ordered]@{ 'inspect' = @(); 'raw' = @('--raw'); 'config' = @('--config'); 'raw-config' = @('--raw', '--config') }
foreach ($image in Get-FixtureImages) {
    foreach ($extra in Get-OverrideSets $image) {
        foreach ($kind in $kinds.Keys) {
            $path = Get-SkopeoAnswerPath -Reference $image.SkopeoRef -Kind $kind -Extra $extra
            Save-Stdout 'skopeo --insecure-policy inspect "$@"' (@($extra) + $kinds[$kind] + $image.SkopeoRef) $path
        }
    }
}

$zstdDir = Join-Path $expected 'zstd'
if (Test-Path $zstdDir) { Remove-Item -Recurse -Force $zstdDir }
New-Item -ItemType Directory $zstdDir | Out-Null
$zstdMagic = [byte[]](0x28, 0xb5, 0x2f, 0xfd)
foreach ($f in Get-ChildItem (Get-FixturePath) -File -Recurse | Where-Object { -not $_.FullName.StartsWith($expected) }) {
    $head = [byte[]]::new(4)
    $s = [IO.File]::OpenRead($f.FullName)
    try { $n = $s.Read($head, 0, 4) } finally { $s.Dispose() }
    if ($n -lt 4 -or [Convert]::ToHexString($head) -ne [Convert]::ToHexString($zstdMagic)) { continue }
    $hex = (Get-FileHash -LiteralPath $f.FullName -Algorithm SHA256).Hash.ToLowerInvariant()
    Save-Stdout 'zstd -dc < "$1"' @($f.FullName) (Join-Path $zstdDir "$hex.tar")
}
Write-Host "Recorded $(@(Get-ChildItem $skopeoDir).Count) skopeo and $(@(Get-ChildItem $zstdDir).Count) zstd answers under $expected"
