# Dot-sourced by the Get-ImageStore and remoting tests: lays out a folder like a host's / from the committed fixtures,
# with the daemons' configuration files moving their stores away from the default places.
#   etc/docker/daemon.json            data-root /srv/docker-data   (tests/Fixtures/docker overlay2 root)
#   var/lib/docker -> /srv/docker-data (an absolute symlink: it must resolve under the tree, not on this machine)
#   etc/containerd/config.toml        root /data/containerd        (tests/Fixtures/containerd/root)
#   etc/docker/registry/config.yml    rootdirectory /srv/registry  (tests/Fixtures/registry/storage.tar)
# The Docker root needs root to unpack (character devices, trusted.* xattrs); -NoDocker leaves it out.

. (Join-Path $PSScriptRoot '../docker/DockerRootFixture.ps1')

$script:HostFixtures = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path

function New-HostTree {
    param([Parameter(Mandatory)] [string] $Destination, [switch] $NoDocker, [switch] $NoContainerd, [switch] $NoRegistry)
    foreach ($d in 'etc/docker/registry', 'etc/containerd', 'srv', 'data', 'var/lib', 'home') {
        New-Item -ItemType Directory -Force -Path (Join-Path $Destination $d) | Out-Null
    }
    $tree = (Resolve-Path $Destination).Path
    if (-not $NoDocker) {
        Expand-DockerRootFixture -Driver overlay2 -Destination "$tree/srv/docker-data" | Out-Null
        Set-Content -LiteralPath "$tree/etc/docker/daemon.json" -Value '{ "data-root": "/srv/docker-data", "log-level": "warn" }'
        & ln -s /srv/docker-data "$tree/var/lib/docker"
    }
    if (-not $NoContainerd) {
        New-Item -ItemType Directory -Force -Path "$tree/data/containerd" | Out-Null
        & cp -a "$script:HostFixtures/containerd/root/." "$tree/data/containerd/"
        if ($LASTEXITCODE -ne 0) { throw "cp could not copy the containerd root fixture into $tree" }
        Set-Content -LiteralPath "$tree/etc/containerd/config.toml" -Value @'
version = 2
# root = "/var/lib/not-this-one"
root = "/data/containerd"
state = "/run/containerd"
disabled_plugins = [
  "io.containerd.grpc.v1.cri", # [not a table]
]
[grpc]
  address = "/run/containerd/containerd.sock"
[plugins."io.containerd.internal.v1.opt"]
  root = "/opt/containerd"
'@
    }
    if (-not $NoRegistry) {
        New-Item -ItemType Directory -Force -Path "$tree/srv/registry" | Out-Null
        & tar -xf "$script:HostFixtures/registry/storage.tar" -C "$tree/srv/registry"
        if ($LASTEXITCODE -ne 0) { throw "tar could not unpack the registry fixture into $tree" }
        Set-Content -LiteralPath "$tree/etc/docker/registry/config.yml" -Value @'
version: 0.1
log:
  fields:
    service: registry
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: /srv/registry
http:
  addr: 127.0.0.1:5000
'@
    }
    $tree
}
