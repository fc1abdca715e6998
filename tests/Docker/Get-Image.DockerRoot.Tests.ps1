BeforeDiscovery { . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1" }

Describe 'A Docker data root as an image store (Get-Image and the image pipeline)' -Skip:([bool]$DockerSkipReason) {
    BeforeAll {
        Import-Module $env:IMAGETOOLS_MODULE -Force
        Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
        . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1"
        $script:root = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'docker')
        $script:inspect = @(Get-DockerInspect 'overlay2.image-inspect.json')
        $script:save = Expand-TarToFolder (Join-Path $DockerFixtureDir 'docker-save.tar') (Join-Path $TestDrive 'save')
        $script:saveManifest = @(Get-Content -Raw "$save/manifest.json" | ConvertFrom-Json)
    }

    It 'is recognized as a DockerRoot store and lists every tag of repositories.json' {
        $images = @(Get-Image -Path $root)
        $images | ForEach-Object { $_.StoreKind | Should -Be 'DockerRoot' }
        @($images.Name | Sort-Object) | Should -Be @($inspect.RepoTags | Sort-Object)
    }

    It 'gives each image the image ID docker image inspect reports' {
        foreach ($i in $inspect) {
            foreach ($tag in $i.RepoTags) {
                (Get-Image -Path $root -Name $tag).ImageIds[0].ToString() | Should -Be $i.Id
            }
        }
    }

    It 'synthesizes docker save''s OCI manifest: OCI config, uncompressed layers addressed by DiffID, sizes of the layer tars' {
        $m = Get-Image -Path $root -Name app:2.0 | Get-ImageManifest
        $m.MediaType | Should -Be 'application/vnd.oci.image.manifest.v1+json'
        $m.ConfigMediaType | Should -Be 'application/vnd.oci.image.config.v1+json'
        $app = $inspect | Where-Object { $_.RepoTags -contains 'app:2.0' }
        $layers = @($m | Get-ImageLayer)
        @($layers.Digest | ForEach-Object ToString) | Should -Be @($app.RootFS.Layers)
        $layers | ForEach-Object { $_.MediaType | Should -Be 'application/vnd.oci.image.layer.v1.tar' }
        $entry = $saveManifest | Where-Object { $_.RepoTags -contains 'app:2.0' }
        @($layers.Size) | Should -Be @($entry.Layers | ForEach-Object { (Get-Item "$save/$_").Length })
    }

    It 'reassembles every layer byte for byte as docker save wrote it' {
        $store = [ImageTools.Stores.Docker.DockerRootStore]::new($root)
        $entry = $saveManifest | Where-Object { $_.RepoTags -contains 'app:2.0' }
        $app = $inspect | Where-Object { $_.RepoTags -contains 'app:2.0' }
        for ($i = 0; $i -lt $entry.Layers.Count; $i++) {
            $out = Join-Path $TestDrive "layer$i.tar"
            $s = $store.OpenBlob([ImageTools.Oci.Digest]::Parse($app.RootFS.Layers[$i]))
            try { $f = [IO.File]::Create($out); $s.CopyTo($f); $f.Dispose() } finally { $s.Dispose() }
            & cmp $out "$save/$($entry.Layers[$i])"
            $LASTEXITCODE | Should -Be 0 -Because "layer $i must equal docker save's $($entry.Layers[$i])"
            'sha256:' + (Get-FileHash -Algorithm SHA256 $out).Hash.ToLowerInvariant() | Should -Be $app.RootFS.Layers[$i]
        }
        # the config blob is the imagedb file docker save wrote as <id>.json
        $cfg = $store.OpenBlob([ImageTools.Oci.Digest]::Parse($app.Id)); $ms = [IO.MemoryStream]::new(); $cfg.CopyTo($ms); $cfg.Dispose()
        [Convert]::ToBase64String($ms.ToArray()) | Should -Be ([Convert]::ToBase64String([IO.File]::ReadAllBytes("$save/$($entry.Config)")))
    }

    It 'verifies the whole root offline with Test-ImageBlob -DiffId' {
        $r = @(Test-ImageBlob -Path $root -DiffId)
        $r | ForEach-Object { $_.Status | Should -Be 'Valid' -Because $_.Digest }
        @($r | Where-Object Kind -eq 'Layer').Count | Should -Be 5
    }

    It 'names the file that changed under a layer (tar-split CRC mismatch) and keeps checking the others' {
        $r2 = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'changed')
        $layer = Get-DockerLayer -Path $r2 | Where-Object { Test-Path "$($_.DiffPath)/etc/hostname" } | Select-Object -First 1
        $file = "$($layer.DiffPath)/etc/hostname"
        $bytes = [IO.File]::ReadAllBytes($file); $bytes[0] = $bytes[0] -bxor 0x20; [IO.File]::WriteAllBytes($file, $bytes)
        $r = @(Test-ImageBlob -Path $r2 -DiffId -ErrorVariable err -ErrorAction SilentlyContinue -WarningVariable warn -WarningAction SilentlyContinue)
        $bad = @($r | Where-Object Status -ne 'Valid')
        $bad.Count | Should -Be 1
        @($warn.Message) | Should -Be @("1 of $($r.Count) blobs failed verification.")
        $bad[0].Digest | Should -Be $layer.DiffId
        @($r | Where-Object Status -eq 'Valid').Count | Should -Be ($r.Count - 1)
        $msg = ($err | ForEach-Object { $_.Exception.Message }) -join "`n"
        $msg | Should -BeLike "*etc/hostname*$($layer.DiffPath)*changed after the layer was made*"
        $bad[0].Status | Should -Be 'Unreadable'   # Test-ImageBlob reports the replay failure as an unreadable blob
        $bad[0].Message | Should -BeLike '*etc/hostname*'
        "$($bad[0].ErrorId)" | Should -Be 'TarSplitMismatch'
        @($err | Where-Object FullyQualifiedErrorId -like 'TarSplitMismatch*').Count | Should -Be 1
    }
}
