BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:needsJudges = Get-RealToolNeed skopeo, zstd
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:needsSkopeo = Get-RealToolNeed skopeo
}

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:data = Get-FixturePath
    $script:layout = Get-FixturePath 'oci-layout'

    # GNU tar's listing of an archive; throws when tar fails (a missing entry must not pass for an absent one)
    function Get-TarEntries([string] $Archive) { (Invoke-Native 'tar -tf "$1"' @($Archive)) -split "`n" }
    function Sort-Tags($Tags) { if ($null -eq $Tags) { return $null } ; @($Tags | Sort-Object) -join ',' }
}

Describe 'Save-Image naming follows docker save' {
    It 'saves "base:1.0 app:2.0 app" with the RepoTags docker save wrote for the same names' {
        # docker-save-legacy.tar is `docker save base:1.0 app:2.0 app` from a real dockerd.
        $docker = Get-TarMemberText "$data/docker-save-legacy.tar" 'manifest.json' | ConvertFrom-Json -NoEnumerate
        $out = Join-Path $TestDrive 'names.tar'
        Save-Image -Path "$data/docker-save-legacy.tar" -Name base:1.0, app:2.0, app -DestinationPath $out | Out-Null
        $ours = Get-TarMemberText $out 'manifest.json' | ConvertFrom-Json -NoEnumerate
        $ours.Count | Should -Be $docker.Count
        $byConfig = @{}
        foreach ($e in $docker) { $byConfig[(Split-Path -Leaf $e.Config) -replace '\.json$', ''] = Sort-Tags $e.RepoTags }
        foreach ($e in $ours) { Sort-Tags $e.RepoTags | Should -Be $byConfig[(Split-Path -Leaf $e.Config)] }
    }

    It 'saves by image ID without names, as docker save does (RepoTags null, no repositories file)' {
        $docker = Get-TarMemberText "$data/docker-save-untagged.tar" 'manifest.json' | ConvertFrom-Json -NoEnumerate
        $docker[0].RepoTags | Should -BeNullOrEmpty
        $id = (Split-Path -Leaf $docker[0].Config) -replace '\.json$', ''
        $out = Join-Path $TestDrive 'byid.tar'
        Save-Image -Path "$data/docker-save-legacy.tar" -Name $id.Substring(0, 12) -DestinationPath $out | Out-Null
        $ours = Get-TarMemberText $out 'manifest.json' | ConvertFrom-Json -NoEnumerate
        @($ours).Count | Should -Be 1
        $ours[0].RepoTags | Should -BeNullOrEmpty
        Split-Path -Leaf $ours[0].Config | Should -Be $id
        Get-TarEntries $out | Should -Not -Contain 'repositories'
        (Get-TarMemberText $out 'index.json' | ConvertFrom-Json -NoEnumerate).manifests[0].annotations | Should -BeNullOrEmpty
    }

    It 'a repository alone saves all its tags; repo:tag only that tag' {
        $all = Join-Path $TestDrive 'repo.tar'
        Save-Image -Path $layout -Name app -DestinationPath $all | Out-Null
        $expected = (Get-Content "$layout/index.json" -Raw | ConvertFrom-Json).manifests.annotations.'org.opencontainers.image.ref.name' | Where-Object { $_ -like 'app:*' }
        Sort-Tags (Get-TarMemberText $all 'manifest.json' | ConvertFrom-Json -NoEnumerate)[0].RepoTags | Should -Be (Sort-Tags $expected)
        $one = Join-Path $TestDrive 'tag.tar'
        Save-Image -Path $layout -Name app:2.0 -DestinationPath $one | Out-Null
        (Get-TarMemberText $one 'manifest.json' | ConvertFrom-Json -NoEnumerate)[0].RepoTags | Should -Be @('app:2.0')
    }

    It 'names the top layer in repositories, as docker save does (the id of the last manifest.json Layers entry)' {
        $out = Join-Path $TestDrive 'top.tar'
        Save-Image -Path $layout -Name app:2.0 -DestinationPath $out | Out-Null
        $top = (Invoke-Skopeo "oci:${layout}:app:2.0" -Raw).layers[-1].digest.Substring(7)
        (Get-TarMemberText $out 'manifest.json' | ConvertFrom-Json -NoEnumerate)[0].Layers[-1] | Should -Be "blobs/sha256/$top"
        $repositories = Get-TarMemberText $out 'repositories' | ConvertFrom-Json -AsHashtable
        @($repositories.Keys) | Should -Be @('app')
        @($repositories['app'].Keys) | Should -Be @('2.0')
        $repositories['app']['2.0'] | Should -Be $top
        # docker 20.10 wrote the same rule in its legacy form: the <v1id> folder of the top layer.tar
        $legacy = "$data/docker-save-legacy.tar"
        $dockerTop = ((Get-TarMemberText $legacy 'manifest.json' | ConvertFrom-Json -NoEnumerate) | Where-Object { 'app:2.0' -in $_.RepoTags }).Layers[-1]
        (Get-TarMemberText $legacy 'repositories' | ConvertFrom-Json).app.'2.0' | Should -Be ($dockerTop -replace '/layer\.tar$', '')
    }

    It 'keeps an index.json entry for every image saved by digest (unlike docker 25, moby/moby#51389)' {
        # the manifest digests umoci recorded for base:1.0 and app:2.0 in the layout's index.json
        $digests = @((Get-Content "$layout/index.json" -Raw | ConvertFrom-Json).manifests |
            Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -in 'base:1.0', 'app:2.0' } | ForEach-Object digest | Sort-Object)
        $digests.Count | Should -Be 2
        $out = Join-Path $TestDrive 'digests.tar'
        Save-Image -Path $layout -Name $digests -DestinationPath $out | Out-Null
        $index = Get-TarMemberText $out 'index.json' | ConvertFrom-Json -NoEnumerate
        @($index.manifests).Count | Should -Be 2
        @($index.manifests.digest | Sort-Object) | Should -Be $digests
        (Get-TarMemberText $out 'manifest.json' | ConvertFrom-Json -NoEnumerate) | ForEach-Object { $_.RepoTags | Should -BeNullOrEmpty }
    }

    It 'writes a blob shared by several images once' {
        $out = Join-Path $TestDrive 'shared.tar'
        $result = Save-Image -Path $layout -Name base:1.0, app:2.0 -DestinationPath $out
        $entries = Get-TarEntries $out | Where-Object { $_ -like 'blobs/sha256/?*' }
        @($entries).Count | Should -Be @($entries | Select-Object -Unique).Count
        $distinct = (Get-ImageLayer -Path $layout -Name base:1.0, app:2.0).Digest | ForEach-Object ToString | Select-Object -Unique
        foreach ($d in $distinct) { $entries | Should -Contain "blobs/sha256/$($d.Substring(7))" }
        $result.BlobCount | Should -Be @($entries).Count
    }
}

Describe 'Save-Image output' @needsJudges {
    It 'keeps every digest identical to the source with -Compression Keep, and skopeo reads it' @needsSkopeo {
        $out = Join-Path $TestDrive 'keep.tar'
        Save-Image -Path $layout -Name base:1.0 -DestinationPath $out | Out-Null
        $source = Invoke-Skopeo "oci:${layout}:base:1.0"
        $saved = Invoke-Skopeo "oci-archive:${out}"
        $saved.Digest | Should -Be $source.Digest
        $saved.Layers | Should -Be $source.Layers
        $docker = Invoke-Skopeo "docker-archive:${out}" -Config
        $docker.rootfs.diff_ids | Should -Be (Invoke-Skopeo "oci:${layout}:base:1.0" -Config).rootfs.diff_ids
    }

    It 'writes an OCI archive that skopeo addresses by name, with all platforms of an index' @needsSkopeo {
        $out = Join-Path $TestDrive 'multi.tar'
        Save-Image -Path $layout -Name multi:latest -AllPlatforms -Format OciArchive -DestinationPath $out | Out-Null
        $raw = Invoke-Skopeo "oci-archive:${out}:multi:latest" -Raw
        $sourceRaw = Invoke-Skopeo "oci:${layout}:multi:latest" -Raw
        $raw.manifests.digest | Should -Be $sourceRaw.manifests.digest
        Get-TarEntries $out | Should -Not -Contain 'manifest.json'
        (Invoke-Skopeo "oci-archive:${out}:multi:latest" -Extra '--override-arch', 'arm64', '--override-variant', 'v8').Architecture | Should -Be 'arm64'
    }

    It 'saves one platform of a multi-platform image with -Platform' {
        $out = Join-Path $TestDrive 'arm.tar'
        Save-Image -Path $layout -Name multi:latest -Platform linux/arm64 -DestinationPath $out | Out-Null
        # what skopeo read for the arm64 entry of the nested index, and the config it picks for arm64
        $arm = @((Invoke-Skopeo "oci:${layout}:multi:latest" -Raw).manifests | Where-Object { $_.platform.architecture -eq 'arm64' })
        $arm.Count | Should -Be 1
        $config = Get-SkopeoDigest "oci:${layout}:multi:latest" -Config -Extra '--override-arch', 'arm64', '--override-variant', 'v8'
        $index = Get-TarMemberText $out 'index.json' | ConvertFrom-Json -NoEnumerate
        @($index.manifests).Count | Should -Be 1
        $index.manifests[0].digest | Should -Be $arm[0].digest
        (Get-TarMemberText $out 'manifest.json' | ConvertFrom-Json -NoEnumerate)[0].Config | Should -Be "blobs/sha256/$($config.Substring(7))"
    }

    It 're-encodes layers and still verifies: -Compression <c>' -ForEach @(@{ C = 'None'; Magic = $null }, @{ C = 'Gzip'; Magic = '1f8b' }, @{ C = 'Zstd'; Magic = '28b52ffd' }) {
        $out = Join-Path $TestDrive "re-$C.tar"
        Save-Image -Path $layout -Name app:2.0 -Compression $C -DestinationPath $out | Out-Null
        $layers = Get-ImageLayer -Path $out
        $sourceLayers = Get-ImageLayer -Path $layout -Name app:2.0
        ($layers.DiffId | ForEach-Object ToString) | Should -Be ($sourceLayers.DiffId | ForEach-Object ToString)
        $layers | ForEach-Object { "$($_.Compression)" | Should -Be $C }
        if ($C -eq 'None') { ($layers.Digest | ForEach-Object ToString) | Should -Be ($layers.DiffId | ForEach-Object ToString) }
        Assert-EveryBlobValid $out -DiffId
    }

    It 're-encodes with -Compression <C>: media types and bytes agree, as gzip/zstd and sha256sum judge them' -ForEach @(
        @{ C = 'None'; MediaType = 'application/vnd.oci.image.layer.v1.tar'; Test = 'tar -tf "$1" > /dev/null'; Decompress = 'cat "$1"' }
        @{ C = 'Gzip'; MediaType = 'application/vnd.oci.image.layer.v1.tar+gzip'; Test = 'gzip -t "$1"'; Decompress = 'gzip -dc "$1"' }
        @{ C = 'Zstd'; MediaType = 'application/vnd.oci.image.layer.v1.tar+zstd'; Test = 'zstd -q -t "$1"'; Decompress = 'zstd -q -dc "$1"' }
    ) {
        # zstd:1.0 mixes gzip and zstd layers, so every -Compression re-encodes some of them
        $out = Join-Path $TestDrive "judge-$C.tar"
        Save-Image -Path $layout -Name zstd:1.0 -Compression $C -DestinationPath $out | Out-Null
        $dir = Expand-TarToFolder $out (Join-Path $TestDrive "judge-$C")
        $index = Get-Content -Raw "$dir/index.json" | ConvertFrom-Json
        $manifest = Get-Content -Raw "$dir/blobs/sha256/$($index.manifests[0].digest.Substring(7))" | ConvertFrom-Json
        $config = Get-Content -Raw "$dir/blobs/sha256/$($manifest.config.digest.Substring(7))" | ConvertFrom-Json
        $layers = @($manifest.layers)
        $layers.Count | Should -Be @($config.rootfs.diff_ids).Count
        $layers.Count | Should -BeGreaterThan 1
        for ($i = 0; $i -lt $layers.Count; $i++) {
            $blob = "$dir/blobs/sha256/$($layers[$i].digest.Substring(7))"
            $layers[$i].mediaType | Should -Be $MediaType
            Invoke-Native $Test @($blob) | Out-Null
            $diffId = Invoke-Native "set -o pipefail; $Decompress | sha256sum | cut -d' ' -f1" @($blob)
            "sha256:$($diffId.Trim())" | Should -Be $config.rootfs.diff_ids[$i]
        }
        (Invoke-Skopeo "oci-archive:$out").Layers | Should -Be @($layers.digest)
    }

    It 'packs images piped from several stores into one archive' {
        $out = Join-Path $TestDrive 'mixed.tar'
        $images = @(Get-Image -Path "$data/docker-save-untagged.tar") + @(Get-Image -Path $layout -Name zstd:1.0)
        $result = $images | Save-Image -DestinationPath $out
        $result.Images.Count | Should -Be 2
        $back = Get-Image -Path $out
        @($back).Count | Should -Be 2
        # image IDs: sha256 of the config bytes skopeo reads from the two sources
        "$(($back | Where-Object Name -eq 'zstd:1.0').ImageIds[0])" | Should -Be (Get-SkopeoDigest "oci:${layout}:zstd:1.0" -Config)
        "$(($back | Where-Object { -not $_.Name }).ImageIds[0])" | Should -Be (Get-SkopeoDigest "docker-archive:$data/docker-save-untagged.tar:@0" -Config)
    }

    It 'reports the archive it wrote: path, size and digest of the file' {
        $out = Join-Path $TestDrive 'report.tar'
        $r = Save-Image -Path $layout -Name base:1.0 -DestinationPath $out
        $r.Path | Should -Be $out
        $r.Size | Should -Be (Get-Item $out).Length
        "$($r.Digest)" | Should -Be (Get-FileDigestBySum $out)
        $r.Images[0].Names | Should -Be @('base:1.0')
    }
}

Describe 'Save-Image safety' {
    It 'writes nothing with -WhatIf' {
        $out = Join-Path $TestDrive 'whatif.tar'
        Invoke-WithoutHost -ArgumentList $layout, $out { param($l, $o) Save-Image -Path $l -Name base:1.0 -DestinationPath $o -WhatIf } | Should -BeNullOrEmpty
        Test-Path $out | Should -BeFalse
        Get-ChildItem $TestDrive -Filter '*.tmp' -Force | Should -BeNullOrEmpty
    }

    It 'replaces an existing file only with -Force' {
        $out = Join-Path $TestDrive 'exists.tar'
        'keep me' | Set-Content $out
        { Save-Image -Path $layout -Name base:1.0 -DestinationPath $out -ErrorAction Stop } | Should -Throw -ErrorId 'DestinationExists*'
        Get-Content $out | Should -Be 'keep me'
        Save-Image -Path $layout -Name base:1.0 -DestinationPath $out -Force | Out-Null
        (Get-Image -Path $out).Name | Should -Be 'base:1.0'
    }

    It 'stops on a blob that does not match its digest, names image and blob, and leaves nothing behind' {
        $bad = Join-Path $TestDrive 'bad-layout'
        Copy-Item -Recurse $layout $bad
        $layer = (Get-ImageLayer -Path $bad -Name app:2.0)[-1]
        $file = Join-Path $bad "blobs/sha256/$($layer.Digest -replace "^sha256:")"
        $bytes = [IO.File]::ReadAllBytes($file); $bytes[20] = $bytes[20] -bxor 0xFF; [IO.File]::WriteAllBytes($file, $bytes)
        $out = Join-Path $TestDrive 'broken.tar'
        $err = $null
        try { Save-Image -Path $bad -Name app:2.0 -DestinationPath $out -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'DigestMismatch*'
        $err.Exception.Message | Should -BeLike '*app:2.0*'
        $err.Exception.Message | Should -BeLike "*$($layer.Digest)*"
        Test-Path $out | Should -BeFalse
        Get-ChildItem $TestDrive -Filter '*.tmp' -Force -Recurse | Should -BeNullOrEmpty
    }

    It 'refuses a folder as an archive destination' {
        { Save-Image -Path $layout -Name base:1.0 -DestinationPath $TestDrive -ErrorAction Stop } | Should -Throw -ErrorId 'DestinationExists*'
    }

    It 'says which name matched nothing' {
        $out = Join-Path $TestDrive 'none.tar'
        Save-Image -Path $layout -Name nosuch:1.0 -DestinationPath $out -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.FullyQualifiedErrorId | Should -Contain 'ImageNotFound,ImageTools.Commands.SaveImageCommand'
        Test-Path $out | Should -BeFalse
    }
}
