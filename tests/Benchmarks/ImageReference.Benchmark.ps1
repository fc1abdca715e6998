<#
.SYNOPSIS
    Speed of Get-ImageReference on a large Helm-rendered file, against PyYAML (libyaml CSafeLoader) in the same run.
.DESCRIPTION
    Writes a multi-document file (the fixture helm/rendered.yaml repeated -Copies times, ~2 MB at 200), then times
    Get-ImageReference on it and a python3 script that loads every document with yaml.CSafeLoader and walks the same
    pod-spec paths. Both count the references; the counts must agree. Prints seconds, MB/s and the ratio.
    Not part of the test run. Needs python3-yaml (Debian package).
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Build; dotnet pwsh tests/Benchmarks/ImageReference.Benchmark.ps1
#>
# BenchmarkNeeds: python3:yaml
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ImageTools/ImageTools.psd1'),
    # 20 copies (~0.2 MB) instead of 200
    [switch] $Quick,
    [int] $Copies = $(if ($Quick) { 20 } else { 200 }),
    [string] $WorkPath = (Join-Path ([IO.Path]::GetTempPath()) "imagetools-yaml-bench-$PID")
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
Import-Module (Join-Path $PSScriptRoot 'BenchmarkRow.psm1') -Force
New-Item -ItemType Directory -Force $WorkPath | Out-Null

function Time([scriptblock] $Block) { $sw = [Diagnostics.Stopwatch]::StartNew(); $r = & $Block; $sw.Elapsed.TotalSeconds; $r }

$python = @'
import sys, yaml
paths = {"Pod": ["spec"], "CronJob": ["spec", "jobTemplate", "spec", "template", "spec"], "PodTemplate": ["template", "spec"]}
def walk(obj, n):
    if not isinstance(obj, dict): return n
    kind = obj.get("kind")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(obj.get("items"), list):
        for item in obj["items"]: n = walk(item, n)
        return n
    spec = obj
    for key in paths.get(kind, ["spec", "template", "spec"]):
        spec = spec.get(key) if isinstance(spec, dict) else None
    if not isinstance(spec, dict): return n
    for key in ("initContainers", "containers", "ephemeralContainers"):
        for c in spec.get(key) or []:
            if isinstance(c, dict) and "image" in c: n += 1
    return n
n = 0
with open(sys.argv[1]) as f:
    for doc in yaml.load_all(f, Loader=yaml.CSafeLoader): n = walk(doc, n)
print(n)
'@

try {
    $file = Join-Path $WorkPath 'rendered.yaml'
    $one = [IO.File]::ReadAllText((Join-Path $PSScriptRoot '../Fixtures/yaml/helm/rendered.yaml'))
    [IO.File]::WriteAllText($file, [string]::Concat([Linq.Enumerable]::Repeat($one, $Copies)))
    $script = Join-Path $WorkPath 'count.py'
    Set-Content -LiteralPath $script -Value $python
    $bytes = (Get-Item $file).Length
    Get-ImageReference -LiteralPath $file | Out-Null   # warm up (JIT, page cache)

    $ours = 1..5 | ForEach-Object { Time { @(Get-ImageReference -LiteralPath $file).Count } }
    $theirs = 1..5 | ForEach-Object { Time { [int](& python3 $script $file) } }
    $oursBest = ($ours | Where-Object { $_ -is [double] } | Measure-Object -Minimum).Minimum
    $theirsBest = ($theirs | Where-Object { $_ -is [double] } | Measure-Object -Minimum).Minimum
    $oursCount = $ours[1]; $theirsCount = $theirs[1]
    if ($oursCount -ne $theirsCount) { throw "Get-ImageReference found $oursCount references, PyYAML $theirsCount" }
    Write-Host ("{0:N1} MB, {1} documents with images x {2}: {3} references (best of 5)" -f ($bytes / 1e6), 5, $Copies, $oursCount)
    Write-Host ('Get-ImageReference {0,6:N2} s ({1,5:N1} MB/s)   python3 yaml.CSafeLoader {2,6:N2} s ({3,5:N1} MB/s)   ratio {4,5:N2}x' -f
        $oursBest, ($bytes / $oursBest / 1e6), $theirsBest, ($bytes / $theirsBest / 1e6), ($theirsBest / $oursBest))
    New-BenchmarkRow -Work ("Get-ImageReference, {0:N1} MB of Helm YAML" -f ($bytes / 1e6)) -Seconds $oursBest `
        -Reference 'python3 yaml.CSafeLoader' -ReferenceSeconds $theirsBest -Note 'best of 5'
}
finally {
    Remove-Item -LiteralPath $WorkPath -Recurse -Force -ErrorAction SilentlyContinue
}
