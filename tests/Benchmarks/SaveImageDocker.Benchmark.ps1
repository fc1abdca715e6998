<#
.SYNOPSIS
    Save-Image from a Docker data root (layers replayed from tar-split over overlay2) against docker save on the same
    daemon, same ~1 GiB image, in the same run. Needs root and Debian's docker.io.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Build; dotnet pwsh tests/Benchmarks/SaveImageDocker.Benchmark.ps1
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ImageTools/ImageTools.psd1'),
    [int] $LayerMiB = 256,
    [string] $WorkPath = (Join-Path ([IO.Path]::GetTempPath()) "imagetools-dsavebench-$PID")
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
New-Item -ItemType Directory -Force $WorkPath | Out-Null
function Best([scriptblock] $Block, [int] $Runs = 3) {
    (1..$Runs | ForEach-Object { $sw = [Diagnostics.Stopwatch]::StartNew(); & $Block | Out-Null; $sw.Elapsed.TotalSeconds } | Measure-Object -Minimum).Minimum
}
$dockerd = $null
try {
    $layout = Join-Path $WorkPath 'layout'
    & (Join-Path $PSScriptRoot 'New-BenchmarkLayout.ps1') -Path $layout -LayerCount 4 -LayerMiB $LayerMiB
    Save-Image -Path $layout -Name big:1.0 -DestinationPath "$WorkPath/load.tar" | Out-Null
    $dockerd = Start-PrivateDockerd
    Invoke-PrivateDocker $dockerd @('load', '-i', "$WorkPath/load.tar") | Out-Null
    Remove-Item "$WorkPath/load.tar"
    $root = Join-Path $dockerd.Dir 'root'
    $plain = (Get-ImageLayer -Path $root -Name big:1.0 | Measure-Object Size -Sum).Sum

    $docker = Best { Invoke-PrivateDocker $dockerd @('save', '-o', "$WorkPath/docker.tar", 'big:1.0'); Remove-Item "$WorkPath/docker.tar" }
    $ours = Best { Save-Image -Path $root -Name big:1.0 -DestinationPath "$WorkPath/ours.tar"; Remove-Item "$WorkPath/ours.tar" }
    '{0:N0} MiB of uncompressed layers in a Docker 20.10 data root (overlay2), best of 3:' -f ($plain / 1MB)
    '  docker save                      {0,6:N2} s' -f $docker
    '  Save-Image -Path <data root>     {0,6:N2} s   {1:N1}x faster than docker save' -f $ours, ($docker / $ours)
}
finally {
    if ($dockerd) { Stop-PrivateDockerd $dockerd }
    if (-not $env:IMAGETOOLS_BENCH_KEEP) { Remove-Item -Recurse -Force $WorkPath -ErrorAction SilentlyContinue }
}
