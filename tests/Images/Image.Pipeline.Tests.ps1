# Issue 13, pipelines between all cmdlets: a Docker image, a containerd image record, a registry tag and an Image, live
# or deserialized (as remoting returns them), bind to the cmdlets that work on images. Expected values: ctr images ls
# (recorded), docker image inspect (recorded), skopeo inspect of the registry (recorded by the registry fixtures),
# the layout's index.json (written by umoci).
BeforeDiscovery { . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1" }

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    $script:CtrFx = Join-Path $PSScriptRoot '../Fixtures/containerd'
    $script:CtrRoot = Join-Path $CtrFx 'root'
    $script:Layout = Join-Path $PSScriptRoot '../Fixtures/data/oci-layout'
    function Copy-ThroughSerializer($Object) {
        [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($Object))
    }
    function Read-LayoutBlob([string] $Digest) { Get-Content -Raw (Join-Path $Layout ('blobs/sha256/' + ($Digest -replace '^sha256:'))) | ConvertFrom-Json }
}

Describe 'Get-ContainerdImage | Get-ImageManifest' {
    It 'gives, per image of <Ns>, the manifests of the digest ctr images ls lists' -TestCases @(@{ Ns = 'k8s.io' }, @{ Ns = 'team-b' }) {
        $rows = @(Get-Content (Join-Path $CtrFx "ctr-images-$Ns.txt") | Select-Object -Skip 1 | Where-Object { $_.Trim() } |
            ForEach-Object { $f = $_.Trim() -split '\s+'; [pscustomobject]@{ Ref = $f[0]; Digest = $f[2] } })
        $rows.Count | Should -BeGreaterThan 0
        foreach ($row in $rows) {
            $m = @(Get-ContainerdImage -Path $CtrRoot -Namespace $Ns -Name $row.Ref | Get-ImageManifest)
            $m.Count | Should -BeGreaterThan 0 -Because $row.Ref
            $m | ForEach-Object { $_.ImageName | Should -Be $row.Ref }
            $root = @(Get-ContainerdImage -Path $CtrRoot -Namespace $Ns -Name $row.Ref | Get-ImageIndex -ErrorAction SilentlyContinue)
            if ($root.Count -eq 0) { $m[0].Digest | Should -Be $row.Digest } else { $root[0].Digest | Should -Be $row.Digest }
        }
    }

    It 'binds to Get-ImageConfig and Test-ImageBlob as Get-Image does' {
        $viaRecord = @(Get-ContainerdImage -Path $CtrRoot -Namespace team-b | Get-ImageConfig)
        $viaImage = @(Get-Image -LiteralPath $CtrRoot | Where-Object Namespace -eq 'team-b' | Get-ImageConfig)
        $viaRecord.Count | Should -BeGreaterThan 0
        @($viaRecord.ImageId) | Should -Be @($viaImage.ImageId)
        $checks = @(Get-ContainerdImage -Path $CtrRoot -Namespace team-b | Get-ImageManifest | Test-ImageBlob)
        $checks.Count | Should -BeGreaterThan 0
    }

    It 'binds a deserialized image record of <Ns> (as Invoke-Command returns it) to Get-ImageManifest' -TestCases @(@{ Ns = 'k8s.io' }, @{ Ns = 'team-b' }) {
        $rows = @(Get-Content (Join-Path $CtrFx "ctr-images-$Ns.txt") | Select-Object -Skip 1 | Where-Object { $_.Trim() } |
            ForEach-Object { $f = $_.Trim() -split '\s+'; [pscustomobject]@{ Ref = $f[0]; Digest = $f[2] } })
        $rows.Count | Should -BeGreaterThan 0
        $records = @(Get-ContainerdImage -Path $CtrRoot -Namespace $Ns | ForEach-Object { Copy-ThroughSerializer $_ })
        $records.Count | Should -Be $rows.Count
        $records[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.ImageTools.ContainerdImage'
        foreach ($row in $rows) {
            $record = @($records | Where-Object Name -eq $row.Ref)
            $record.Count | Should -Be 1
            $m = @($record | Get-ImageManifest)
            $m.Count | Should -BeGreaterThan 0 -Because $row.Ref
            $m | ForEach-Object { $_.ImageName | Should -Be $row.Ref }
            $root = @($record | Get-ImageIndex -ErrorAction SilentlyContinue)
            if ($root.Count -eq 0) { $m[0].Digest | Should -Be $row.Digest } else { $root[0].Digest | Should -Be $row.Digest }
        }
    }
}

Describe 'Get-Image | <cmdlet>, live and deserialized' {
    BeforeAll {
        $script:Index = Get-Content -Raw (Join-Path $Layout 'index.json') | ConvertFrom-Json
        $script:Entry = @($Index.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq 'base:1.0' })
    }

    It 'gives the config index.json leads to, from a live image and from a deserialized one' {
        $Entry.Count | Should -Be 1
        $config = (Read-LayoutBlob $Entry[0].digest).config.digest
        $image = Get-Image -LiteralPath $Layout -Name base:1.0
        $copy = Copy-ThroughSerializer $image
        $copy.PSObject.TypeNames[0] | Should -Be 'Deserialized.ImageTools.Image'
        @($image | Get-ImageConfig).ImageId | Should -Be $config
        @($copy | Get-ImageConfig).ImageId | Should -Be $config
        @($copy | Get-ImageManifest).Digest | Should -Be $Entry[0].digest
    }

    It 'gives every platform of a deserialized multi-platform image, as its index lists them' {
        $multi = @($Index.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq 'multi:latest' })
        $multi.Count | Should -Be 1
        $want = @((Read-LayoutBlob $multi[0].digest).manifests.digest)
        $want.Count | Should -BeGreaterThan 1
        $copy = Copy-ThroughSerializer (Get-Image -LiteralPath $Layout -Name multi:latest)
        @($copy | Get-ImageManifest | ForEach-Object Digest) | Should -Be $want
    }

    It 'compares two images given as deserialized objects as it compares the live ones' {
        $a = Get-Image -LiteralPath $Layout -Name base:1.0
        $b = Get-Image -LiteralPath $Layout -Name app:2.0
        $live = @(Compare-Image -ReferenceImage $a -DifferenceImage $b | ForEach-Object { "$($_.SideIndicator) $($_.Path)" })
        $live.Count | Should -BeGreaterThan 0
        @(Copy-ThroughSerializer $b | Compare-Image -ReferenceImage (Copy-ThroughSerializer $a) | ForEach-Object { "$($_.SideIndicator) $($_.Path)" }) | Should -Be $live
    }
}

Describe 'Get-RegistryTag | Get-ImageManifest and Save-Image' {
    BeforeAll {
        . (Join-Path $PSScriptRoot '../Registry/Registry.Common.ps1')
        $script:reg = New-RegistryCopy (Join-Path $TestDrive 'reg')
        $script:expected = Get-ExpectedTags
    }

    It 'gives the manifests of the digest skopeo inspect reported for each tag' {
        $tags = @(Get-RegistryTag -Path $reg)
        $tags.Count | Should -Be $expected.Count
        foreach ($t in $tags) {
            $idx = @($t | Get-ImageIndex -ErrorAction SilentlyContinue)
            $m = @($t | Get-ImageManifest)
            $m.Count | Should -BeGreaterThan 0 -Because $t.Name
            $rootDigest = if ($idx.Count) { $idx[0].Digest } else { $m[0].Digest }
            $rootDigest | Should -BeExactly $expected[$t.Name] -Because $t.Name
        }
    }

    It 'saves a tag piped from Get-RegistryTag' {
        $single = @(Get-RegistryTag -Path $reg | Where-Object { $_.MediaType -notmatch 'index|list' })
        $single.Count | Should -BeGreaterThan 0
        $t = $single[0]
        $raw = Get-Content -Raw (Join-Path $RegistryExpected ("raw.{0}.{1}.json" -f ($t.Repository -replace '/', '_'), $t.Tag)) | ConvertFrom-Json
        $out = Join-Path $TestDrive 'tag.tar'
        $saved = $t | Save-Image -DestinationPath $out
        Test-Path -LiteralPath $out | Should -BeTrue
        @($saved.Images).Count | Should -Be 1
        $saved.Images[0].ImageId | Should -BeExactly $raw.config.digest
    }
}

Describe 'Get-DockerImage | Get-ImageConfig on a dockerd 20.10 data root' -Skip:([bool]$DockerSkipReason) {
    BeforeAll {
        . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1"
        $script:droot = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'docker')
        $script:inspect = @(Get-DockerInspect 'overlay2.image-inspect.json')
    }

    It 'gives the config of the image ID docker image inspect reports' {
        $inspect.Count | Should -BeGreaterThan 0
        foreach ($i in $inspect) {
            $c = @(Get-DockerImage -Path $droot -Name $i.Id | Get-ImageConfig)
            $c.Count | Should -Be 1
            $c[0].ImageId | Should -Be $i.Id
            @($c[0].DiffIds) | Should -Be @($i.RootFS.Layers)
        }
    }

    It 'saves an image piped from Get-DockerImage, with the image ID and layers docker image inspect reports' {
        $i = @($inspect | Where-Object { @($_.RepoTags).Count -gt 0 })[0]
        $out = Join-Path $TestDrive 'docker-image.tar'
        $saved = Get-DockerImage -Path $droot -Name $i.Id | Save-Image -DestinationPath $out
        @($saved.Images).Count | Should -Be 1
        $saved.Images[0].ImageId | Should -BeExactly $i.Id
        $manifest = (& tar -xOf $out manifest.json | ConvertFrom-Json)
        @($manifest).Count | Should -Be 1
        @($manifest[0].RepoTags).Count | Should -Be 1
        $manifest[0].RepoTags[0] | Should -BeIn @($i.RepoTags | ForEach-Object { $_ -replace '^docker\.io/(library/)?' })
        $manifest[0].Config | Should -Be "blobs/sha256/$($i.Id -replace '^sha256:')"
    }

    It 'binds a deserialized Docker image (as Invoke-Command returns it) to Get-ImageConfig' {
        foreach ($i in $inspect) {
            $copy = Copy-ThroughSerializer (Get-DockerImage -Path $droot -Name $i.Id)
            $copy.PSObject.TypeNames[0] | Should -Be 'Deserialized.ImageTools.DockerImage'
            $c = @($copy | Get-ImageConfig)
            $c.Count | Should -Be 1
            $c[0].ImageId | Should -Be $i.Id
        }
    }

    It 'marks the digest of a Docker-root image as synthesized (docker inspect shows no RepoDigests)' {
        $img = @(Get-DockerImage -Path $droot -Name $inspect[0].Id | Get-ImageManifest)
        $img.Count | Should -Be 1
        @($inspect[0].RepoDigests).Count | Should -Be 0
        $g = @(Get-Image -LiteralPath $droot)
        $g.Count | Should -BeGreaterThan 0
        $g | ForEach-Object { $_.DigestSynthesized | Should -BeTrue }
        ($g | Format-Table | Out-String -Width 200) | Should -Match 'sha256:[0-9a-f]{12}\*'
    }
}
