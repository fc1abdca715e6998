<#
.SYNOPSIS
    Writes an OCI layout holding one image of several gzip layers made of real files (/usr), for benchmarks.
#>
param(
    [Parameter(Mandatory)] [string] $Path,
    [int] $LayerCount = 4,
    [int] $LayerMiB = 256,
    [string] $Name = 'big:1.0',
    # each layer tar LayerMiB MiB long (headers and padding counted) instead of about LayerMiB MiB of file bytes
    [switch] $ExactSize
)
$ErrorActionPreference = 'Stop'
New-Item -ItemType Directory -Force "$Path/blobs/sha256" | Out-Null
'{"imageLayoutVersion":"1.0.0"}' | Set-Content -NoNewline "$Path/oci-layout"

function Add-Blob([string] $File) {
    $hex = ((& sha256sum $File) -split ' ')[0]
    Move-Item -Force $File "$Path/blobs/sha256/$hex"
    [pscustomobject]@{ Digest = "sha256:$hex"; Size = (Get-Item "$Path/blobs/sha256/$hex").Length }
}

$layers = @(); $diffIds = @()
for ($i = 0; $i -lt $LayerCount; $i++) {
    $tmp = "$Path/layer$i.tar.gz"
    # Each layer a valid tar of a different slice of the files under /usr, about LayerMiB in size.
    & bash (Join-Path $PSScriptRoot 'make-layer-tar.sh') "$Path/plain$i.tar" $i $LayerMiB $(if ($ExactSize) { 'exact' })
    $diffIds += 'sha256:' + ((& sha256sum "$Path/plain$i.tar") -split ' ')[0]
    & bash -c "gzip -1 -c '$Path/plain$i.tar' > '$tmp' && rm '$Path/plain$i.tar'"
    $layers += Add-Blob $tmp
}
$config = @{ architecture = 'amd64'; os = 'linux'; created = '2024-01-01T00:00:00Z'; config = @{ Cmd = @('/bin/sh') }
    rootfs = @{ type = 'layers'; diff_ids = $diffIds }; history = @(1..$LayerCount | ForEach-Object { @{ created_by = "layer $_" } }) } | ConvertTo-Json -Depth 5 -Compress
[IO.File]::WriteAllText("$Path/config.json", $config)
$c = Add-Blob "$Path/config.json"
$manifest = @{ schemaVersion = 2; mediaType = 'application/vnd.oci.image.manifest.v1+json'
    config = @{ mediaType = 'application/vnd.oci.image.config.v1+json'; digest = $c.Digest; size = $c.Size }
    layers = @($layers | ForEach-Object { @{ mediaType = 'application/vnd.oci.image.layer.v1.tar+gzip'; digest = $_.Digest; size = $_.Size } }) } | ConvertTo-Json -Depth 5 -Compress
[IO.File]::WriteAllText("$Path/manifest.json", $manifest)
$m = Add-Blob "$Path/manifest.json"
@{ schemaVersion = 2; manifests = @(@{ mediaType = 'application/vnd.oci.image.manifest.v1+json'; digest = $m.Digest; size = $m.Size
            annotations = @{ 'org.opencontainers.image.ref.name' = $Name } }) } | ConvertTo-Json -Depth 5 -Compress | Set-Content -NoNewline "$Path/index.json"
