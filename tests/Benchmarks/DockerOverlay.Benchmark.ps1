<#
.SYNOPSIS
    Benchmarks Get-OverlayDirectory over a synthetic Docker data root (2,000 layers in 100 images of 20 layers,
    500 containers) against the by-hand ways of mapping overlay2 directories, measured in the same run.
.DESCRIPTION
    Without -Size the reference is what an admin can do without a daemon: `find overlay2 -maxdepth 2 -name link | xargs cat`
    plus reading every layerdb cache-id and every container mount-id/init-id (docker inspect of every container needs
    a daemon). With -Size the reference is `du -s` over the same diff/ folders (issue 14: at most 1.5x its time).
    Writes one New-BenchmarkRow per measured work (the best of -Runs for each) and prints the ratios.
    Needs Linux; the synthetic root is written under a temp folder and removed afterwards.
.EXAMPLE
    dotnet pwsh tests/Benchmarks/DockerOverlay.Benchmark.ps1 -ModulePath ./out/ImageTools/ImageTools.psd1
#>
# BenchmarkNeeds: du find xargs bash
param(
    [Alias('Module')]
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ImageTools/ImageTools.psd1'),
    # 25 images (500 layers) and 125 containers instead of 100 and 500
    [switch] $Quick,
    [int] $Images = $(if ($Quick) { 25 } else { 100 }),
    [int] $LayersPerImage = 20,
    [int] $Containers = $(if ($Quick) { 125 } else { 500 }),
    [int] $FilesPerLayer = 5,
    [int] $Runs = 3,
    # keep the synthetic root (its path is printed) instead of removing it
    [switch] $Keep
)
$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path $ModulePath).Path -Force
Import-Module (Join-Path $PSScriptRoot 'BenchmarkRow.psm1') -Force
$sha = [Security.Cryptography.SHA256]::Create()
function Hex([string] $s) { -join ($sha.ComputeHash([Text.Encoding]::UTF8.GetBytes($s)) | ForEach-Object { $_.ToString('x2') }) }
function Write-Text([string] $path, [string] $text) { [IO.File]::WriteAllText($path, $text) }
$rand = [Random]::new(42)
$alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
function New-Short { -join (1..26 | ForEach-Object { $alphabet[$rand.Next(32)] }) }

$root = Join-Path ([IO.Path]::GetTempPath()) ("imagetools-bench-docker." + [Guid]::NewGuid().ToString('N').Substring(0, 8))
$ov = "$root/overlay2"; $img = "$root/image/overlay2"
New-Item -ItemType Directory "$ov/l", "$img/layerdb/sha256", "$img/layerdb/mounts", "$img/imagedb/content/sha256", "$img/imagedb/metadata/sha256", "$root/containers" | Out-Null
$payload = [byte[]]::new(4096); $rand.NextBytes($payload)
$chunks = @(0..($FilesPerLayer - 1) | ForEach-Object { [byte[]]$payload[0..(511 + 700 * ($_ % 5))] })
$links = [Text.StringBuilder]::new()   # the l/ symlinks, made by one shell at the end

function New-OverlayDir([string] $id, [string[]] $lowerShorts, [int] $files) {
    $short = New-Short
    [void][IO.Directory]::CreateDirectory("$ov/$id/diff/data"); [void][IO.Directory]::CreateDirectory("$ov/$id/work")
    for ($f = 0; $f -lt $files; $f++) { [IO.File]::WriteAllBytes("$ov/$id/diff/data/f$f.bin", $chunks[$f]) }
    Write-Text "$ov/$id/link" $short
    if ($lowerShorts.Count -gt 0) { Write-Text "$ov/$id/lower" (($lowerShorts | ForEach-Object { "l/$_" }) -join ':') }
    [void]$links.Append("ln -s ../$id/diff $short`n")
    $short
}

Write-Host "Writing a synthetic data root: $($Images * $LayersPerImage) layers, $Containers containers, under $root"
$sw = [Diagnostics.Stopwatch]::StartNew()
$imageTops = @()
$imageIds = @()
for ($i = 0; $i -lt $Images; $i++) {
    $diffIds = @(); $chain = $null; $shorts = @()
    for ($k = 0; $k -lt $LayersPerImage; $k++) {
        $diff = 'sha256:' + (Hex "image $i layer $k")
        $parent = $chain
        $chain = if ($null -eq $parent) { $diff } else { 'sha256:' + (Hex "$parent $diff") }
        $cache = Hex "cache $i $k"
        $d = "$img/layerdb/sha256/$($chain.Substring(7))"
        [void][IO.Directory]::CreateDirectory($d)
        Write-Text "$d/diff" $diff; Write-Text "$d/cache-id" $cache; Write-Text "$d/size" '12000'
        if ($parent) { Write-Text "$d/parent" $parent }
        $lowers = @($shorts); [array]::Reverse($lowers)
        $shorts += New-OverlayDir $cache $lowers $FilesPerLayer
        $diffIds += $diff
    }
    $config = @{ architecture = 'amd64'; os = 'linux'; created = '2024-01-01T00:00:00Z'; rootfs = @{ type = 'layers'; diff_ids = $diffIds } } | ConvertTo-Json -Compress -Depth 5
    $id = Hex $config
    Write-Text "$img/imagedb/content/sha256/$id" $config
    $imageTops += , @{ Chain = $chain; Shorts = $shorts }
    $imageIds += "sha256:$id"
}
$repos = @{ Repositories = @{} }
for ($i = 0; $i -lt $Images; $i++) { $repos.Repositories["bench/img$i"] = @{ "bench/img${i}:latest" = $imageIds[$i] } }
Write-Text "$img/repositories.json" ($repos | ConvertTo-Json -Compress -Depth 5)
for ($c = 0; $c -lt $Containers; $c++) {
    $i = $c % $Images
    $cid = Hex "container $c"; $mount = Hex "mount $c"
    $lowers = @($imageTops[$i].Shorts); [array]::Reverse($lowers)
    $initShort = New-OverlayDir "$mount-init" $lowers 1
    [void](New-OverlayDir $mount (@($initShort) + $lowers) 1)
    [void][IO.Directory]::CreateDirectory("$img/layerdb/mounts/$cid"); [void][IO.Directory]::CreateDirectory("$root/containers/$cid")
    Write-Text "$img/layerdb/mounts/$cid/mount-id" $mount; Write-Text "$img/layerdb/mounts/$cid/init-id" "$mount-init"
    Write-Text "$img/layerdb/mounts/$cid/parent" $imageTops[$i].Chain
    Write-Text "$root/containers/$cid/config.v2.json" (@{ ID = $cid; Name = "/c$c"; Image = $imageIds[$i]; Created = '2024-01-02T00:00:00Z'; Driver = 'overlay2'
        Config = @{ Image = "bench/img${i}:latest" }; State = @{ Running = $false; StartedAt = '0001-01-01T00:00:00Z' } } | ConvertTo-Json -Compress -Depth 5)
}
Write-Text "$root/links.sh" $links.ToString()
& bash -c "cd '$ov/l' && . '$root/links.sh'"
Remove-Item "$root/links.sh"
Write-Host ("  written in {0:N1} s" -f $sw.Elapsed.TotalSeconds)

function Measure-Best([scriptblock] $block) {
    $best = [double]::MaxValue
    for ($r = 0; $r -lt $Runs; $r++) {
        [GC]::Collect()
        $t = [Diagnostics.Stopwatch]::StartNew(); & $block | Out-Null; $t.Stop()
        $best = [Math]::Min($best, $t.Elapsed.TotalSeconds)
    }
    $best
}

try {
    # warm up (JIT, page cache)
    $n = @(Get-OverlayDirectory -Path $root).Count
    & bash -c "find '$ov' -maxdepth 2 -name link -print0 | xargs -0 cat >/dev/null; du -s '$ov'/*/diff >/dev/null"
    Write-Host "Get-OverlayDirectory maps $n directories."

    $ours = Measure-Best { Get-OverlayDirectory -Path $root }
    $ref = Measure-Best { & bash -c "cd '$root' && find overlay2 -maxdepth 2 -name link -print0 | xargs -0 cat >/dev/null && find image/overlay2/layerdb -name cache-id -o -name mount-id -o -name init-id | xargs cat >/dev/null" }
    $oursSize = Measure-Best { Get-OverlayDirectory -Path $root -Size }
    $du = Measure-Best { & bash -c "du -s '$ov'/*/diff >/dev/null" }

    $layers = $Images * $LayersPerImage
    Write-Host ('{0,-62} {1,8:N3} s' -f 'Get-OverlayDirectory (no -Size)', $ours)
    Write-Host ('{0,-62} {1,8:N3} s' -f 'find overlay2 -name link | xargs cat + cat cache-id/mount-id/init-id', $ref)
    Write-Host ('{0,-62} {1,8:N2}x' -f 'ratio (ours / by-hand; lower is better)', ($ours / $ref))
    Write-Host ('{0,-62} {1,8:N3} s' -f 'Get-OverlayDirectory -Size', $oursSize)
    Write-Host ('{0,-62} {1,8:N3} s' -f 'du -s overlay2/*/diff', $du)
    Write-Host ('{0,-62} {1,8:N2}x' -f 'ratio (ours / du; goal <= 1.5)', ($oursSize / $du))
    New-BenchmarkRow -Work "Get-OverlayDirectory, $layers layers + $Containers containers ($n dirs)" -Seconds $ours `
        -Reference 'find -name link | xargs cat + cache-id/mount-id/init-id' -ReferenceSeconds $ref
    New-BenchmarkRow -Work "Get-OverlayDirectory -Size, $layers layers + $Containers containers ($n dirs)" -Seconds $oursSize `
        -Reference 'du -s overlay2/*/diff' -ReferenceSeconds $du -GoalTimeRatio 1.5
}
finally {
    if ($Keep) { Write-Host "kept $root" }
    else {
        & chmod -R u+rwx $root 2>$null
        Remove-Item -Recurse -Force $root
    }
}
