# Archives made by Save-Image, loaded by the real tools: a private dockerd (docker load, docker save for naming)
# and a private containerd (ctr images import). Both run as root with their own roots in temp folders.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:needsDocker = Get-RealToolNeed dockerd, docker
    $script:needsContainerd = Get-RealToolNeed containerd, ctr
}

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:layout = Get-FixturePath 'oci-layout'
}

Describe 'docker load of Save-Image archives' @needsDocker {
    BeforeAll {
        $script:dockerd = Start-PrivateDockerd
        $script:archive = Join-Path $TestDrive 'for-docker.tar'
        Save-Image -Path $layout -Name base:1.0, app -DestinationPath $archive | Out-Null
        $script:loadOutput = Invoke-PrivateDocker $dockerd @('load', '-i', $archive)
    }
    AfterAll { Stop-PrivateDockerd $dockerd }

    It 'loads every name with the image ID the source has' {
        foreach ($name in 'base:1.0', 'app:2.0', 'app:latest') {
            $id = Invoke-PrivateDocker $dockerd @('image', 'inspect', '--format', '{{.Id}}', $name)
            $id | Should -Be "$((Get-Image -Path $layout -Name $name).ImageIds[0])"
        }
    }

    It 'gives docker the DiffIDs the source config lists' {
        $layers = (Invoke-PrivateDocker $dockerd @('image', 'inspect', '--format', '{{json .RootFS.Layers}}', 'app:2.0')) | ConvertFrom-Json
        $layers | Should -Be ((Get-ImageConfig -Path $layout -Name app:2.0).DiffIds | ForEach-Object ToString)
    }

    It 'loads an image saved by ID without names' {
        $byId = Join-Path $TestDrive 'by-id.tar'
        $zstdId = (Get-Image -Path $layout -Name multi:latest | Get-ImageManifest -Platform linux/amd64).ConfigDigest
        Save-Image -Path $layout -Name ($zstdId -replace "^sha256:").Substring(0, 16) -DestinationPath $byId | Out-Null
        $out = Invoke-PrivateDocker $dockerd @('load', '-i', $byId)
        "$out" | Should -BeLike "*Loaded image ID: $zstdId*"
        (Invoke-PrivateDocker $dockerd @('image', 'inspect', '--format', '{{json .RepoTags}}', "$zstdId")) | ConvertFrom-Json | Should -BeNullOrEmpty
    }

    It 'names images in manifest.json as docker save does for "<names>"' -ForEach @(
        @{ Names = @('app') }, @{ Names = @('app:2.0') }, @{ Names = @('base:1.0', 'app') }, @{ Names = @('base:1.0', 'app:latest') }
    ) {
        $theirs = Join-Path $TestDrive "docker-$($Names -join '_' -replace '[:/]', '-').tar"
        $ours = Join-Path $TestDrive "ours-$($Names -join '_' -replace '[:/]', '-').tar"
        Invoke-PrivateDocker $dockerd (@('save', '-o', $theirs) + $Names) | Out-Null
        Save-Image -Path $layout -Name $Names -DestinationPath $ours | Out-Null
        $d = foreach ($e in (Get-TarMemberText $theirs 'manifest.json' | ConvertFrom-Json -NoEnumerate)) { [pscustomobject]@{ Id = (Split-Path -Leaf $e.Config) -replace '\.json$', ''; Tags = (@($e.RepoTags) | Sort-Object) -join ',' } }
        $o = foreach ($e in (Get-TarMemberText $ours 'manifest.json' | ConvertFrom-Json -NoEnumerate)) { [pscustomobject]@{ Id = Split-Path -Leaf $e.Config; Tags = (@($e.RepoTags) | Sort-Object) -join ',' } }
        $d = @($d | Sort-Object Id); $o = @($o | Sort-Object Id)
        $d.Count | Should -BeGreaterThan 0
        ($o | ConvertTo-Json -Compress) | Should -Be ($d | ConvertTo-Json -Compress)
        $dr = Get-TarMemberText $theirs 'repositories' | ConvertFrom-Json -NoEnumerate
        $or = Get-TarMemberText $ours 'repositories' | ConvertFrom-Json -NoEnumerate
        ($or.PSObject.Properties.Name | Sort-Object) | Should -Be ($dr.PSObject.Properties.Name | Sort-Object)
        foreach ($repo in $dr.PSObject.Properties.Name) {
            ($or.$repo.PSObject.Properties.Name | Sort-Object) | Should -Be ($dr.$repo.PSObject.Properties.Name | Sort-Object)
        }
    }
}

Describe 'ctr images import of Save-Image archives' @needsContainerd {
    BeforeAll {
        $script:containerd = Start-PrivateContainerd
    }
    AfterAll { Stop-PrivateContainerd $containerd }

    It 'imports a DockerArchive with the same manifest digests and names' {
        $archive = Join-Path $TestDrive 'for-ctr.tar'
        Save-Image -Path $layout -Name base:1.0, app:2.0 -DestinationPath $archive | Out-Null
        Invoke-PrivateCtr $containerd @('-n', 'it', 'images', 'import', $archive) | Out-Null
        $list = Invoke-PrivateCtr $containerd @('-n', 'it', 'images', 'ls')
        foreach ($name in 'base:1.0', 'app:2.0') {
            $line = $list | Where-Object { $_ -like "docker.io/library/$name *" }
            $line | Should -Not -BeNullOrEmpty
            $line | Should -BeLike "*$((Get-Image -Path $layout -Name $name).Digest)*"
        }
    }

    It 'imports an OciArchive of a multi-platform index with all platforms' {
        $archive = Join-Path $TestDrive 'multi-ctr.tar'
        Save-Image -Path $layout -Name multi:latest -AllPlatforms -Format OciArchive -DestinationPath $archive | Out-Null
        Invoke-PrivateCtr $containerd @('-n', 'it', 'images', 'import', '--all-platforms', $archive) | Out-Null
        $line = Invoke-PrivateCtr $containerd @('-n', 'it', 'images', 'ls') | Where-Object { $_ -like '*multi*' }
        $line | Should -BeLike "*$((Get-Image -Path $layout -Name multi:latest).Digest)*"
        $line | Should -BeLike '*linux/amd64*'
        $line | Should -BeLike '*linux/arm64*'
    }
}
