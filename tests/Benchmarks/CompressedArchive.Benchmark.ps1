<#
.SYNOPSIS
    Reading a `docker save | gzip` archive in place against the command-line tools, same run, page cache warm:
    Get-Image vs gzip -dc | tar -t; Test-ImageBlob -DiffId vs gzip -dc | sha256sum; one late blob after the listing
    vs a full decompression; memory growth (VmHWM) beyond the restart-point index, whose size is in the row's note.
.DESCRIPTION
    Writes one New-BenchmarkRow per measured work to its output (wall seconds; the note gives CPU seconds, their
    ratio and the load average, for a shared machine). -OtherCodecs adds the listing and the -DiffId check of the same
    archive as .tar.bz2, .tar.xz and .tar.zst against their tools. -Xz adds the choice of the xz decoder: the same
    .tar.xz decompressed by liblzma (the module's decoder), by SharpCompress's XZStream and by `xz -dc`.
.PARAMETER SharpCompressPath
    SharpCompress.dll (netstandard2.0) for -Xz; by default the NuGet cache's copy
    (`dotnet restore` of a project referencing SharpCompress puts it there).
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Build; dotnet pwsh tests/Benchmarks/CompressedArchive.Benchmark.ps1 -Quick
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ImageTools/ImageTools.psd1'),
    [int] $LayerCount = 4,
    [int] $LayerMiB = 128,
    [switch] $Quick,
    [switch] $OtherCodecs,
    [switch] $Xz,
    [string] $SharpCompressPath = (Join-Path $HOME '.nuget/packages/sharpcompress/0.50.8/lib/netstandard2.0/SharpCompress.dll'),
    [string] $WorkPath = (Join-Path ([IO.Path]::GetTempPath()) "imagetools-gzbench-$PID")
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
Import-Module (Join-Path $PSScriptRoot 'WorkTime.psm1') -Force
if ($Quick) { $LayerCount = 2; $LayerMiB = 24 }
$runs = if ($Quick) { 1 } else { 3 }
New-Item -ItemType Directory -Force $WorkPath | Out-Null
function Get-Kb([string] $Field) { [long]((Get-Content /proc/self/status | Where-Object { $_ -like "${Field}:*" }) -replace '[^0-9]', '') }
try {
    # docker save writes uncompressed layers: an archive of plain layer tars, then gzip -6 as `docker save | gzip`
    $layout = Join-Path $WorkPath 'layout'
    & (Join-Path $PSScriptRoot 'New-BenchmarkLayout.ps1') -Path $layout -LayerCount $LayerCount -LayerMiB $LayerMiB
    $tar = Join-Path $WorkPath 'app.tar'
    Save-Image -Path $layout -Name big:1.0 -Compression None -DestinationPath $tar | Out-Null
    $gz = "$tar.gz"
    & bash -c "gzip -6 -c '$tar' > '$gz'"
    $size = 'tar {0:N0} MiB, tar.gz {1:N0} MiB' -f ((Get-Item $tar).Length / 1MB), ((Get-Item $gz).Length / 1MB)
    Write-Host "$size; load average $(Get-LoadAverage)"
    & bash -c "cat '$gz' > /dev/null" # warm
    Get-Image -Path $gz | Out-Null      # JIT warm before anything is timed (a -Quick run times each once)

    $toolList = Measure-Work { & bash -c "gzip -dc '$gz' | tar -t > /dev/null" } $runs
    $oursList = Measure-Work { Get-Image -Path $gz } $runs
    New-WorkRow 'Get-Image of a docker save | gzip archive' $oursList 'gzip -dc | tar -t' $toolList 1.2 -Extra $size

    $toolSum = Measure-Work { & bash -c "gzip -dc '$gz' | sha256sum > /dev/null" } $runs
    $rssBefore = Get-Kb VmRSS
    $oursSum = Measure-Work { Test-ImageBlob -Path $gz -DiffId } $runs
    $growth = ((Get-Kb VmHWM) - $rssBefore) / 1024
    $index = [ImageTools.Content.TarIndex]::Read($gz)
    New-WorkRow 'Test-ImageBlob -DiffId of a docker save | gzip archive' $oursSum 'gzip -dc | sha256sum' $toolSum 1.3 $growth `
        -Extra ('memory: VmHWM growth (bound 64 MiB beyond the index); restart-point index {0:N1} MiB' -f ($index.IndexBytes / 1MB))

    $toolFull = Measure-Work { & bash -c "gzip -dc '$gz' > /dev/null" } $runs
    # the last layer-sized entry (a blob near the end, not the small documents written after the layers)
    $late = $index.Entries | Where-Object Size -gt 1MB | Sort-Object DataOffset | Select-Object -Last 1
    $buffer = [byte[]]::new(1MB)
    $oursLate = Measure-Work {
        $s = $index.Open($late)
        try { while ($s.Read($buffer, 0, $buffer.Length) -gt 0) { } } finally { $s.Dispose() }
    } $runs
    New-WorkRow 'one late blob of the .tar.gz after its listing' $oursLate 'gzip -dc (whole archive)' $toolFull 0.2 `
        -Extra ('{0:N0} MiB blob at {1:N0} MiB' -f ($late.Size / 1MB), ($late.DataOffset / 1MB))

    if ($OtherCodecs) {
        foreach ($c in @(@{ Ext = 'zst'; Tool = 'zstd -q' }, @{ Ext = 'xz'; Tool = 'xz -T1' }, @{ Ext = 'bz2'; Tool = 'bzip2' })) {
            $f = "$tar.$($c.Ext)"
            & bash -c "$($c.Tool) -c '$tar' > '$f'"
            $tool = Measure-Work { & bash -c "$($c.Tool) -dc '$f' | tar -t > /dev/null" } 1
            $ours = Measure-Work { Get-Image -Path $f } 1
            New-WorkRow "Get-Image of a .tar.$($c.Ext)" $ours "$($c.Tool) -dc | tar -t" $tool 1.2
            $tool = Measure-Work { & bash -c "$($c.Tool) -dc '$f' | sha256sum > /dev/null" } 1
            $ours = Measure-Work { Test-ImageBlob -Path $f -DiffId } 1
            New-WorkRow "Test-ImageBlob -DiffId of a .tar.$($c.Ext)" $ours "$($c.Tool) -dc | sha256sum" $tool 1.3
        }
    }

    if ($Xz) {
        # The xz decoder is chosen by this measurement: liblzma through P/Invoke (the module's) or SharpCompress's
        # managed XZStream, each decompressing the same .tar.xz to nothing, against xz -dc.
        if (-not (Test-Path -LiteralPath $SharpCompressPath)) { throw "-Xz needs SharpCompress.dll at $SharpCompressPath (dotnet restore a project that references SharpCompress 0.50.8)." }
        Add-Type -LiteralPath $SharpCompressPath
        $f = "$tar.xz"
        if (-not (Test-Path $f)) { & bash -c "xz -T1 -c '$tar' > '$f'" }
        $tool = Measure-Work { & bash -c "xz -dc '$f' > /dev/null" } $runs
        $liblzma = Measure-Work {
            $s = [ImageTools.Content.Archives.ArchiveSources]::Open($f).OpenFirstPass()
            try { $s.CopyTo([IO.Stream]::Null, 1MB) } finally { $s.Dispose() }
        } $runs
        $managed = Measure-Work {
            $file = [IO.File]::OpenRead($f)
            $s = [SharpCompress.Compressors.Xz.XZStream]::new($file)
            try { $s.CopyTo([IO.Stream]::Null, 1MB) } finally { $s.Dispose(); $file.Dispose() }
        } $runs
        New-WorkRow 'xz decoding: liblzma (P/Invoke)' $liblzma 'xz -dc' $tool 1.2 -Extra $size
        New-WorkRow 'xz decoding: SharpCompress XZStream 0.50.8' $managed 'xz -dc' $tool 1.2 -Extra $size
    }
}
finally { Remove-Item -Recurse -Force $WorkPath -ErrorAction SilentlyContinue }
