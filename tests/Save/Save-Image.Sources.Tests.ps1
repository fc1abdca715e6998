# Save-Image from every kind of store: a registry's storage (made by docker-registry 2.8.2), a containerd root (made by
# containerd 1.6.20) and a Docker data root (made by dockerd 20.10); the archives are checked against what those tools
# said about the same images, and loaded by the real docker and containerd where they are installed.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:isRoot = (& id -u) -eq '0'
    $script:needsSkopeo = Get-RealToolNeed skopeo
    $script:needsDocker = Get-RealToolNeed dockerd, docker
    $script:needsContainerd = Get-RealToolNeed containerd, ctr
}

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    . (Join-Path $PSScriptRoot '../Registry/Registry.Common.ps1')
    . (Join-Path $PSScriptRoot '../Fixtures/docker/DockerRootFixture.ps1')
    function Get-LayerDigestsOfDockerSave([string] $Archive) {
        $manifest = Get-TarMemberText $Archive 'manifest.json' | ConvertFrom-Json -NoEnumerate
        foreach ($layer in $manifest[0].Layers) { 'sha256:' + (Invoke-Native 'set -o pipefail; tar -xOf "$1" "$2" | sha256sum | cut -d" " -f1' @($Archive, $layer)).Trim() }
    }
}

Describe 'Save-Image from registry storage' {
    BeforeAll { $script:registry = New-RegistryCopy (Join-Path $TestDrive 'registry') }

    It 'a repository alone saves every tag the registry lists for it' {
        $out = Join-Path $TestDrive 'reg-repo.tar'
        Save-Image -Path $registry -Name aiops/data-cleaning -DestinationPath $out | Out-Null
        $listed = (Get-Content (Join-Path $RegistryExpected 'tags.aiops_data-cleaning.json') -Raw | ConvertFrom-Json).tags
        $saved = foreach ($e in (Get-TarMemberText $out 'manifest.json' | ConvertFrom-Json -NoEnumerate)) { $e.RepoTags }
        ($saved | Sort-Object) | Should -Be ($listed | ForEach-Object { "aiops/data-cleaning:$_" } | Sort-Object)
    }

    It 'keeps the multi-platform index the registry serves, byte for byte, with -AllPlatforms' @needsSkopeo {
        $out = Join-Path $TestDrive 'reg-multi.tar'
        Save-Image -Path $registry -Name org/team/app:latest -AllPlatforms -Format OciArchive -DestinationPath $out | Out-Null
        $served = Get-Content (Join-Path $RegistryExpected 'raw.org_team_app.latest.json') -Raw
        $saved = Invoke-Skopeo "oci-archive:${out}:org/team/app:latest" -Raw -AsText
        $saved.Trim() | Should -Be $served.Trim()
    }

    It 'docker loads it with the image IDs the registry manifests name' @needsDocker {
        $out = Join-Path $TestDrive 'reg-load.tar'
        Save-Image -Path $registry -Name base:1.0 -DestinationPath $out | Out-Null
        $config = (Get-Content (Join-Path $RegistryExpected 'raw.base.1.0.json') -Raw | ConvertFrom-Json).config.digest
        $dockerd = Start-PrivateDockerd
        try {
            Invoke-PrivateDocker $dockerd @('load', '-i', $out) | Out-Null
            Invoke-PrivateDocker $dockerd @('image', 'inspect', '--format', '{{.Id}}', 'base:1.0') | Should -Be $config
        }
        finally { Stop-PrivateDockerd $dockerd }
    }
}

Describe 'Save-Image from a containerd root' {
    BeforeAll {
        $script:ctrRoot = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../Fixtures/containerd/root'))
        $script:ctrListing = Get-Content (Join-Path $PSScriptRoot '../Fixtures/containerd/ctr-images-k8s.io.txt')
    }

    It 'saves base:1.0 of namespace k8s.io with the manifest digest ctr listed' {
        $out = Join-Path $TestDrive 'ctr-base.tar'
        Get-Image -Path $ctrRoot -Namespace k8s.io -Name base:1.0 | Save-Image -DestinationPath $out | Out-Null
        $line = $ctrListing | Where-Object { $_ -like 'base:1.0 *' }
        $index = Get-TarMemberText $out 'index.json' | ConvertFrom-Json -NoEnumerate
        $line | Should -BeLike "*$($index.manifests[0].digest)*"
        Assert-EveryBlobValid $out -DiffId
    }

    It 'ctr imports it again with the same digest' @needsContainerd {
        $out = Join-Path $TestDrive 'ctr-roundtrip.tar'
        Get-Image -Path $ctrRoot -Namespace k8s.io -Name base:1.0 | Save-Image -DestinationPath $out | Out-Null
        $daemon = Start-PrivateContainerd
        try {
            Invoke-PrivateCtr $daemon @('-n', 'it', 'images', 'import', $out) | Out-Null
            $line = Invoke-PrivateCtr $daemon @('-n', 'it', 'images', 'ls') | Where-Object { $_ -like '*base:1.0*' }
            $want = ($ctrListing | Where-Object { $_ -like 'base:1.0 *' }) -split '\s+' | Where-Object { $_ -like 'sha256:*' }
            $line | Should -BeLike "*$want*"
        }
        finally { Stop-PrivateContainerd $daemon }
    }
}

Describe 'Save-Image from a Docker data root' -Skip:(-not $isRoot) {
    BeforeAll { $script:dockerRoot = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'docker') }

    It 'writes the same layer tars and config as docker save of the same daemon' {
        $out = Join-Path $TestDrive 'docker-app.tar'
        Save-Image -Path $dockerRoot -Name app:2.0 -DestinationPath $out | Out-Null
        $theirs = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../Fixtures/docker/docker-save.tar'))
        $ours = Get-TarMemberText $out 'manifest.json' | ConvertFrom-Json -NoEnumerate
        $ourLayers = foreach ($l in $ours[0].Layers) { 'sha256:' + (Split-Path -Leaf $l) }
        $ourLayers | Should -Be @(Get-LayerDigestsOfDockerSave $theirs)
        Split-Path -Leaf $ours[0].Config | Should -Be ((Get-TarMemberText $theirs 'manifest.json' | ConvertFrom-Json -NoEnumerate)[0].Config -replace '\.json$', '')
        $ours[0].RepoTags | Should -Be (Get-TarMemberText $theirs 'manifest.json' | ConvertFrom-Json -NoEnumerate)[0].RepoTags
        Assert-EveryBlobValid $out -DiffId
    }

    It 'docker loads it with the image ID docker had' @needsDocker {
        $out = Join-Path $TestDrive 'docker-load.tar'
        Save-Image -Path $dockerRoot -Name app:2.0 -DestinationPath $out | Out-Null
        $dockerd = Start-PrivateDockerd
        try {
            Invoke-PrivateDocker $dockerd @('load', '-i', $out) | Out-Null
            $id = Invoke-PrivateDocker $dockerd @('image', 'inspect', '--format', '{{.Id}}', 'app:2.0')
            $id | Should -Be ('sha256:' + ((Get-TarMemberText (Join-Path $PSScriptRoot '../Fixtures/docker/docker-save.tar') 'manifest.json' | ConvertFrom-Json -NoEnumerate)[0].Config -replace '\.json$', ''))
        }
        finally { Stop-PrivateDockerd $dockerd }
    }
    It 'names the file that changed under a layer (CRC-64, checked once the DiffID does not match) and leaves nothing behind' {
        $r2 = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'changed')
        $layers = @(Get-DockerLayer -Path $r2 | Where-Object { Test-Path "$($_.DiffPath)/etc/hostname" })
        $layers.Count | Should -BeGreaterThan 0
        $file = "$($layers[0].DiffPath)/etc/hostname"
        $bytes = [IO.File]::ReadAllBytes($file); $bytes[0] = $bytes[0] -bxor 0x20; [IO.File]::WriteAllBytes($file, $bytes)
        $dest = New-Item -ItemType Directory (Join-Path $TestDrive 'changed-out')
        { Save-Image -Path $r2 -Name app:2.0 -DestinationPath "$dest/app.tar" -ErrorAction Stop } |
            Should -Throw -ErrorId 'TarSplitMismatch*' -ExpectedMessage "*etc/hostname*$($layers[0].DiffPath)*changed after the layer was made*"
        @(Get-ChildItem -Force $dest).Count | Should -Be 0
    }

    It 'fails with DigestMismatch when a tar-split header segment was changed (every file as recorded, the DiffID does not match)' {
        $r3 = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'header')
        $layer = @(Get-DockerLayer -Path $r3 | Where-Object { $_.ImageNames -contains 'app:2.0' -and $_.HasTarSplit })[0]
        $layer | Should -Not -BeNullOrEmpty
        $ts = Join-Path $layer.LayerDbPath 'tar-split.json.gz'
        $lines = @((Invoke-Native 'gzip -dc "$1"' @($ts)) -split "`n")
        # the first segment holds the first entry's tar header: one bit of its mtime field (offset 136) changes
        $at = 0; while (($lines[$at] | ConvertFrom-Json).type -ne 2) { $at++ }
        $entry = $lines[$at] | ConvertFrom-Json
        $payload = [Convert]::FromBase64String($entry.payload)
        $payload.Length | Should -BeGreaterOrEqual 512
        $payload[136] = $payload[136] -bxor 0x01
        $lines[$at] = $lines[$at].Replace($entry.payload, [Convert]::ToBase64String($payload))
        $plain = Join-Path $TestDrive 'tar-split.json'
        [IO.File]::WriteAllText($plain, ($lines -join "`n") + "`n")
        Invoke-Native 'gzip -c "$1" > "$2"' @($plain, $ts) | Out-Null
        $dest = New-Item -ItemType Directory (Join-Path $TestDrive 'header-out')
        { Save-Image -Path $r3 -Name app:2.0 -DestinationPath "$dest/app.tar" -ErrorAction Stop } |
            Should -Throw -ErrorId 'DigestMismatch*' -ExpectedMessage "*$($layer.DiffId)*"
        @(Get-ChildItem -Force $dest).Count | Should -Be 0
    }
}
