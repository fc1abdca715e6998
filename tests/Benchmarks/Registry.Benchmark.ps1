<#
.SYNOPSIS
    Times Get-RegistryRepository, Get-RegistryTag and Find-RegistryGarbage on a synthetic registry storage tree
    (2,000 repositories, 20,000 tags, 50,000 blobs) against `find <root> -name link | xargs cat` over the same
    tree in the same run, prints the ratios and writes one New-BenchmarkRow per cmdlet (issue 14:
    Get-RegistryRepository at most 1.0x the find pipeline). Each time is the best of -Runs.
.EXAMPLE
    dotnet pwsh tests/Benchmarks/Registry.Benchmark.ps1 -ModulePath ./out/ImageTools/ImageTools.psd1
#>
# BenchmarkNeeds: python3 find xargs bash
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ImageTools/ImageTools.psd1'),
    # 400 repositories and 10,000 blobs instead of 2,000 and 50,000
    [switch] $Quick,
    [int] $Repositories = $(if ($Quick) { 400 } else { 2000 }),
    [int] $TagsPerRepository = 10,
    [int] $Blobs = $(if ($Quick) { 10000 } else { 50000 }),
    [int] $Runs = 3,
    [string] $WorkDirectory
)
$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path $ModulePath).Path -Force
Import-Module (Join-Path $PSScriptRoot 'BenchmarkRow.psm1') -Force
$work = if ($WorkDirectory) { $WorkDirectory } else { (& mktemp -d /tmp/imagetools-registry-bench.XXXXXX) }
try {
    # The tree: each tag has its own manifest (config + 3 layers from a shared pool); the rest of the blobs are
    # layers no manifest refers to. Manifests are real JSON whose sha256 is their digest; other blobs are small.
    $generator = @'
import hashlib, json, os, sys
root, nrepo, ntag, nblob = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
v2 = os.path.join(root, "docker", "registry", "v2")
def put_blob(data):
    h = hashlib.sha256(data).hexdigest()
    d = os.path.join(v2, "blobs", "sha256", h[:2], h)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "data"), "wb") as f: f.write(data)
    return h
def link(path, h):
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "link"), "w") as f: f.write("sha256:" + h)
nmanifest = nrepo * ntag
npool = max(1, nblob - 2 * nmanifest)
pool = [put_blob(b"layer %d\n" % i) for i in range(npool)]
for r in range(nrepo):
    name = "org%02d/repo%04d" % (r % 50, r) if r % 4 else "repo%04d" % r
    rd = os.path.join(v2, "repositories", *name.split("/"))
    for t in range(ntag):
        i = r * ntag + t
        cfg = put_blob(b'{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"n":%d}' % i)
        layers = [pool[(i * 3 + k) % max(1, npool - 1000)] for k in range(3)]
        m = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
             "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "sha256:" + cfg, "size": 80},
             "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "sha256:" + l, "size": 10} for l in layers]}
        mh = put_blob(json.dumps(m, separators=(",", ":")).encode())
        link(os.path.join(rd, "_manifests", "revisions", "sha256", mh), mh)
        tag = "v%d" % t
        link(os.path.join(rd, "_manifests", "tags", tag, "current"), mh)
        link(os.path.join(rd, "_manifests", "tags", tag, "index", "sha256", mh), mh)
        for l in [cfg] + layers: link(os.path.join(rd, "_layers", "sha256", l), l)
'@
    $gen = Join-Path $work 'gen.py'
    Set-Content -Path $gen -Value $generator
    $root = Join-Path $work 'root'
    Write-Host "Building $Repositories repositories, $($Repositories * $TagsPerRepository) tags, $Blobs blobs under $root ..."
    $build = Measure-Command { & python3 $gen $root $Repositories $TagsPerRepository $Blobs }
    $blobCount = [int](& bash -c "find '$root/docker/registry/v2/blobs' -name data | wc -l")
    $linkCount = [int](& bash -c "find '$root' -name link | wc -l")
    Write-Host ("Built in {0:n1}s: {1} blobs, {2} link files" -f $build.TotalSeconds, $blobCount, $linkCount)

    & bash -c "find '$root' -name link | xargs cat > /dev/null"   # warm the page cache for everyone
    $script:repoCount = @(Get-RegistryRepository -Path $root).Count   # and the JIT
    function Best([scriptblock] $Block) { (1..$Runs | ForEach-Object { (Measure-Command $Block).TotalSeconds } | Measure-Object -Minimum).Minimum }
    $reference = Best { & bash -c "find '$root' -name link | xargs cat > /dev/null" }
    $results = [ordered]@{}
    $results['Get-RegistryRepository'] = Best { $script:repoCount = @(Get-RegistryRepository -Path $root).Count }
    $results['Get-RegistryTag'] = Best { $script:tagCount = @(Get-RegistryTag -Path $root).Count }
    $results['Find-RegistryGarbage'] = Best { $script:garbage = @(Find-RegistryGarbage -Path $root) }
    Write-Host ("Counts: {0} repositories, {1} tags, {2} garbage candidates" -f $repoCount, $tagCount, $garbage.Count)
    Write-Host ("{0,-26} {1,9:n3}s" -f 'find -name link | xargs cat', $reference)
    foreach ($k in $results.Keys) {
        Write-Host ("{0,-26} {1,9:n3}s  ratio {2,6:n2}x" -f $k, $results[$k], ($results[$k] / $reference))
        $goal = if ($k -eq 'Get-RegistryRepository') { 1.0 } else { [double]::NaN }
        New-BenchmarkRow -Work "$k, $Repositories repositories" -Seconds $results[$k] -Reference 'find -name link | xargs cat' -ReferenceSeconds $reference -GoalTimeRatio $goal
    }
}
finally {
    if (-not $WorkDirectory) { Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue }
}
