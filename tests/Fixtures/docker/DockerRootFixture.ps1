# Dot-sourced by the Docker-root tests: unpacks a packed data root made by New-DockerRootFixture.sh.
# The packed roots hold whiteout character devices and trusted.overlay.* xattrs, which only root can create,
# so the tests skip themselves (with this reason) when not run as root.

$script:DockerFixtureDir = $PSScriptRoot
$script:DockerExpected = Join-Path $PSScriptRoot 'expected'
$script:DockerSkipReason = $null
if (-not $IsLinux) { $script:DockerSkipReason = 'Docker data roots exist on Linux only' }
elseif ((& id -u) -ne '0') { $script:DockerSkipReason = 'unpacking the Docker data-root fixture needs root (character devices, trusted.* xattrs)' }

function Expand-DockerRootFixture {
    param([Parameter(Mandatory)] [ValidateSet('overlay2', 'vfs')] [string] $Driver,
          [Parameter(Mandatory)] [string] $Destination)
    New-Item -ItemType Directory -Path $Destination -Force | Out-Null
    & tar --xattrs --xattrs-include='*' --numeric-owner -xzf (Join-Path $script:DockerFixtureDir "docker-root-$Driver.tar.gz") -C $Destination
    if ($LASTEXITCODE -ne 0) { throw "tar could not unpack docker-root-$Driver.tar.gz into $Destination" }
    (Resolve-Path $Destination).Path
}

# The id of an overlay2 (or vfs) directory named in docker inspect's GraphDriver data.
function Get-DriverDirId([string] $Path) {
    if ($Path -match '/(?:overlay2|vfs/dir)/([^/]+)(?:/diff)?$') { $Matches[1] } else { throw "not a driver path: $Path" }
}

function Get-DockerInspect([string] $Name) {
    Get-Content -Raw (Join-Path $script:DockerExpected $Name) | ConvertFrom-Json -NoEnumerate | ForEach-Object { $_ }
}
