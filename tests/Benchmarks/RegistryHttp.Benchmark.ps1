<#
.SYNOPSIS
    Times a pull (Save-Image -Reference -Format OciLayout) and a push (Copy-Image -DestinationReference) of a
    -SizeMiB image of four gzip layers through a real docker-registry on loopback, against skopeo copy doing the
    same in the same run, and the growth of the peak working set (VmHWM) of the pwsh doing it.
.DESCRIPTION
    The image: -Layers layers, each a gzip tar of one file of random bytes (incompressible, so the layers together
    weigh about -SizeMiB), built with umoci into an OCI layout, pushed once with skopeo to the registry the pulls
    read from. Each run starts from an empty destination: a fresh layout folder for the pulls, a fresh repository
    of an empty registry for the pushes. Module runs happen in a fresh pwsh per run; the peak resident memory is read
    from /proc/self/status before (after Import-Module and a warm-up Get-Image, manifest and config only) and after.
    Every timed run, skopeo's and the module's alike, starts right after 1 GiB has been written to a scratch file and
    deleted (for a module run, inside its pwsh, after the warm-up), and after the previous run's 512 MiB output is
    deleted. On this VM, memory that has been free for a few seconds goes back to the host, and the next writer into
    the page cache pays for getting it again, in kernel time (copy_folio_from_iter_atomic under pwrite64): dd of
    512 MiB in 1 MiB writes took 0.13 s right after a delete and 1.6 s after 5 s idle. Deleting the previous output
    alone was not enough: the module's pull still used 1.9 to 2.3 s of kernel time after it (1.1 to 1.3 s wall), and
    0.9 to 1.1 s with the scratch write before it (0.70 s wall). Both tools get the same preface, so neither pays
    for the VM's memory.
    The registry is stopped by its PID. Needs docker-registry, skopeo, umoci, gzip.
    Writes two rows (New-BenchmarkRow): the pull (goal: at least 2x as fast as skopeo, TimeRatio <= 0.5) and the push
    (at least 1.5x, TimeRatio <= 0.667), each with the largest VmHWM growth of its runs as MemoryMiB (goal < 64) and
    the load average at the end in the note; the figures are also printed with Write-Host.
.EXAMPLE
    dotnet pwsh tests/Benchmarks/RegistryHttp.Benchmark.ps1 -SizeMiB 512 -Runs 3
#>
param(
    [int] $SizeMiB = 512,
    [int] $Layers = 4,
    [int] $Runs = 3,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ImageTools/ImageTools.psd1')
)
$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path
Import-Module (Join-Path $PSScriptRoot 'BenchmarkRow.psm1') -Force
. (Join-Path $PSScriptRoot '../Registry/RegistryHttp.Common.ps1')
$work = (& mktemp -d /tmp/imagetools-http-bench.XXXXXX)
$registries = @()
try {
    # ---- the image ----
    $layout = "$work/layout"
    & umoci init --layout $layout
    & umoci new --image "${layout}:big"
    $perLayer = [int]($SizeMiB / $Layers)
    for ($i = 0; $i -lt $Layers; $i++) {
        $dir = "$work/l$i"; New-Item -ItemType Directory $dir | Out-Null
        & head -c "$($perLayer)M" /dev/urandom > "$dir/blob-$i.bin"
        & tar -C $dir --owner=0 --group=0 --numeric-owner --mtime=@0 -cf "$work/l$i.tar" "blob-$i.bin"
        & umoci raw add-layer --image "${layout}:big" "$work/l$i.tar"
        Remove-Item -Recurse -Force $dir, "$work/l$i.tar"
    }
    $bytes = (Get-ChildItem -Recurse -File "$layout/blobs" | Measure-Object Length -Sum).Sum
    $source = Start-HttpRegistry -Root "$work/source" -Dir "$work/source-cfg"; $registries += $source
    & skopeo copy --dest-tls-verify=false "oci:${layout}:big" "docker://$($source.Address)/bench/big:1" | Out-Null
    & skopeo copy --dest-tls-verify=false "oci:${layout}:big" "docker://$($source.Address)/bench/warm:1" | Out-Null

    # the preface of every timed run (see the description): 1 GiB through the page cache, then freed
    $warmMemory = "dd if=/dev/zero of='$work/scratch' bs=1M count=1024 status=none; rm -f '$work/scratch'"
    function Measure-Skopeo([string[]] $Arguments) {
        & bash -c $warmMemory
        $sw = [Diagnostics.Stopwatch]::StartNew()
        & skopeo @Arguments | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "skopeo $Arguments failed" }
        return $sw.Elapsed.TotalSeconds
    }
    function Measure-Module([string] $Script, [string] $DeleteFirst) {
        # a fresh pwsh: import, warm up, read VmHWM, delete the previous run's output, run the operation timed, read VmHWM again
        $code = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
function Hwm { [long]((Get-Content /proc/self/status | Where-Object { `$_ -like 'VmHWM:*' }) -replace '\D', '') * 1KB }
Get-Image -Reference '$($source.Address)/bench/warm:1' -ErrorAction SilentlyContinue | Out-Null
[GC]::Collect()
`$before = Hwm
Remove-Item -Recurse -Force -LiteralPath '$DeleteFirst'
& bash -c "$warmMemory"
`$sw = [Diagnostics.Stopwatch]::StartNew()
$Script
`$t = `$sw.Elapsed.TotalSeconds
"`$t `$before `$(Hwm)"
"@
        $out = & dotnet pwsh -NoProfile -Command $code
        if ($LASTEXITCODE -ne 0) { throw "pwsh run failed: $out" }
        $t, $before, $after = ($out | Select-Object -Last 1) -split ' '
        return [pscustomobject]@{ Seconds = [double]$t; Growth = [long]$after - [long]$before }
    }
    function Median([double[]] $v) { $s = $v | Sort-Object; $s[[int][Math]::Floor(($s.Count - 1) / 2)] }

    $pullSkopeo = @(); $pullModule = @(); $pushSkopeo = @(); $pushModule = @(); $pullGrowth = @(); $pushGrowth = @()
    for ($r = 0; $r -lt $Runs; $r++) {
        # each timed run right after the previous one's output is deleted (see the description)
        if ($r -gt 0) { Remove-Item -Recurse -Force "$work/empty-m-$($r - 1)" }
        $pullSkopeo += Measure-Skopeo @('copy', '--src-tls-verify=false', "docker://$($source.Address)/bench/big:1", "oci:$work/pull-skopeo-${r}:big")
        $m = Measure-Module "Save-Image -Reference '$($source.Address)/bench/big:1' -Format OciLayout -DestinationPath '$work/pull-module-$r' | Out-Null" `
            -DeleteFirst "$work/pull-skopeo-$r"
        $pullModule += $m.Seconds; $pullGrowth += $m.Growth

        $empty1 = Start-HttpRegistry -Root "$work/empty-s-$r" -Dir "$work/empty-s-cfg-$r"; $registries += $empty1
        Remove-Item -Recurse -Force "$work/pull-module-$r"
        $pushSkopeo += Measure-Skopeo @('copy', '--dest-tls-verify=false', "oci:${layout}:big", "docker://$($empty1.Address)/bench/big:1")
        Stop-HttpRegistry $empty1
        $empty2 = Start-HttpRegistry -Root "$work/empty-m-$r" -Dir "$work/empty-m-cfg-$r"; $registries += $empty2
        $m = Measure-Module "Copy-Image -Path '$layout' -Name big -DestinationReference '$($empty2.Address)/bench/big:1' | Out-Null" `
            -DeleteFirst "$work/empty-s-$r"
        $pushModule += $m.Seconds; $pushGrowth += $m.Growth
        Stop-HttpRegistry $empty2
    }
    $pullRatio = (Median $pullSkopeo) / (Median $pullModule)
    $pushRatio = (Median $pushSkopeo) / (Median $pushModule)
    $pullMiB = ($pullGrowth | Measure-Object -Maximum).Maximum / 1MB
    $pushMiB = ($pushGrowth | Measure-Object -Maximum).Maximum / 1MB
    $load = (Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3
    Write-Host "image: $([Math]::Round($bytes / 1MB)) MiB in $Layers gzip layers; $Runs runs each; medians; load average $($load -join ' ')"
    Write-Host ("pull  skopeo copy docker:// -> oci:   {0,7:N2} s" -f (Median $pullSkopeo))
    Write-Host ("pull  Save-Image -Reference -> layout {0,7:N2} s   {1:N2}x as fast (target >= 2x)" -f (Median $pullModule), $pullRatio)
    Write-Host ("push  skopeo copy oci: -> docker://   {0,7:N2} s" -f (Median $pushSkopeo))
    Write-Host ("push  Copy-Image -DestinationReference {0,6:N2} s   {1:N2}x as fast (target >= 1.5x)" -f (Median $pushModule), $pushRatio)
    Write-Host ("peak working set growth: pull {0:N1} MiB, push {1:N1} MiB (target < 64 MiB)" -f $pullMiB, $pushMiB)
    $note = "$([Math]::Round($bytes / 1MB)) MiB, $Layers gzip layers, median of $Runs; loadavg $($load -join ' ')"
    New-BenchmarkRow -Work 'Registry pull (Save-Image -Reference -> OCI layout)' -Seconds (Median $pullModule) `
        -Reference 'skopeo copy docker:// oci:' -ReferenceSeconds (Median $pullSkopeo) -GoalTimeRatio 0.5 -MemoryMiB $pullMiB -Note $note
    New-BenchmarkRow -Work 'Registry push (Copy-Image -DestinationReference)' -Seconds (Median $pushModule) `
        -Reference 'skopeo copy oci: docker://' -ReferenceSeconds (Median $pushSkopeo) -GoalTimeRatio 0.667 -MemoryMiB $pushMiB -Note $note
} finally {
    foreach ($r in $registries) { Stop-HttpRegistry $r }
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
