<#
.SYNOPSIS
    The module's main job on the sample images shipped in tests/Fixtures/data: list, inspect and verify.
#>
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }
Import-Module $ModulePath -Force
$data = Join-Path $PSScriptRoot 'Fixtures/data'

function Show([string] $Title, [scriptblock] $Command) {
    Write-Host ''
    Write-Host "# $Title" -ForegroundColor Green
    Write-Host "PS> $($Command.ToString().Trim())" -ForegroundColor Cyan
    & $Command | Format-Table -AutoSize | Out-String -Width 160 | Write-Host
}

Write-Host "ImageTools $((Get-Module ImageTools).Version): reading images where they sit on disk"
Show 'images in an OCI layout' { Get-Image -Path $data/oci-layout }
Show 'images in a docker save archive' { Get-Image -Path $data/docker-save-legacy.tar }
Show 'platforms of a multi-platform image' { Get-Image -Path $data/oci-layout -Name multi:latest | Get-ImageManifest }
Show 'one name, two spellings' { Get-Image -Path $data/ctr-export.tar -Name docker.io/library/base:1.0 | Get-ImageConfig }
Show 'layers with DiffID and ChainID' { Get-Image -Path $data/oci-layout -Name app:2.0 | Get-ImageManifest | Get-ImageLayer | Select-Object Index, Compression, Size, DiffId, ChainId }
Show 'verify every blob, layers decompressed' { Test-ImageBlob -Path $data/oci-layout -DiffId | Group-Object Status, Kind -NoElement }
Show 'the DiffID of a gzip blob' {
    $layer = Get-Image -Path $data/oci-layout -Name base:1.0 | Get-ImageManifest | Get-ImageLayer | Select-Object -First 1
    Get-ContentDigest -LiteralPath (Join-Path $data "oci-layout/blobs/sha256/$($layer.Digest -replace "^sha256:")") -Uncompressed
}
$work = Join-Path ([IO.Path]::GetTempPath()) "imagetools-demo-$PID"
New-Item -ItemType Directory -Force $work | Out-Null
try {
    Show 'pack a repository (all its tags) and one more image, docker save style' { Save-Image -Path $data/oci-layout -Name app, base:1.0 -DestinationPath $work/images.tar }
    Show 'what the archive holds' { Get-Image -Path $work/images.tar }
    Show 'the merged filesystem of app:2.0 (whiteouts and opaque dirs applied)' { Get-Image -Path $data/oci-layout -Name app:2.0 | Get-ImageFileSystem -Include '/data/**' }
    Show 'wasted space' { Get-Image -Path $data/oci-layout -Name app:2.0 | Measure-Image }
}
finally { Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue }

$broken = Test-ImageBlob -Path $data/oci-layout -DiffId | Where-Object Status -ne Valid
if ($broken) { Write-Host "Demo found broken blobs: $($broken.Digest -join ', ')"; exit 1 }
Write-Host 'Every blob of the sample layout verified.'
