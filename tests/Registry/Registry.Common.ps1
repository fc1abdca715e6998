# Shared helpers of the registry tests: the fixture made by tests/Fixtures/registry/New-RegistryFixtures.sh
# (a real docker-registry 2.8.2 storage tree, pushed with skopeo) and what the real tools said about it.
$script:RegistryFixtures = Join-Path $PSScriptRoot '../Fixtures/registry'
$script:RegistryExpected = Join-Path $script:RegistryFixtures 'expected'

function New-RegistryCopy([string] $Destination) {
    # A fresh copy of the storage tree (a tar, so the empty folders a deleted manifest leaves are kept).
    New-Item -ItemType Directory -Force -Path $Destination | Out-Null
    & tar -xf (Join-Path $script:RegistryFixtures 'storage.tar') -C $Destination
    if ($LASTEXITCODE -ne 0) { throw "tar failed on storage.tar" }
    return (Resolve-Path $Destination).Path
}

function Get-ExpectedTags {
    # repository:tag -> digest, as skopeo inspect reported them from the running registry.
    $map = [ordered]@{}
    foreach ($line in Get-Content (Join-Path $script:RegistryExpected 'skopeo-digests.txt')) {
        $name, $digest = $line -split ' '
        $map[$name] = $digest
    }
    return $map
}

function Get-GcEligible([string] $File, [string] $Kind = 'blob') {
    # What docker-registry garbage-collect --dry-run said it would delete.
    Get-Content (Join-Path $script:RegistryExpected $File) |
        Where-Object { $_ -match "^$Kind eligible for deletion: (sha256:[0-9a-f]{64})" } |
        ForEach-Object { $Matches[1] } | Sort-Object
}

function Get-BlobJson([string] $Root, [string] $Digest) {
    $hex = $Digest.Substring(7)
    Get-Content -Raw (Join-Path $Root "docker/registry/v2/blobs/sha256/$($hex.Substring(0,2))/$hex/data") | ConvertFrom-Json
}

function Test-RegistryToolsPresent {
    return [bool](Get-Command docker-registry -ErrorAction SilentlyContinue) -and [bool](Get-Command skopeo -ErrorAction SilentlyContinue)
}

function Start-TestRegistry([string] $Root) {
    # Starts the real registry on 127.0.0.1 (a free port) over $Root; stop it with Stop-TestRegistry (by its PID).
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $config = Join-Path ([System.IO.Path]::GetDirectoryName($Root)) "registry-$port.yml"
    @"
version: 0.1
log: { level: error }
storage:
  filesystem: { rootdirectory: $Root }
  delete: { enabled: true }
  maintenance: { uploadpurging: { enabled: false } }
http: { addr: 127.0.0.1:$port }
"@ | Set-Content -Path $config
    $psi = [System.Diagnostics.ProcessStartInfo]::new('docker-registry', @('serve', $config))
    $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true; $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $process.BeginOutputReadLine(); $process.BeginErrorReadLine()
    $deadline = (Get-Date).AddSeconds(20)
    while ((Get-Date) -lt $deadline) {
        & curl -sf "http://127.0.0.1:$port/v2/" -o /dev/null 2>$null
        if ($LASTEXITCODE -eq 0) { return [pscustomobject]@{ Process = $process; Address = "127.0.0.1:$port"; Config = $config } }
        Start-Sleep -Milliseconds 100
    }
    $process.Kill(); throw "docker-registry did not answer on 127.0.0.1:$port"
}

function Stop-TestRegistry($Registry) {
    if ($Registry -and -not $Registry.Process.HasExited) { $Registry.Process.Kill(); $Registry.Process.WaitForExit(5000) | Out-Null }
}
