<#
.SYNOPSIS
    Save-Image from a Docker data root (layers replayed from tar-split over overlay2) against docker save on the same
    daemon, same image of 4 layers of 260 MiB (1,040 MiB of layer tars, the size issue 14 names), in the same run.
    Needs root and Debian's docker.io. The private dockerd listens on a unix socket in a temporary folder and is
    stopped by its PID.
.DESCRIPTION
    Writes one New-BenchmarkRow (wall seconds; the note gives CPU seconds of this process and its waited-for children,
    which for docker save is only the client, then dockerd's own CPU seconds per save and the whole CPU-time ratio, which
    moves much less with the load than the wall figures) and the load average.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Build; dotnet pwsh tests/Benchmarks/SaveImageDocker.Benchmark.ps1
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ImageTools/ImageTools.psd1'),
    [int] $LayerMiB = 260,
    [switch] $Quick,
    [string] $WorkPath = (Join-Path ([IO.Path]::GetTempPath()) "imagetools-dsavebench-$PID")
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'WorkTime.psm1') -Force
if ($Quick) { $LayerMiB = 32 }
$runs = if ($Quick) { 1 } else { 3 }
New-Item -ItemType Directory -Force $WorkPath | Out-Null
$dockerd = $null
try {
    $layout = Join-Path $WorkPath 'layout'
    & (Join-Path $PSScriptRoot 'New-BenchmarkLayout.ps1') -Path $layout -LayerCount 4 -LayerMiB $LayerMiB -ExactSize
    Save-Image -Path $layout -Name big:1.0 -DestinationPath "$WorkPath/load.tar" | Out-Null
    $dockerd = Start-PrivateDockerd
    Invoke-PrivateDocker $dockerd @('load', '-i', "$WorkPath/load.tar") | Out-Null
    Remove-Item "$WorkPath/load.tar"
    $root = Join-Path $dockerd.Dir 'root'
    $plain = (Get-ImageLayer -Path $root -Name big:1.0 | Measure-Object Size -Sum).Sum

    # docker save's work is done by the daemon: its CPU time is read from /proc/<dockerd pid>/stat around each save
    $daemonCpu = [Collections.Generic.List[double]]::new()
    function Get-DaemonCpuSeconds { $f = (Get-Content -Raw "/proc/$($dockerd.Process.Id)/stat"); $f = $f.Substring($f.LastIndexOf(')') + 2) -split ' '; ([long]$f[11] + [long]$f[12]) / 100.0 }
    $docker = Measure-Work {
        $before = Get-DaemonCpuSeconds
        Invoke-PrivateDocker $dockerd @('save', '-o', "$WorkPath/docker.tar", 'big:1.0')
        $daemonCpu.Add((Get-DaemonCpuSeconds) - $before)
        Remove-Item "$WorkPath/docker.tar" } $runs
    $ours = Measure-Work { Save-Image -Path $root -Name big:1.0 -DestinationPath "$WorkPath/ours.tar"; Remove-Item "$WorkPath/ours.tar" } $runs
    $daemonLeast = ($daemonCpu | Measure-Object -Minimum).Minimum
    # "at least 5x faster than docker save"
    New-WorkRow 'Save-Image from a Docker data root (tar-split replay)' $ours 'docker save on the same daemon' $docker 0.2 `
        -Extra ('{0:N0} MiB of uncompressed layers, overlay2; dockerd cpu {1:N2}s per save (least of {2}), so docker save cpu {3:N2}s in all, {4:N2}x ours' -f `
            ($plain / 1MB), $daemonLeast, $runs, ($daemonLeast + $docker.CpuSeconds), (($daemonLeast + $docker.CpuSeconds) / $ours.CpuSeconds))
}
finally {
    if ($dockerd) { Stop-PrivateDockerd $dockerd }
    if (-not $env:IMAGETOOLS_BENCH_KEEP) { Remove-Item -Recurse -Force $WorkPath -ErrorAction SilentlyContinue }
}
