<#
.SYNOPSIS
    Speed and memory of digesting, DiffIDs and listing, against openssl, sha256sum and gzip in the same run. DiffIDs
    are timed with the inflater the module picks (ISA-L where libisal2 is installed) and with the runtime's zlib-ng,
    beside the floor they share: inflating alone.
.DESCRIPTION
    Builds its data in a temp folder (a 1 GiB random blob, a ~1 GiB gzip layer of real files, an oci-archive
    holding that layer), then prints each figure with the reference tool's and the ratio. Not part of the test run.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Build; dotnet pwsh tests/Benchmarks/Digest.Benchmark.ps1
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ImageTools/ImageTools.psd1'),
    [int] $SizeMiB = 1024,
    [switch] $Quick,
    [string] $WorkPath = (Join-Path ([IO.Path]::GetTempPath()) "imagetools-bench-$PID")
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
Import-Module (Join-Path $PSScriptRoot 'WorkTime.psm1') -Force
if ($Quick) { $SizeMiB = 128 }
$runs = if ($Quick) { 1 } else { 3 }
New-Item -ItemType Directory -Force $WorkPath | Out-Null

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
    $ours = Measure-Work { Get-ContentDigest -LiteralPath $blob } $runs
    $openssl = Measure-Work { & openssl dgst -sha256 $blob } $runs
    $sha256sum = Measure-Work { & sha256sum $blob } $runs
    $what = '{0:N0} MiB random blob' -f ($blobBytes / 1MB)
    New-WorkRow 'Get-ContentDigest' $ours 'openssl dgst -sha256' $openssl -Extra $what
    New-WorkRow 'Get-ContentDigest' $ours 'sha256sum' $sha256sum -Extra $what

    $plain = Get-ContentDigest -LiteralPath $layer -Uncompressed   # once: its Size here, its Digest (the DiffID) for the layout below
    $plainBytes = $plain.Size
    Write-Host "DiffID of a gzip layer ($([math]::Round((Get-Item $layer).Length / 1MB)) MiB compressed, $([math]::Round($plainBytes / 1MB)) MiB plain):"
    $ours = Measure-Work { Get-ContentDigest -LiteralPath $layer -Uncompressed } $runs
    $gzip = Measure-Work { & bash -c "gzip -dc '$layer' | sha256sum" } $runs
    # "at least 3.5x as fast" as the pipeline
    New-WorkRow 'DiffID of a gzip layer (Get-ContentDigest -Uncompressed)' $ours 'gzip -dc | sha256sum' $gzip (1 / 3.5) `
        -Extra ('{0:N0} MiB gzip, {1:N0} MiB plain; {2:N0} MB/s' -f ((Get-Item $layer).Length / 1MB), ($plainBytes / 1MB), ($plainBytes / $ours.Seconds / 1e6))

    # The same DiffID by the runtime's zlib-ng, the inflater used where ISA-L (libisal2) is not installed: in a child
    # pwsh with IMAGETOOLS_INFLATER=zlib, timed inside it (best of the runs, after one warm-up; wall and CPU seconds).
    $isaL = [ImageTools.Oci.Compression].Assembly.GetType('ImageTools.Content.IsaLInflate').GetProperty('Available', [Reflection.BindingFlags]'Static,Public,NonPublic').GetValue($null)
    $pwshPath = (Get-Process -Id $PID).Path
    $pwshPre = @(); if ((Split-Path -Leaf $pwshPath) -like 'dotnet*') { $pwshPre += (Join-Path $PSHOME 'pwsh.dll') }
    $env:IMAGETOOLS_INFLATER = 'zlib'
    try {
        $zlibRun = (& $pwshPath @pwshPre -NoProfile -NonInteractive -Command ("Import-Module '$ModulePath'; `$p = [Diagnostics.Process]::GetCurrentProcess(); " +
                "`$best = [double]::MaxValue; `$cpu = 0.0; foreach (`$i in 0..$runs) { `$p.Refresh(); `$c = `$p.TotalProcessorTime.TotalSeconds; `$sw = [Diagnostics.Stopwatch]::StartNew(); " +
                "Get-ContentDigest -LiteralPath '$layer' -Uncompressed | Out-Null; `$t = `$sw.Elapsed.TotalSeconds; `$p.Refresh(); " +
                "if (`$i -gt 0 -and `$t -lt `$best) { `$best = `$t; `$cpu = `$p.TotalProcessorTime.TotalSeconds - `$c } }; '{0} {1}' -f `$best, `$cpu")) -split ' '
    }
    finally { Remove-Item Env:IMAGETOOLS_INFLATER }
    New-WorkRow 'DiffID of a gzip layer, the runtime''s zlib-ng (IMAGETOOLS_INFLATER=zlib)' ([pscustomobject]@{ Seconds = [double]$zlibRun[0]; CpuSeconds = [double]$zlibRun[1] }) `
        'gzip -dc | sha256sum' $gzip -Extra ('the rows above used {0}' -f $(if ($isaL) { 'ISA-L' } else { 'zlib-ng too: libisal2 is not installed' }))

    # The floor of these rows: inflating the layer alone, with no hash, by the module's inflater, and by ISA-L's own
    # igzip when installed. A DiffID cannot be faster than the inflate of its one gzip stream.
    $inflateAlone = Measure-Work {
        $file = [IO.File]::OpenRead($layer); $codec = [ImageTools.Oci.Compression]::None
        $plainStream = [ImageTools.Content.Decompression]::Open($file, $layer, [ref] $codec)
        try { $plainStream.CopyTo([IO.Stream]::Null, 1MB) } finally { $plainStream.Dispose() }
    } $runs
    New-WorkRow ('inflate alone, no hash: the module''s inflater ({0})' -f $(if ($isaL) { 'ISA-L' } else { 'zlib-ng' })) $inflateAlone 'gzip -dc | sha256sum' $gzip -Extra 'the floor of the DiffID rows'
    if (Get-Command igzip -ErrorAction SilentlyContinue) {
        $igzip = Measure-Work { & bash -c "igzip -dc < '$layer' > /dev/null" } $runs
        New-WorkRow 'inflate alone, no hash: igzip -dc (ISA-L''s command)' $igzip 'gzip -dc | sha256sum' $gzip -Extra 'the same inflater outside .NET'
    }

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
    # the same layer checked as a blob of a layout (digest and DiffID in one read), against the pipeline's DiffID alone
    $check = Measure-Work { Test-ImageBlob -Path $layout -DiffId } $runs
    New-WorkRow 'Test-ImageBlob -DiffId of a layout with the gzip layer' $check 'gzip -dc | sha256sum' $gzip (1 / 3.5) (([long]$mem[1] - [long]$mem[0]) / 1MB) `
        -Extra 'memory: peak working set growth of a fresh process (bound 64 MiB)' 

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
