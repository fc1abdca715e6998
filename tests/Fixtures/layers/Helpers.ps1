# Shared by the layers-area Pester tests (dot-source it in BeforeAll).
Import-Module "$PSScriptRoot/../../TestHelpers.psm1"
$script:DataLayout = (Resolve-Path "$PSScriptRoot/../data/oci-layout").Path
$script:LayersLayout = (Resolve-Path "$PSScriptRoot/oci-layout").Path
$script:Expected = (Resolve-Path "$PSScriptRoot/expected").Path
$script:ListRootfs = "$PSScriptRoot/list-rootfs.py"
$script:ListTar = "$PSScriptRoot/list-tar.py"

# What umoci unpack produced for an image (list-rootfs.py TSV), keyed by '/path'.
function Get-UmociListing([string] $Name) {
    $rows = Import-Csv -Delimiter "`t" -Path (Join-Path $script:Expected "$Name.umoci-unpack.tsv") -Encoding utf8
    $map = [ordered]@{}
    foreach ($r in $rows) { $map['/' + $r.path] = $r }
    $map
}

# A folder listed by the same script, for comparing an Expand-Image result with umoci's.
function Get-RootfsListing([string] $Path) {
    $rows = & python3 $script:ListRootfs $Path | ConvertFrom-Csv -Delimiter "`t"
    $map = [ordered]@{}
    foreach ($r in $rows) { $map['/' + $r.path] = $r }
    $map
}

# Python tarfile's view of one layer blob (decompressed with zcat, or by zstd -dc (Get-ZstdOutput), as its bytes say).
function Get-PythonTarListing([string] $Layout, [string] $Digest) {
    $blob = Join-Path $Layout ("blobs/sha256/" + $Digest.Substring(7))
    $cmd = switch (Get-CompressionFromMagic $blob) {
        'Gzip' { "zcat '$blob'" }
        'Zstd' { "cat '$(Get-ZstdOutput $blob)'" }
        default { "cat '$blob'" }
    }
    $json = & bash -c "$cmd | python3 '$($script:ListTar)'"
    $json | ForEach-Object { $_ | ConvertFrom-Json }
}

# The manifest JSON of a tag in a layout.
function Get-FixtureManifest([string] $Layout, [string] $Tag) {
    $index = Get-Content (Join-Path $Layout 'index.json') -Raw | ConvertFrom-Json
    $d = ($index.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq $Tag }).digest
    Get-Content (Join-Path $Layout ("blobs/sha256/" + $d.Substring(7))) -Raw | ConvertFrom-Json
}
