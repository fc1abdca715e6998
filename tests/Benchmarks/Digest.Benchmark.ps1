<#
.SYNOPSIS
    Speed and memory of digesting, DiffIDs and listing, against openssl, sha256sum and gzip in the same run.
.DESCRIPTION
    Builds its data in a temp folder (a 1 GiB random blob, a ~1 GiB gzip layer of real files, an oci-archive
    holding that layer), then prints each figure with the reference tool's and the ratio. Not part of the test run.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Build; dotnet pwsh tests/Benchmarks/Digest.Benchmark.ps1
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ImageTools/ImageTools.psd1'),
    [int] $SizeMiB = 1024,
    [string] $WorkPath = (Join-Path ([IO.Path]::GetTempPath()) "imagetools-bench-$PID")
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
New-Item -ItemType Directory -Force $WorkPath | Out-Null

function Time([scriptblock] $Block) { $sw = [Diagnostics.Stopwatch]::StartNew(); & $Block | Out-Null; $sw.Elapsed.TotalSeconds }
function Best([scriptblock] $Block, [int] $Runs = 3) { (1..$Runs | ForEach-Object { Time $Block } | Measure-Object -Minimum).Minimum }
function Row($What, $Ours, $Theirs, $TheirName, [double] $Bytes) {
    '{0,-44} ImageTools {1,6:N2} s ({2,6:N0} MB/s)   {3,-22} {4,6:N2} s   ratio {5,5:N2}x' -f $What, $Ours, ($Bytes / $Ours / 1e6), $TheirName, $Theirs, ($Theirs / $Ours)
}
function ReadBytes { [long](((Get-Content /proc/self/io) -match '^rchar:')[0] -replace '\D', '') }

try {
    $blob = Join-Path $WorkPath 'blob.bin'
    $layer = Join-Path $WorkPath 'layer.tar.gz'
    if (-not (Test-Path $blob)) { & head -c "$($SizeMiB)M" /dev/urandom > $blob }
    if (-not (Test-Path $layer)) {
        # Real files compress like real layers; repeat /usr until the tar reaches the size.
        & bash -c "for i in 1 2 3 4 5 6 7 8; do tar -cf - /usr/lib /usr/share 2>/dev/null; done | head -c $($SizeMiB)M | gzip -1 > '$layer'"
    }
    $blobBytes = (Get-Item $blob).Length
    Get-Content $blob -AsByteStream -ReadCount 0 -TotalCount 1 | Out-Null   # warm the page cache
    & cat $blob $layer > /dev/null

    Write-Host "Digest verification, $([math]::Round($blobBytes / 1MB)) MiB random blob (best of 3, warm cache):"
    $ours = Best { Get-ContentDigest -LiteralPath $blob }
    $openssl = Best { & openssl dgst -sha256 $blob }
    $sha256sum = Best { & sha256sum $blob }
    Row 'Get-ContentDigest vs openssl dgst -sha256' $ours $openssl 'openssl dgst -sha256' $blobBytes
    Row 'Get-ContentDigest vs sha256sum' $ours $sha256sum 'sha256sum' $blobBytes

    $plain = Get-ContentDigest -LiteralPath $layer -Uncompressed   # once: its Size here, its Digest (the DiffID) for the layout below
    $plainBytes = $plain.Size
    Write-Host "DiffID of a gzip layer ($([math]::Round((Get-Item $layer).Length / 1MB)) MiB compressed, $([math]::Round($plainBytes / 1MB)) MiB plain):"
    $ours = Best { Get-ContentDigest -LiteralPath $layer -Uncompressed }
    $gzip = Best { & bash -c "gzip -dc '$layer' | sha256sum" }
    Row 'DiffID vs gzip -dc | sha256sum' $ours $gzip 'gzip -dc | sha256sum' $plainBytes

    # Memory: peak working set of a fresh process verifying the layer (digest and DiffID) as a blob of a layout.
    $layout = Join-Path $WorkPath 'layout'
    if (-not (Test-Path $layout)) {
        New-Item -ItemType Directory -Force "$layout/blobs/sha256" | Out-Null
        '{"imageLayoutVersion":"1.0.0"}' | Set-Content -NoNewline "$layout/oci-layout"
        $layerDigest = (Get-ContentDigest -LiteralPath $layer).Digest
        $diffId = $plain.Digest
        Copy-Item $layer "$layout/blobs/sha256/$($layerDigest -replace "^sha256:")"
        $config = [Text.Encoding]::UTF8.GetBytes((@{ architecture = 'amd64'; os = 'linux'; rootfs = @{ type = 'layers'; diff_ids = @("$diffId") } } | ConvertTo-Json -Compress))
        $configFile = "$WorkPath/config.json"; [IO.File]::WriteAllBytes($configFile, $config)
        $configDigest = (Get-ContentDigest -LiteralPath $configFile).Digest
        Copy-Item $configFile "$layout/blobs/sha256/$($configDigest -replace "^sha256:")"
        $manifest = [Text.Encoding]::UTF8.GetBytes((@{ schemaVersion = 2; mediaType = 'application/vnd.oci.image.manifest.v1+json'
                    config = @{ mediaType = 'application/vnd.oci.image.config.v1+json'; digest = "$configDigest"; size = $config.Length }
                    layers = @(@{ mediaType = 'application/vnd.oci.image.layer.v1.tar+gzip'; digest = "$layerDigest"; size = (Get-Item $layer).Length }) } | ConvertTo-Json -Depth 5 -Compress))
        $manifestFile = "$WorkPath/manifest.json"; [IO.File]::WriteAllBytes($manifestFile, $manifest)
        $manifestDigest = (Get-ContentDigest -LiteralPath $manifestFile).Digest
        Copy-Item $manifestFile "$layout/blobs/sha256/$($manifestDigest -replace "^sha256:")"
        (@{ schemaVersion = 2; manifests = @(@{ mediaType = 'application/vnd.oci.image.manifest.v1+json'; digest = "$manifestDigest"; size = $manifest.Length
                        annotations = @{ 'org.opencontainers.image.ref.name' = 'big:1.0' } }) } | ConvertTo-Json -Depth 5 -Compress) | Set-Content -NoNewline "$layout/index.json"
    }
    $pwsh = (Get-Process -Id $PID).Path
    $pwshArgs = @(); if ((Split-Path -Leaf $pwsh) -like 'dotnet*') { $pwshArgs += (Join-Path $PSHOME 'pwsh.dll') }
    $probe = "Import-Module '$ModulePath'; `$p = [Diagnostics.Process]::GetCurrentProcess(); `$p.Refresh(); `$before = `$p.PeakWorkingSet64; " +
             "`$r = Test-ImageBlob -Path '$layout' -DiffId; `$p.Refresh(); '{0} {1} {2}' -f `$before, `$p.PeakWorkingSet64, ((`$r | Where-Object Status -ne Valid).Count)"
    $mem = (& $pwsh @pwshArgs -NoProfile -NonInteractive -Command $probe) -split ' '
    Write-Host ('Memory: Test-ImageBlob -DiffId of the {0:N0} MiB layer grew peak working set by {1:N1} MiB (before {2:N0} MiB, after {3:N0} MiB; failures: {4}); bound 64 MiB' -f `
            ((Get-Item $layer).Length / 1MB), (([long]$mem[1] - [long]$mem[0]) / 1MB), ([long]$mem[0] / 1MB), ([long]$mem[1] / 1MB), $mem[2])

    # Listing an archive holding the layer reads no layer bytes (only a few header bytes to sniff compression).
    $archive = Join-Path $WorkPath 'big.tar'
    if (-not (Test-Path $archive)) { & tar -C $layout -cf $archive oci-layout index.json blobs }
    $before = ReadBytes
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $layers = Get-Image -Path $archive | Get-ImageManifest | Get-ImageLayer
    $sw.Stop()
    $read = (ReadBytes) - $before
    Write-Host ('Listing: Get-Image | Get-ImageManifest | Get-ImageLayer over a {0:N0} MiB archive: {1:N3} s, {2:N0} KiB read by the process ({3} layer(s))' -f `
            ((Get-Item $archive).Length / 1MB), $sw.Elapsed.TotalSeconds, ($read / 1KB), @($layers).Count)
}
finally {
    if (-not $env:IMAGETOOLS_BENCH_KEEP) { Remove-Item -Recurse -Force $WorkPath -ErrorAction SilentlyContinue }
}
