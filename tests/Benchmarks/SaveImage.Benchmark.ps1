<#
.SYNOPSIS
    Save-Image from an OCI layout against tar -cf of the layout and skopeo copy to oci-archive and docker-archive,
    in the same run on the same image (4 gzip layers, ~1 GiB), page cache warm.
.DESCRIPTION
    Writes one New-BenchmarkRow per measured work (wall seconds; the note gives CPU seconds, their ratio and the load
    average). -BusyCore starts a process that keeps one core busy for the whole measurement (tar and Save-Image
    alike) and stops it by its PID at the end. -NoSkopeo leaves skopeo out.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Build; dotnet pwsh tests/Benchmarks/SaveImage.Benchmark.ps1 -Quick -BusyCore
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ImageTools/ImageTools.psd1'),
    [int] $LayerMiB = 256,
    [switch] $Quick,
    [switch] $BusyCore,
    [switch] $NoSkopeo,
    [string] $WorkPath = (Join-Path ([IO.Path]::GetTempPath()) "imagetools-savebench-$PID")
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
Import-Module (Join-Path $PSScriptRoot 'WorkTime.psm1') -Force
if ($Quick) { $LayerMiB = 32 }
$runs = if ($Quick) { 1 } else { 3 }
New-Item -ItemType Directory -Force $WorkPath | Out-Null
$busy = $null
try {
    $layout = Join-Path $WorkPath 'layout'
    & (Join-Path $PSScriptRoot 'New-BenchmarkLayout.ps1') -Path $layout -LayerCount 4 -LayerMiB $LayerMiB
    $bytes = (Get-ChildItem -Recurse -File $layout | Measure-Object Length -Sum).Sum
    & tar -cf /dev/null -C $layout . # warm
    $out = Join-Path $WorkPath 'out'
    New-Item -ItemType Directory -Force $out | Out-Null
    $load = ''
    if ($BusyCore) {
        # one core kept busy by another process, for tar and Save-Image alike; stopped by its PID in finally
        $busy = Start-Process -FilePath bash -ArgumentList '-c', 'while :; do :; done' -PassThru
        $load = 'one core kept busy by another process'
    }
    $size = '{0:N0} MiB OCI layout, 4 gzip layers{1}' -f ($bytes / 1MB), $(if ($load) { "; $load" })

    # JIT and page cache warm for both formats before anything is timed (a -Quick run times each once)
    Save-Image -Path $layout -Name big:1.0 -Format OciArchive -DestinationPath "$out/warm.tar" | Out-Null; Remove-Item "$out/warm.tar"
    $tar = Measure-Work { & tar -cf "$out/tar.tar" -C $layout .; Remove-Item "$out/tar.tar" } $runs
    $oursOci = Measure-Work { Save-Image -Path $layout -Name big:1.0 -Format OciArchive -DestinationPath "$out/ours.tar"; Remove-Item "$out/ours.tar" } $runs
    $oursDocker = Measure-Work { Save-Image -Path $layout -Name big:1.0 -DestinationPath "$out/ours-d.tar"; Remove-Item "$out/ours-d.tar" } $runs

    $pwsh = (Get-Process -Id $PID).Path
    $pwshArgs = @(); if ((Split-Path -Leaf $pwsh) -like 'dotnet*') { $pwshArgs += (Join-Path $PSHOME 'pwsh.dll') }
    $probe = "Import-Module '$ModulePath'; `$p = [Diagnostics.Process]::GetCurrentProcess(); `$p.Refresh(); `$b = `$p.PeakWorkingSet64; " +
             "Save-Image -Path '$layout' -Name big:1.0 -DestinationPath '$out/mem.tar' | Out-Null; `$p.Refresh(); '{0} {1}' -f `$b, `$p.PeakWorkingSet64"
    $mem = (& $pwsh @pwshArgs -NoProfile -NonInteractive -Command $probe) -split ' '
    $growth = ([long]$mem[1] - [long]$mem[0]) / 1MB

    New-WorkRow 'Save-Image -Format OciArchive from a layout' $oursOci 'tar -cf of the layout' $tar 1.5 -Extra $size
    New-WorkRow 'Save-Image (DockerArchive) from a layout' $oursDocker 'tar -cf of the layout' $tar 1.5 $growth -Extra "$size; memory: peak working set growth"
    if (-not $NoSkopeo) {
        $skopeoOci = Measure-Work { & skopeo copy -q --insecure-policy "oci:${layout}:big:1.0" "oci-archive:$out/skopeo.tar:big:1.0"; Remove-Item "$out/skopeo.tar" } 1
        $skopeoDocker = Measure-Work { & skopeo copy -q --insecure-policy "oci:${layout}:big:1.0" "docker-archive:$out/skopeo-d.tar:big:1.0"; Remove-Item "$out/skopeo-d.tar" } 1
        New-WorkRow 'Save-Image -Format OciArchive from a layout' $oursOci 'skopeo copy to oci-archive' $skopeoOci ([double]::NaN) -Extra $size
        New-WorkRow 'Save-Image (DockerArchive) from a layout' $oursDocker 'skopeo copy to docker-archive' $skopeoDocker ([double]::NaN) -Extra $size
    }
}
finally {
    if ($busy) { Stop-Process -Id $busy.Id -ErrorAction SilentlyContinue }
    if (-not $env:IMAGETOOLS_BENCH_KEEP) { Remove-Item -Recurse -Force $WorkPath -ErrorAction SilentlyContinue }
}
