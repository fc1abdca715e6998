<#
.SYNOPSIS
Benchmarks the layers cmdlets against the reference tools, in one run on the same data:
Expand-Image of a ~SizeMB image against `umoci unpack` and `tar -xzf` of the same layers, and Get-ImageLayerEntry
on a layer of -Entries entries against `tar -tvzf` (issue 14: at most 1.0x its time). Prints seconds and ratios
(ours / theirs; lower is better) and writes one New-BenchmarkRow per measured work.
Run as root (umoci unpack needs it for owners): dotnet pwsh tests/Benchmarks/Layers.Benchmark.ps1 [-SizeMB 1024] [-Entries 100000]
#>
# BenchmarkNeeds: root umoci python3 tar
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ImageTools/ImageTools.psd1'),
    # a 128 MB image and 20,000 entries instead of 1024 MB and 100,000
    [switch] $Quick,
    [int] $SizeMB = $(if ($Quick) { 128 } else { 1024 }),
    [int] $Entries = $(if ($Quick) { 20000 } else { 100000 }),
    # runs of the listing (the best counts)
    [int] $Runs = 3
)
$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path $ModulePath).Path -Force
Import-Module (Join-Path $PSScriptRoot 'BenchmarkRow.psm1') -Force
$tmp = (& mktemp -d /tmp/imagetools-layers-bench.XXXXXX)
try {
    $layout = "$tmp/layout"
    & umoci init --layout $layout | Out-Null
    & umoci new --image "${layout}:bench" | Out-Null
    & umoci unpack --image "${layout}:bench" "$tmp/b" | Out-Null
    # Two layers: many small files plus large files (half random, half compressible), then overwrites and deletions.
    $half = [int]($SizeMB / 2)
    & bash -c @"
set -e
r=$tmp/b/rootfs
mkdir -p `$r/small `$r/big
for d in `$(seq 1 40); do mkdir -p `$r/small/`$d; for f in `$(seq 1 250); do head -c 4096 /dev/urandom > `$r/small/`$d/`$f; done; done
n=`$(( ($half - 40) / 50 )); [ `$n -lt 1 ] && n=1
for i in `$(seq 1 `$n); do head -c 25M /dev/urandom > `$r/big/rand`$i; head -c 19M /dev/urandom | base64 -w 100 > `$r/big/text`$i; done
"@
    # --refresh-bundle: the second repack then adds a layer on top of this one (without it, it rebuilds the image
    # from the bundle's original manifest and puts everything in one layer)
    & umoci repack --refresh-bundle --image "${layout}:bench" "$tmp/b" | Out-Null
    & bash -c @"
set -e
r=$tmp/b/rootfs
mkdir -p `$r/more
n=`$(( $half / 50 )); [ `$n -lt 1 ] && n=1
for i in `$(seq 1 `$n); do head -c 25M /dev/urandom > `$r/more/rand`$i; head -c 19M /dev/urandom | base64 -w 100 > `$r/more/text`$i; done
rm -rf `$r/small/1; head -c 1M /dev/urandom > `$r/big/rand1
"@
    & umoci repack --image "${layout}:bench" "$tmp/b" | Out-Null
    & rm -rf "$tmp/b"
    $manifest = Get-ImageManifest -Path $layout -Name bench
    $blobs = $manifest.LayerDigests | ForEach-Object { "$layout/blobs/sha256/" + $_.Substring(7) }
    $uncompressed = (Get-ImageFileSystem -Path $layout -Name bench | Where-Object Type -eq File | Measure-Object Size -Sum).Sum
    Write-Host ("Image: {0} layers, {1:N0} MB compressed, {2:N0} MB of files in the final filesystem" -f @($blobs).Count, ($manifest.LayersSize / 1MB), ($uncompressed / 1MB))

    function Time([scriptblock] $b) { & sync; $w = [Diagnostics.Stopwatch]::StartNew(); & $b | Out-Null; $w.Stop(); $w.Elapsed.TotalSeconds }

    $ours = Time { Expand-Image -Path $layout -Name bench -DestinationPath "$tmp/ours" }
    & rm -rf "$tmp/ours"
    $umoci = Time { & umoci unpack --image "${layout}:bench" "$tmp/umoci" }
    & rm -rf "$tmp/umoci"
    New-Item -ItemType Directory "$tmp/tar" | Out-Null
    $tar = Time { foreach ($b in $blobs) { & tar -xzf $b -C "$tmp/tar" } }
    & rm -rf "$tmp/tar"
    $ours2 = Time { Expand-Image -Path $layout -Name bench -DestinationPath "$tmp/ours" }
    & rm -rf "$tmp/ours"
    $best = [math]::Min($ours, $ours2)
    Write-Host ("Expand-Image {0:N2}s (runs: {1:N2}s, {2:N2}s), umoci unpack {3:N2}s, tar -xzf {4:N2}s" -f $best, $ours, $ours2, $umoci, $tar)
    Write-Host ("  ratio vs umoci unpack: {0:N2} (goal <= 1.0); ratio vs tar -xf: {1:N2} (goal <= 1.5)" -f ($best / $umoci), ($best / $tar))
    New-BenchmarkRow -Work "Expand-Image, $SizeMB MB image" -Seconds $best -Reference 'umoci unpack' -ReferenceSeconds $umoci -GoalTimeRatio 1.0
    New-BenchmarkRow -Work "Expand-Image, $SizeMB MB image" -Seconds $best -Reference 'tar -xzf of each layer' -ReferenceSeconds $tar -GoalTimeRatio 1.5

    # A layer of $Entries small entries, written by python tarfile, added with umoci raw add-layer (gzip).
    & python3 -c @"
import io, tarfile
with tarfile.open('$tmp/many.tar', 'w', format=tarfile.PAX_FORMAT) as t:
    for i in range($Entries):
        ti = tarfile.TarInfo('d%03d/file-%06d.txt' % (i % 500, i)); data = b'x' * (i % 64); ti.size = len(data); ti.mtime = 1700000000
        t.addfile(ti, io.BytesIO(data))
"@
    & umoci new --image "${layout}:many" | Out-Null
    & umoci raw add-layer --image "${layout}:many" "$tmp/many.tar" | Out-Null
    $layer = Get-ImageLayer -Path $layout -Name many | Select-Object -Last 1
    $blob = "$layout/blobs/sha256/" + $layer.Digest.ToString().Substring(7)
    $script:count = @(Get-ImageLayerEntry -Path $layout -Name many).Count   # warm up (JIT, page cache)
    & bash -c "tar -tvzf '$blob' > /dev/null"
    $list = (1..$Runs | ForEach-Object { Time { $script:count = @(Get-ImageLayerEntry -Path $layout -Name many).Count } } | Measure-Object -Minimum).Minimum
    $tarList = (1..$Runs | ForEach-Object { Time { & bash -c "tar -tvzf '$blob' > /dev/null" } } | Measure-Object -Minimum).Minimum
    Write-Host ("Get-ImageLayerEntry {0:N2}s for {1:N0} entries, tar -tvzf {2:N2}s; ratio {3:N2} (goal <= 1.0)" -f $list, $count, $tarList, ($list / $tarList))
    Write-Host "  (the cmdlet's time includes PowerShell creating $count output objects; tar writes text to /dev/null)"
    New-BenchmarkRow -Work "Get-ImageLayerEntry, $count entries" -Seconds $list -Reference 'tar -tvzf' -ReferenceSeconds $tarList -GoalTimeRatio 1.0
}
finally {
    & rm -rf $tmp
}
