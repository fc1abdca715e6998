BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $fixtures = foreach ($f in Get-FixtureList) { @{ Fixture = $f; Images = @(Get-FixtureImages -Fixture $f) } }
    $images = @(Get-FixtureImages)
    $storedRoot = @($images | Where-Object { -not $_.IsDockerArchive })
    $dockerSaved = @($images | Where-Object { $_.IsDockerArchive })
    $ctrImages = @($images | Where-Object { $_.Fixture -eq 'ctr-export.tar' })
    $dockerNamed = @($images | Where-Object { $_.Name -in @('base:1.0', 'app:2.0', 'app:latest') })
}

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:dockerInspect = Get-ExpectedJson 'dockerd.image-inspect.json'
}

Describe 'Get-Image on <Fixture>' -ForEach $fixtures {
    BeforeAll {
        $script:path = Get-FixturePath $Fixture
        $script:got = @(Get-Image -Path $path -ErrorVariable err)
        $script:err = $err
    }

    It 'writes no error' {
        $err | Should -BeNullOrEmpty
    }

    It 'lists one image per name the store records (and one per unnamed image)' {
        $want = @($Images | ForEach-Object { if ($_.Name) { $_.Name } else { '<none>' } } | Sort-Object)
        $have = @($got | ForEach-Object { if ($_.Name) { $_.Name } else { '<none>' } } | Sort-Object)
        $have | Should -Be $want
    }

    It 'gives FullName as the normalized reference and Repository/Tag as its parts' {
        $named = @($Images | Where-Object Name)
        # counted first: a fixture whose images have no names (docker-save-untagged.tar) must show none either
        @($got | Where-Object Name).Count | Should -Be $named.Count
        foreach ($i in $named) {
            $img = $got | Where-Object Name -eq $i.Name
            $img.FullName | Should -Be $i.FullName
            $img.Repository | Should -Be ($i.Name -replace ':[^:/]+$', '')
            $img.Tag | Should -Be ($i.Name -replace '^.*:', '')
        }
    }

    It 'names the store it came from' {
        $got.Count | Should -Be $Images.Count
        $got.Count | Should -BeGreaterThan 0
        foreach ($img in $got) {
            $img.StorePath | Should -Be (Resolve-Path -LiteralPath $path).Path
            $img.StoreKind | Should -BeIn ([enum]::GetNames([ImageTools.Stores.StoreKind]))
        }
    }

    It 'gives the same images through -LiteralPath and through the pipeline from Get-Item' {
        @(Get-Image -LiteralPath $path).Count | Should -Be $got.Count
        @(Get-Item -LiteralPath $path | Get-Image).Count | Should -Be $got.Count
    }
}

Describe 'Get-Image StoreKind' {
    It '<f> is <kind>' -ForEach @(
        @{ f = 'oci-layout'; kind = @('OciLayout') }
        @{ f = 'oci-archive.tar'; kind = @('OciArchive') }
        @{ f = 'docker-archive.tar'; kind = @('DockerArchive') }
        @{ f = 'docker-archive-gzip.tar'; kind = @('DockerArchive') }
        @{ f = 'docker-save-legacy.tar'; kind = @('DockerArchive') }
        @{ f = 'docker-save-untagged.tar'; kind = @('DockerArchive') }
        @{ f = 'dir-base'; kind = @('SkopeoDirectory') }
        # an OCI layout tar that also carries a docker manifest.json: either reading is right
        @{ f = 'ctr-export.tar'; kind = @('OciArchive', 'DockerArchive') }
    ) {
        $kinds = @(Get-Image -Path (Get-FixturePath $f) | ForEach-Object { "$($_.StoreKind)" } | Sort-Object -Unique)
        $kinds.Count | Should -Be 1
        $kinds[0] | Should -BeIn $kind
    }
}

Describe 'Get-Image <Fixture> <Name>: compared with skopeo inspect' -ForEach $images {
    BeforeAll {
        $script:img = @(Get-Image -Path $Path | Where-Object { $_.Name -eq $Name -and ($Name -or -not $_.Name) })
        $script:skopeo = Invoke-Skopeo $SkopeoRef
    }

    # One comparison per image: image IDs, created time and platforms, the module's lines against skopeo's.
    It 'is listed once, with the image ID(s) (sha256 of the config bytes), created time and platforms skopeo reports' {
        $img.Count | Should -Be 1
        $created = [DateTimeOffset]::Parse($skopeo.Created, [cultureinfo]::InvariantCulture)
        if ($skopeo.Created -is [datetime]) { $created = [DateTimeOffset]$skopeo.Created }
        if ($IsIndex) {
            # one config and one platform per index entry, as skopeo reads them with --override-*
            $raw = Invoke-Skopeo $SkopeoRef -Raw
            $ids = foreach ($m in $raw.manifests) {
                $extra = @('--override-os', $m.platform.os, '--override-arch', $m.platform.architecture)
                if ($m.platform.variant) { $extra += @('--override-variant', $m.platform.variant) }
                Get-SkopeoDigest $SkopeoRef -Config -Extra $extra
            }
            $platforms = foreach ($m in $raw.manifests) { (@($m.platform.os, $m.platform.architecture, $m.platform.variant) | Where-Object { $_ }) -join '/' }
            $ids = @($ids | Sort-Object); $platforms = @($platforms | Sort-Object)
            $gotIds = @($img[0].ImageIds | ForEach-Object { "$_" } | Sort-Object); $gotPlatforms = @($img[0].Platforms | Sort-Object)
        }
        else {
            $ids = @(Get-SkopeoDigest $SkopeoRef -Config); $platforms = @("$($skopeo.Os)/$($skopeo.Architecture)")
            $gotIds = @($img[0].ImageIds | ForEach-Object { "$_" }); $gotPlatforms = @($img[0].Platforms)
        }
        $got = @($gotIds | ForEach-Object { "ImageId=$_" }) + "Created=$(([DateTimeOffset]$img[0].Created).UtcDateTime.ToString('o'))" + @($gotPlatforms | ForEach-Object { "Platform=$_" })
        $want = @($ids | ForEach-Object { "ImageId=$_" }) + "Created=$($created.UtcDateTime.ToString('o'))" + @($platforms | ForEach-Object { "Platform=$_" })
        $got | Should -Be $want
    }
}

Describe 'Get-Image <Fixture> <Name>: root descriptor as the store records it' -ForEach $storedRoot {
    BeforeAll {
        $script:img = @(Get-Image -Path $Path | Where-Object { $_.Name -eq $Name -and ($Name -or -not $_.Name) })
        $script:skopeo = Invoke-Skopeo $SkopeoRef
    }

    It 'has the root digest, media type and size the store records (and the digest skopeo reports)' {
        $got = @("Digest=$($img[0].Digest)", "MediaType=$($img[0].MediaType)", "Size=$($img[0].RootSize)")
        $want = @("Digest=$RootDigest", "MediaType=$RootMediaType", "Size=$RootSize")
        $got | Should -Be $want
        if ($SkopeoRef -notlike 'docker-archive:*') {
            "$($img[0].Digest)" | Should -Be $skopeo.Digest
        }
    }

    It 'has Size = the sum of the distinct blobs it references (root, indexes, manifests, configs, layers)' {
        $dir = if (Test-Path -LiteralPath $Path -PathType Container) { $Path } else { Expand-TarToFolder $Path (Join-Path $TestDrive 'sz') }
        $blobFile = { param($d) $h = $d.Substring(7); if ($Fixture -eq 'dir-base') { Join-Path $dir $h } else { Join-Path $dir "blobs/sha256/$h" } }
        $sizes = @{ $RootDigest = $RootSize }
        $queue = [System.Collections.Generic.Queue[object]]::new()
        $rootJson = if ($Fixture -eq 'dir-base') { Get-Content -Raw (Join-Path $dir 'manifest.json') } else { Get-Content -Raw (& $blobFile $RootDigest) }
        $queue.Enqueue(($rootJson | ConvertFrom-Json))
        while ($queue.Count) {
            $doc = $queue.Dequeue()
            if ($doc.PSObject.Properties['manifests']) {
                foreach ($m in $doc.manifests) { $sizes[$m.digest] = [long]$m.size; $queue.Enqueue((Get-Content -Raw (& $blobFile $m.digest) | ConvertFrom-Json)) }
            }
            else {
                $sizes[$doc.config.digest] = [long]$doc.config.size
                foreach ($l in $doc.layers) { $sizes[$l.digest] = [long]$l.size }
            }
        }
        $img[0].Size | Should -Be (($sizes.Values | Measure-Object -Sum).Sum)
    }
}

Describe 'Get-Image <Fixture> <Name>: ctr export blobs' -ForEach $ctrImages {
    BeforeAll {
        $script:img = @(Get-Image -Path $Path | Where-Object { $_.Name -eq $Name -and ($Name -or -not $_.Name) })
    }

    It 'has the root digest of the stored manifest blob bytes (ctr export, read from the tar)' {
        $dir = Expand-TarToFolder $Path (Join-Path $TestDrive 'x')
        $hex = $RootDigest.Substring(7)
        Get-FileDigestBySum (Join-Path $dir "blobs/sha256/$hex") | Should -Be "$($img[0].Digest)"
    }
}

Describe 'Get-Image <Fixture> <Name>: docker save archive' -ForEach $dockerSaved {
    BeforeAll {
        $script:img = @(Get-Image -Path $Path | Where-Object { $_.Name -eq $Name -and ($Name -or -not $_.Name) })
    }

    It 'has the image ID docker save wrote as the config file name' {
        $hex = [System.IO.Path]::GetFileName($ConfigFile) -replace '\.json$', ''
        @($img[0].ImageIds | ForEach-Object { "$_" }) | Should -Be @("sha256:$hex")
    }

    It 'has Size = its manifest + the config and layer files docker save wrote (distinct contents)' {
        $dir = Expand-TarToFolder $Path (Join-Path $TestDrive 'dsz')
        $seen = @{}
        foreach ($file in @($ConfigFile) + @($Layers)) {
            $bytes = [System.IO.File]::ReadAllBytes((Join-Path $dir $file))   # follows layer.tar symlinks
            $seen[(Get-Sha256Hex $bytes)] = $bytes.Length
        }
        ($img[0].Size - $img[0].RootSize) | Should -Be (($seen.Values | Measure-Object -Sum).Sum)
    }
}

Describe 'Get-Image <Fixture> <Name>: compared with docker image inspect' -ForEach $dockerNamed {
    BeforeAll {
        $script:img = @(Get-Image -Path $Path | Where-Object { $_.Name -eq $Name -and ($Name -or -not $_.Name) })
    }

    It 'has the image ID docker image inspect reported for the same name' {
        $docker = @($dockerInspect | Where-Object { $_.RepoTags -contains $Name })
        $docker.Count | Should -BeGreaterThan 0
        @($img[0].ImageIds | ForEach-Object { "$_" }) | Should -Be @($docker[0].Id)
    }
}

Describe 'Get-Image -Path with wildcards and several stores' {
    It 'reads every store a wildcard matches' {
        $paths = @(Get-ChildItem (Get-FixturePath) -Filter 'docker-save-*.tar')
        $want = @(Get-FixtureImages -Fixture ($paths | ForEach-Object Name)).Count
        @(Get-Image -Path (Join-Path (Get-FixturePath) 'docker-save-*.tar')).Count | Should -Be $want
    }

    It 'reads several -Path values in one call' {
        $want = @(Get-FixtureImages -Fixture 'oci-archive.tar', 'dir-base').Count
        @(Get-Image -Path (Get-FixturePath 'oci-archive.tar'), (Get-FixturePath 'dir-base')).Count | Should -Be $want
    }
}
