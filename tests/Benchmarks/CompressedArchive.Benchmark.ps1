<#
.SYNOPSIS
    Reading a `docker save | gzip` archive in place against the command-line tools, same run, page cache warm:
    Get-Image vs gzip -dc | tar -t; Test-ImageBlob -DiffId vs gzip -dc | sha256sum; one late blob after the listing
    vs a full decompression; memory growth (VmHWM) beyond the restart-point index, whose size is printed.
    Also the listing over .tar.bz2, .tar.xz and .tar.zst of the same archive against their tools.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Build; dotnet pwsh tests/Benchmarks/CompressedArchive.Benchmark.ps1 -LayerMiB 128
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ImageTools/ImageTools.psd1'),
    [int] $LayerCount = 4,
    [int] $LayerMiB = 160,
    [switch] $OtherCodecs,
    [string] $WorkPath = (Join-Path ([IO.Path]::GetTempPath()) "imagetools-gzbench-$PID")
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
New-Item -ItemType Directory -Force $WorkPath | Out-Null
function Best([scriptblock] $Block, [int] $Runs = 3) {
    (1..$Runs | ForEach-Object { $sw = [Diagnostics.Stopwatch]::StartNew(); & $Block | Out-Null; $sw.Elapsed.TotalSeconds } | Measure-Object -Minimum).Minimum
}
function Get-Kb([string] $Field) { [long]((Get-Content /proc/self/status | Where-Object { $_ -like "${Field}:*" }) -replace '[^0-9]', '') }
try {
    # docker save writes uncompressed layers: an archive of plain layer tars, then gzip -6 as `docker save | gzip`
    $layout = Join-Path $WorkPath 'layout'
    & (Join-Path $PSScriptRoot 'New-BenchmarkLayout.ps1') -Path $layout -LayerCount $LayerCount -LayerMiB $LayerMiB
    $tar = Join-Path $WorkPath 'app.tar'
    Save-Image -Path $layout -Name big:1.0 -Compression None -DestinationPath $tar | Out-Null
    $gz = "$tar.gz"
    & bash -c "gzip -6 -c '$tar' > '$gz'"
    Write-Host ("tar {0:N0} MiB, tar.gz {1:N0} MiB; load average {2}" -f ((Get-Item $tar).Length / 1MB), ((Get-Item $gz).Length / 1MB), (Get-Content /proc/loadavg))
    & bash -c "cat '$gz' > /dev/null" # warm

    $toolList = Best { & bash -c "gzip -dc '$gz' | tar -t > /dev/null" }
    $oursList = Best { Get-Image -Path $gz }
    $toolSum = Best { & bash -c "gzip -dc '$gz' | sha256sum > /dev/null" }
    $rssBefore = Get-Kb VmRSS
    $oursSum = Best { Test-ImageBlob -Path $gz -DiffId } 1
    $hwm = Get-Kb VmHWM
    $toolFull = Best { & bash -c "gzip -dc '$gz' > /dev/null" }

    $index = [ImageTools.Content.TarIndex]::Read($gz)
    # the last layer-sized entry (a blob near the end, not the small documents written after the layers)
    $late = $index.Entries | Where-Object Size -gt 1MB | Sort-Object DataOffset | Select-Object -Last 1
    $buffer = [byte[]]::new(1MB)
    $oursLate = Best {
        $s = $index.Open($late)
        try { while ($s.Read($buffer, 0, $buffer.Length) -gt 0) { } } finally { $s.Dispose() }
    }
    Write-Host ("Get-Image            {0,7:N2}s  gzip -dc | tar -t     {1,7:N2}s  ratio {2:N2} (target <= 1.2)" -f $oursList, $toolList, ($oursList / $toolList))
    Write-Host ("Test-ImageBlob -DiffId {0,5:N2}s  gzip -dc | sha256sum {1,7:N2}s  ratio {2:N2} (target <= 1.3)" -f $oursSum, $toolSum, ($oursSum / $toolSum))
    Write-Host ("late blob ({0:N0} MiB at {1:N0} MiB) {2,6:N3}s  gzip -dc full    {3,7:N2}s  ratio {4:N3} (target <= 0.2)" -f ($late.Size / 1MB), ($late.DataOffset / 1MB), $oursLate, $toolFull, ($oursLate / $toolFull))
    Write-Host ("restart-point index {0:N1} MiB; memory growth during Test-ImageBlob (VmHWM - VmRSS before) {1:N1} MiB (target < 64 beyond the index)" -f ($index.IndexBytes / 1MB), (($hwm - $rssBefore) / 1024))

    if ($OtherCodecs) {
        foreach ($c in @(@{ Ext = 'zst'; Tool = 'zstd -q' }, @{ Ext = 'xz'; Tool = 'xz -T1' }, @{ Ext = 'bz2'; Tool = 'bzip2' })) {
            $f = "$tar.$($c.Ext)"
            & bash -c "$($c.Tool) -c '$tar' > '$f'"
            $t = Best { & bash -c "$($c.Tool) -dc '$f' | tar -t > /dev/null" } 1
            $o = Best { Get-Image -Path $f } 1
            $v = Best { Test-ImageBlob -Path $f -DiffId } 1
            Write-Host ("{0,-4} Get-Image {1,7:N2}s  Test-ImageBlob -DiffId {2,7:N2}s  {3} -dc | tar -t {4,7:N2}s" -f $c.Ext, $o, $v, $c.Tool, $t)
        }
    }
}
finally { Remove-Item -Recurse -Force $WorkPath -ErrorAction SilentlyContinue }
