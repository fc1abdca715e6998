<#
.SYNOPSIS
Benchmarks Get-ContainerdContent against `ctr content ls` on the same records, in the same run.

.DESCRIPTION
For each size in -Records, builds a private containerd root (root, state and unix socket in a temp folder) holding
that many content records: n tiny images (one shared layer, a distinct config and manifest per image: 2n+1 records).
The meta.db comes from one of two routes (-Generator):
  - Boltgen: tests/Benchmarks/boltgen (Go) writes the meta.db directly through the real bbolt library, then checks it
    with bbolt's own tx.Check. Seconds at 100,000 records. Built offline from Debian's packages golang-go and
    golang-github-coreos-bbolt-dev (GO111MODULE=off GOPATH=/usr/share/gocode).
  - Import: one OCI archive of the n images (python3) imported with `ctr images import --no-unpack`: minutes at
    10,000 records on 2 cores, too slow for 100,000.
Auto (the default) takes Boltgen when go and the bbolt source are installed, else Import; without go the default
sizes shrink to 10,000 (the Import route). Either way containerd then runs on the root (its startup garbage
collection keeps every record: each is reachable from an image), and `ctr content ls` must list as many records as
Get-ContainerdContent (a difference is printed). With containerd running (so meta.db is locked by it):
  - `ctr content ls` (median of -Runs runs, wall clock of the whole process, as an admin would run it);
  - in a fresh pwsh process per run: Import-Module plus the first Get-ContainerdContent streamed to Out-Null
    (a new session's first listing), the growth of the process's peak resident memory VmHWM during that streamed
    listing, then -Runs warm listings (median);
  - the floor: the same new-session probe on a one-cmdlet binary module (tests/Benchmarks/pwshfloor) writing as many
    plain objects, which is what pwsh itself costs a new session here;
and writes four rows per size (New-BenchmarkRow): the new session, the floor and the warm listing against ctr, and the
streamed memory. Goals (issue 14): a new session within ctr's time, a warm listing at least 2x ctr (1.5x at 100,000
records), a streamed listing growing memory by less than 64 MiB. containerd is stopped by its PID.

-MetaDb takes a meta.db made elsewhere (copied into a fresh root) instead of generating one.
.EXAMPLE
dotnet pwsh tests/Benchmarks/ContainerdContent.Benchmark.ps1
The sizes of issue 14 (10,000 and 100,000 records; 10,000 only without go).
.EXAMPLE
dotnet pwsh tests/Benchmarks/ContainerdContent.Benchmark.ps1 -Records 100000 -Runs 5
.EXAMPLE
dotnet pwsh tests/Benchmarks/ContainerdContent.Benchmark.ps1 -Records 10000 -Generator Import -RootCache /tmp/ctrd-10k
#>
# BenchmarkNeeds: root containerd ctr
# and one route to a meta.db: go with Debian's bbolt source (Boltgen), or python3 (Import); checked below
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ImageTools/ImageTools.psd1'),
    # 1,000 records instead of the sizes of issue 14
    [switch] $Quick,
    # the sizes (content records) to measure; default: 10,000 and 100,000 (10,000 only when boltgen cannot be built)
    [int[]] $Records,
    [int] $Runs = $(if ($Quick) { 3 } else { 5 }),
    # how the meta.db is made (see the description)
    [ValidateSet('Auto', 'Boltgen', 'Import')]
    [string] $Generator = 'Auto',
    # Import route: keep the built containerd root here and reuse it on the next run (the import is the slow part)
    [string] $RootCache,
    # benchmark this meta.db (copied into a fresh root) instead of generating one
    [string] $MetaDb
)
Import-Module (Join-Path $PSScriptRoot 'BenchmarkRow.psm1') -Force
$ErrorActionPreference = 'Stop'
$Module = (Resolve-Path $ModulePath).Path
$bboltSource = '/usr/share/gocode/src/go.etcd.io/bbolt'
$canBoltgen = [bool](Get-Command go -CommandType Application -ErrorAction SilentlyContinue) -and (Test-Path $bboltSource)
if ($Generator -eq 'Auto') { $Generator = if ($canBoltgen) { 'Boltgen' } else { 'Import' } }
if (-not $Records) { $Records = if ($Quick) { 1000 } elseif ($Generator -eq 'Boltgen') { 10000, 100000 } else { 10000 } }
if (-not $MetaDb) {
    if ($Generator -eq 'Boltgen' -and -not $canBoltgen) { throw "-Generator Boltgen needs go and $bboltSource (Debian: apt-get install golang-go golang-github-coreos-bbolt-dev)" }
    if ($Generator -eq 'Import' -and -not (Get-Command python3 -CommandType Application -ErrorAction SilentlyContinue)) { throw '-Generator Import needs python3' }
}
$work = Join-Path ([IO.Path]::GetTempPath()) ("ctrd-bench-" + [guid]::NewGuid().ToString('n').Substring(0, 8))
New-Item -ItemType Directory $work | Out-Null
$boltgen = $null
if ($Generator -eq 'Boltgen' -and -not $MetaDb) {
    # offline: the bbolt package from Debian's GOPATH, no module download
    $boltgen = "$work/boltgen"
    $saved = @{}; foreach ($k in 'GO111MODULE', 'GOPATH', 'GOCACHE', 'GOFLAGS') { $saved[$k] = [Environment]::GetEnvironmentVariable($k) }
    try {
        $env:GO111MODULE = 'off'; $env:GOPATH = '/usr/share/gocode'; $env:GOCACHE = "$work/gocache"; $env:GOFLAGS = ''
        Push-Location (Join-Path $PSScriptRoot 'boltgen')
        try { & go build -o $boltgen . } finally { Pop-Location }
        if ($LASTEXITCODE) { throw 'building tests/Benchmarks/boltgen failed' }
    }
    finally { foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) } }
}

function Median($xs) { $s = @($xs | Sort-Object); $s[[int][Math]::Floor($s.Count / 2)] }

# The floor a new session starts from: a one-cmdlet binary module (tests/Benchmarks/pwshfloor) imported the same way,
# its first listing of as many plain objects streamed to Out-Null. What ImageTools takes above it is its own.
$floorModule = & (Join-Path $PSScriptRoot 'pwshfloor/Build-PwshFloor.ps1') -OutputPath "$work/pwshfloor"

# One size: a containerd root holding about $Size content records, containerd running on it, ctr against us.
function Measure-Size([int] $Size, [string] $Dir) {
    New-Item -ItemType Directory $Dir | Out-Null
    $sock = "$Dir/ctrd.sock"
    $proc = $null
    try {
        # ---- an OCI archive of N tiny images: records = N manifests + N configs + 1 layer ----
        $n = [Math]::Max(1, [int](($Size - 1) / 2))
        $gen = @'
import hashlib, json, os, sys, tarfile, io, gzip
out, n = sys.argv[1], int(sys.argv[2])
blobs = {}
def add(data):
    d = hashlib.sha256(data).hexdigest(); blobs[d] = data; return d
raw = io.BytesIO()
with tarfile.open(fileobj=raw, mode='w', format=tarfile.USTAR_FORMAT) as t:
    info = tarfile.TarInfo('hello.txt'); body = b'hello\n'; info.size = len(body); info.mtime = 0
    t.addfile(info, io.BytesIO(body))
diffid = hashlib.sha256(raw.getvalue()).hexdigest()
layer = gzip.compress(raw.getvalue(), mtime=0)
ld = add(layer)
manifests = []
for i in range(n):
    cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Env": ["I=%d" % i]},
                      "rootfs": {"type": "layers", "diff_ids": ["sha256:" + diffid]}}).encode()
    cd = add(cfg)
    m = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "sha256:" + cd, "size": len(cfg)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "sha256:" + ld, "size": len(layer)}]}).encode()
    md = add(m)
    manifests.append({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:" + md, "size": len(m),
        "annotations": {"io.containerd.image.name": "bench.example/img%05d:1" % i, "org.opencontainers.image.ref.name": "1"}})
index = json.dumps({"schemaVersion": 2, "manifests": manifests}).encode()
with tarfile.open(out, 'w') as t:
    def put(name, data):
        info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
    put('oci-layout', b'{"imageLayoutVersion":"1.0.0"}')
    put('index.json', index)
    for d, data in blobs.items(): put('blobs/sha256/' + d, data)
'@
        $rootDir = if ($RootCache -and -not $MetaDb -and $Generator -eq 'Import') { $RootCache } else { "$Dir/root" }
        $metaDir = "$rootDir/io.containerd.metadata.v1.bolt"
        if ($MetaDb) {
            New-Item -ItemType Directory $metaDir | Out-Null
            Copy-Item -LiteralPath $MetaDb "$metaDir/meta.db"
        }
        elseif ($boltgen) {
            New-Item -ItemType Directory $metaDir | Out-Null
            $t = [Diagnostics.Stopwatch]::StartNew()
            & $boltgen gen "$metaDir/meta.db" $n k8s.io
            if ($LASTEXITCODE) { throw 'boltgen gen failed' }
            # bbolt's own consistency check, and the counts as bbolt reads them
            Write-Host ("boltgen: {0} images in {1:n1} s; {2}" -f $n, $t.Elapsed.TotalSeconds, (& $boltgen check "$metaDir/meta.db" k8s.io))
            if ($LASTEXITCODE) { throw 'boltgen check failed' }
        }
        $cached = Test-Path "$metaDir/meta.db"
        if (-not $cached) {
            Set-Content "$Dir/gen.py" $gen
            & python3 "$Dir/gen.py" "$Dir/bench.tar" $n
            if ($LASTEXITCODE) { throw 'generating the archive failed' }
        }

        @"
version = 2
root = "$rootDir"
state = "$Dir/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$sock"
[ttrpc]
  address = "$sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$Dir/opt"
"@ | Set-Content "$Dir/config.toml"
        $proc = Start-Process containerd -ArgumentList '--config', "$Dir/config.toml" -PassThru -RedirectStandardError "$Dir/containerd.log" -RedirectStandardOutput "$Dir/containerd.out"
        $ok = $false
        for ($i = 0; $i -lt 100 -and -not $ok; $i++) { & ctr -a $sock version *> $null; $ok = $LASTEXITCODE -eq 0; if (-not $ok) { Start-Sleep -Milliseconds 100 } }
        if (-not $ok) { throw 'containerd did not answer' }
        if (-not $cached) {
            $t = [Diagnostics.Stopwatch]::StartNew()
            & ctr -a $sock -n k8s.io images import --no-unpack "$Dir/bench.tar" > $null
            if ($LASTEXITCODE) { throw 'ctr images import failed' }
            Write-Host ("imported {0} images in {1:n1} s" -f $n, $t.Elapsed.TotalSeconds)
        }
        $root = $rootDir
        $db = Get-Item "$root/io.containerd.metadata.v1.bolt/meta.db"

        # ---- ctr content ls (whole process, like an admin runs it) ----
        $ctrTimes = foreach ($i in 1..$Runs) {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $lines = & ctr -a $sock -n k8s.io content ls
            $sw.Stop()
            $sw.Elapsed.TotalMilliseconds
        }
        $ctrCount = @($lines).Count - 1

        # ---- Get-ContainerdContent in a fresh pwsh per run: new session, streamed memory, warm listings ----
        $pwsh = (Get-Process -Id $PID).Path
        [string[]]$pwshArgs = @(if ((Split-Path -Leaf $pwsh) -like 'dotnet*') { Join-Path $PSHOME 'pwsh.dll' })
        $probe = @'
param($Module, $Root, $Runs)
# No Get-Content or Measure-Object here: their first use loads a module of pwsh's own (about 150 ms on this
# machine), which is not the listing's time. Reading VmHWM is kept out of the timed parts.
$hwm = { [long](([IO.File]::ReadAllLines('/proc/self/status') -match '^VmHWM')[0] -replace '\D', '') * 1KB }
$sw = [Diagnostics.Stopwatch]::StartNew()
Import-Module $Module
$imported = $sw.Elapsed.TotalMilliseconds
$before = & $hwm
$sw.Restart()
Get-ContainerdContent -Path $Root -Namespace k8s.io | Out-Null
$first = $imported + $sw.Elapsed.TotalMilliseconds
$grown = (& $hwm) - $before
$count = @(Get-ContainerdContent -Path $Root -Namespace k8s.io).Count
$warm = foreach ($i in 1..$Runs) {
    $w = [Diagnostics.Stopwatch]::StartNew()
    $null = Get-ContainerdContent -Path $Root -Namespace k8s.io
    $w.Elapsed.TotalMilliseconds
}
"{0} {1} {2} {3} {4}" -f $first, $count, $grown, $imported, (($warm | Sort-Object)[[int][Math]::Floor($Runs / 2)])
'@
        Set-Content "$Dir/probe.ps1" $probe
        $ours = foreach ($i in 0..$Runs) {
            $r = (& $pwsh @pwshArgs -NoProfile -NonInteractive -File "$Dir/probe.ps1" $Module $root $Runs) -split ' '
            # the first process only warms the disk cache
            if ($i -gt 0) { [pscustomobject]@{ First = [double]$r[0]; Count = [int]$r[1]; Grown = [long]$r[2]; Import = [double]$r[3]; Warm = [double]$r[4] } }
        }

        $floorMs = $null
        if ($floorModule) {
            $floorProbe = @'
param($Module, $Count)
$sw = [Diagnostics.Stopwatch]::StartNew()
Import-Module $Module
Get-FloorItem -Count $Count | Out-Null
$sw.Elapsed.TotalMilliseconds
'@
            Set-Content "$Dir/floor.ps1" $floorProbe
            $floorMs = Median @(foreach ($i in 1..$Runs) { [double](& $pwsh @pwshArgs -NoProfile -NonInteractive -File "$Dir/floor.ps1" $floorModule $ctrCount) })
        }

        $ctrMs = Median $ctrTimes
        $firstMs = Median $ours.First
        $warmMs = Median $ours.Warm
        $grownMiB = ($ours.Grown | Measure-Object -Maximum).Maximum / 1MB
        $count = $ours[0].Count
        if ($count -ne $ctrCount) { Write-Host "COUNTS DIFFER: ctr lists $ctrCount records, Get-ContainerdContent $count" }
        Write-Host ''
        Write-Host ("load average {0}" -f (Get-Content /proc/loadavg))
        Write-Host ("meta.db: {0:n1} MiB, {1} content records (ctr lists {2})" -f ($db.Length / 1MB), $count, $ctrCount)
        Write-Host ("ctr content ls:                    median {0,8:n1} ms" -f $ctrMs)
        Write-Host ("new session (import + first list): median {0,8:n1} ms (import alone {1:n1} ms)" -f $firstMs, (Median $ours.Import))
        if ($floorMs) { Write-Host ("floor (one-cmdlet module, same):   median {0,8:n1} ms: import + {1} plain objects | Out-Null" -f $floorMs, $ctrCount) }
        Write-Host ("warm Get-ContainerdContent:        median {0,8:n1} ms ({1:n0} records/s)" -f $warmMs, ($count / $warmMs * 1000))
        Write-Host ("streamed listing (| Out-Null) grew peak RSS by {0:n1} MiB ({1:n2}x the meta.db size)" -f $grownMiB, ($grownMiB * 1MB / $db.Length))
        $recordsText = "{0:n0} records" -f $count
        $warmGoal = if ($count -ge 50000) { 1 / 1.5 } else { 0.5 }
        New-BenchmarkRow -Work "containerd: new session + first Get-ContainerdContent, $recordsText" -Seconds ($firstMs / 1000) `
            -Reference 'ctr content ls' -ReferenceSeconds ($ctrMs / 1000) -GoalTimeRatio 1.0
        if ($floorMs) {
            New-BenchmarkRow -Work "pwsh floor: new session, import of a one-cmdlet module + first listing of as many plain objects" -Seconds ($floorMs / 1000) `
                -Reference 'ctr content ls' -ReferenceSeconds ($ctrMs / 1000) -Note 'what pwsh itself takes of the new-session row (tests/Benchmarks/pwshfloor)'
        }
        New-BenchmarkRow -Work "containerd: warm Get-ContainerdContent, $recordsText" -Seconds ($warmMs / 1000) `
            -Reference 'ctr content ls' -ReferenceSeconds ($ctrMs / 1000) -GoalTimeRatio $warmGoal
        $streamedMs = Median @($ours | ForEach-Object { $_.First - $_.Import })
        New-BenchmarkRow -Work "containerd: first listing streamed to Out-Null (import not counted), $recordsText" -Seconds ($streamedMs / 1000) `
            -Reference 'ctr content ls' -ReferenceSeconds ($ctrMs / 1000) -MemoryMiB $grownMiB `
            -Note ("memory goal: grows by less than 64 MiB (meta.db {0:n0} MiB): {1}" -f ($db.Length / 1MB), $(if ($grownMiB -lt 64) { 'met' } else { 'NOT met' }))
    }
    finally {
        if ($proc) { Stop-Process -Id $proc.Id -ErrorAction SilentlyContinue; $proc.WaitForExit(10000) | Out-Null }
        # the root goes at once (a generated meta.db is hundreds of MiB); a -RootCache root lies outside and stays
        Remove-Item -Recurse -Force $Dir -ErrorAction SilentlyContinue
    }
}

try {
    foreach ($size in $Records) { Measure-Size -Size $size -Dir (Join-Path $work "r$size") }
}
finally {
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
