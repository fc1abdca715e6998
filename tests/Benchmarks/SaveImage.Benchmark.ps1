<#
.SYNOPSIS
    Save-Image from an OCI layout against tar -cf of the layout and skopeo copy to oci-archive and docker-archive,
    in the same run on the same ~1 GiB image (4 gzip layers), page cache warm. Prints times and ratios.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Build; dotnet pwsh tests/Benchmarks/SaveImage.Benchmark.ps1
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ImageTools/ImageTools.psd1'),
    [int] $LayerMiB = 256,
    [string] $WorkPath = (Join-Path ([IO.Path]::GetTempPath()) "imagetools-savebench-$PID")
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
New-Item -ItemType Directory -Force $WorkPath | Out-Null
function Best([scriptblock] $Block, [int] $Runs = 3) {
    (1..$Runs | ForEach-Object { $sw = [Diagnostics.Stopwatch]::StartNew(); & $Block | Out-Null; $sw.Elapsed.TotalSeconds } | Measure-Object -Minimum).Minimum
}
try {
    $layout = Join-Path $WorkPath 'layout'
    & (Join-Path $PSScriptRoot 'New-BenchmarkLayout.ps1') -Path $layout -LayerCount 4 -LayerMiB $LayerMiB
    $bytes = (Get-ChildItem -Recurse -File $layout | Measure-Object Length -Sum).Sum
    & tar -cf /dev/null -C $layout . # warm
    $out = Join-Path $WorkPath 'out'
    New-Item -ItemType Directory -Force $out | Out-Null

    $tar = Best { & tar -cf "$out/tar.tar" -C $layout .; Remove-Item "$out/tar.tar" }
    $skopeoOci = Best { & skopeo copy -q --insecure-policy "oci:${layout}:big:1.0" "oci-archive:$out/skopeo.tar:big:1.0"; Remove-Item "$out/skopeo.tar" } 1
    $skopeoDocker = Best { & skopeo copy -q --insecure-policy "oci:${layout}:big:1.0" "docker-archive:$out/skopeo-d.tar:big:1.0"; Remove-Item "$out/skopeo-d.tar" } 1
    $oursOci = Best { Save-Image -Path $layout -Name big:1.0 -Format OciArchive -DestinationPath "$out/ours.tar"; Remove-Item "$out/ours.tar" }
    $oursDocker = Best { Save-Image -Path $layout -Name big:1.0 -DestinationPath "$out/ours-d.tar"; Remove-Item "$out/ours-d.tar" }

    $pwsh = (Get-Process -Id $PID).Path
    $pwshArgs = @(); if ((Split-Path -Leaf $pwsh) -like 'dotnet*') { $pwshArgs += (Join-Path $PSHOME 'pwsh.dll') }
    $probe = "Import-Module '$ModulePath'; `$p = [Diagnostics.Process]::GetCurrentProcess(); `$p.Refresh(); `$b = `$p.PeakWorkingSet64; " +
             "Save-Image -Path '$layout' -Name big:1.0 -DestinationPath '$out/mem.tar' | Out-Null; `$p.Refresh(); '{0} {1}' -f `$b, `$p.PeakWorkingSet64"
    $mem = (& $pwsh @pwshArgs -NoProfile -NonInteractive -Command $probe) -split ' '

    '{0:N0} MiB image in an OCI layout (4 gzip layers), best of 3 (skopeo: 1 run):' -f ($bytes / 1MB)
    '  tar -cf of the layout            {0,6:N2} s' -f $tar
    '  skopeo copy to oci-archive       {0,6:N2} s' -f $skopeoOci
    '  skopeo copy to docker-archive    {0,6:N2} s' -f $skopeoDocker
    '  Save-Image -Format OciArchive    {0,6:N2} s   {1:N2}x tar -cf, {2:N1}x faster than skopeo (oci-archive)' -f $oursOci, ($oursOci / $tar), ($skopeoOci / $oursOci)
    '  Save-Image (DockerArchive)       {0,6:N2} s   {1:N2}x tar -cf, {2:N1}x faster than skopeo (docker-archive)' -f $oursDocker, ($oursDocker / $tar), ($skopeoDocker / $oursDocker)
    '  Save-Image peak working set grew by {0:N1} MiB (before {1:N0} MiB)' -f (([long]$mem[1] - [long]$mem[0]) / 1MB), ([long]$mem[0] / 1MB)
}
finally {
    if (-not $env:IMAGETOOLS_BENCH_KEEP) { Remove-Item -Recurse -Force $WorkPath -ErrorAction SilentlyContinue }
}
