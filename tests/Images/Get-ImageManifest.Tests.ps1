BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $images = @(Get-FixtureImages)
    # ctr export's app:2.0 is a Docker v2s2 manifest that skopeo can only read through manifest.json (synthesized): tested on its own below
    $single = @($images | Where-Object { -not $_.IsDockerArchive -and -not $_.IsIndex -and $_.SkopeoRef -notlike 'docker-archive:*' })
    $multi = @($images | Where-Object IsIndex)
    $docker = @($images | Where-Object IsDockerArchive)
}

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    function Select-Image($Path, $Name) { Get-Image -Path $Path | Where-Object { $_.Name -eq $Name -and ($Name -or -not $_.Name) } }
}

Describe 'Get-ImageManifest <Fixture> <Name>: a stored manifest, compared with skopeo inspect --raw' -ForEach $single {
    BeforeAll {
        $script:m = @(Select-Image $Path $Name | Get-ImageManifest -ErrorVariable err)
        $script:err = $err
        $script:rawText = Invoke-Skopeo $SkopeoRef -Raw -AsText
        $script:raw = $rawText | ConvertFrom-Json
        $script:inspect = Invoke-Skopeo $SkopeoRef
    }

    # One comparison per image: the manifest record, the module's lines against skopeo's (and the store's root descriptor).
    It 'gives one manifest, no error, and the digest, media type, config, layers and platform skopeo reads' {
        $err | Should -BeNullOrEmpty
        $m.Count | Should -Be 1
        $x = $m[0]
        $got = @(
            "ImageName=$($x.ImageName)"
            "Digest=$($x.Digest)"; "Digest=$($x.Digest)"
            "MediaType=$($x.MediaType)"
            if ($raw.PSObject.Properties['mediaType']) { "MediaType=$($x.MediaType)" }
            "ConfigDigest=$($x.ConfigDigest)"; "ConfigDigest=$($x.ConfigDigest)"
            "LayerCount=$($x.LayerCount)"
            @($x.LayerDigests | ForEach-Object { "Layer=$_" })
            "LayersSize=$($x.LayersSize)"
            "Platform=$($x.Platform)"
        )
        $want = @(
            "ImageName=$Name"
            "Digest=$(Get-SkopeoDigest $SkopeoRef)"; "Digest=$($inspect.Digest)"
            "MediaType=$RootMediaType"
            if ($raw.PSObject.Properties['mediaType']) { "MediaType=$($raw.mediaType)" }
            "ConfigDigest=$(Get-SkopeoDigest $SkopeoRef -Config)"; "ConfigDigest=$($raw.config.digest)"
            "LayerCount=$(@($inspect.Layers).Count)"
            @($inspect.Layers | ForEach-Object { "Layer=$_" })
            "LayersSize=$(($raw.layers | Measure-Object -Property size -Sum).Sum)"
            "Platform=$($inspect.Os)/$($inspect.Architecture)"
        )
        $got | Should -Be $want
    }
}

Describe 'Get-ImageManifest <Fixture> <Name>: a multi-platform index' -ForEach $multi {
    BeforeAll {
        $script:index = Invoke-Skopeo $SkopeoRef -Raw
        $script:all = @(Select-Image $Path $Name | Get-ImageManifest)
        function PlatformOf($p) { (@($p.os, $p.architecture, $p.variant) | Where-Object { $_ }) -join '/' }
    }

    It 'gives one manifest per index entry, with the entry digest, size and platform' {
        $all.Count | Should -Be @($index.manifests).Count
        foreach ($e in $index.manifests) {
            $x = @($all | Where-Object { "$($_.Digest)" -eq $e.digest })
            $x.Count | Should -Be 1
            $x[0].Size | Should -Be $e.size
            $x[0].MediaType | Should -Be $e.mediaType
            $x[0].Platform | Should -Be (PlatformOf $e.platform)
        }
    }

    It 'picks <_> with -Platform like skopeo --override-os/--override-arch/--override-variant does' -ForEach @('linux/amd64', 'linux/arm64', 'linux/arm64/v8') {
        $parts = $_ -split '/'
        $extra = @('--override-os', $parts[0], '--override-arch', $parts[1])
        if ($parts.Count -gt 2) { $extra += @('--override-variant', $parts[2]) }
        $want = Invoke-Skopeo $SkopeoRef -Extra $extra
        $got = @(Select-Image $Path $Name | Get-ImageManifest -Platform $_)
        $got.Count | Should -Be 1
        "$($got[0].ConfigDigest)" | Should -Be (Get-SkopeoDigest $SkopeoRef -Config -Extra $extra)
        @($got[0].LayerDigests | ForEach-Object { "$_" }) | Should -Be @($want.Layers)
        $entry = @($index.manifests | Where-Object { $_.platform.os -eq $parts[0] -and $_.platform.architecture -eq $parts[1] })
        $entry.Count | Should -Be 1
        "$($got[0].Digest)" | Should -Be $entry[0].digest
    }

    It 'gives for each platform the config skopeo reads for it' {
        foreach ($e in $index.manifests) {
            $extra = @('--override-os', $e.platform.os, '--override-arch', $e.platform.architecture)
            if ($e.platform.variant) { $extra += @('--override-variant', $e.platform.variant) }
            $x = $all | Where-Object { "$($_.Digest)" -eq $e.digest }
            "$($x.ConfigDigest)" | Should -Be (Get-SkopeoDigest $SkopeoRef -Config -Extra $extra)
            $x.LayerCount | Should -Be @((Invoke-Skopeo $SkopeoRef -Extra $extra).Layers).Count
        }
    }

    It 'writes PlatformNotFound for a platform the index does not have, and no manifest' {
        $got = @(Select-Image $Path $Name | Get-ImageManifest -Platform 'windows/amd64' -ErrorVariable err -ErrorAction SilentlyContinue)
        $got.Count | Should -Be 0
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PlatformNotFound*'
    }
}

Describe 'Get-ImageManifest <Fixture> <Name>: docker save archive (manifest synthesized from manifest.json)' -ForEach $docker {
    BeforeAll {
        $script:m = @(Select-Image $Path $Name | Get-ImageManifest -ErrorVariable err)
        $script:err = $err
        $script:config = Invoke-Skopeo $SkopeoRef -Config
        $script:dir = Expand-TarToFolder $Path (Join-Path $TestDrive 'x')
    }

    It 'gives one manifest, no error, with the config skopeo reads as its config digest and the platform of that config' {
        $err | Should -BeNullOrEmpty
        $m.Count | Should -Be 1
        @("ConfigDigest=$($m[0].ConfigDigest)", "Platform=$($m[0].Platform)") |
            Should -Be @("ConfigDigest=$(Get-SkopeoDigest $SkopeoRef -Config)", "Platform=$($config.os)/$($config.architecture)")
    }

    It 'has one layer per manifest.json Layers entry, each the digest of the bytes of that file' {
        $m[0].LayerCount | Should -Be $Layers.Count
        $want = foreach ($l in $Layers) { 'sha256:' + (Get-Sha256Hex ([System.IO.File]::ReadAllBytes((Join-Path $dir $l)))) }
        @($m[0].LayerDigests | ForEach-Object { "$_" }) | Should -Be @($want)
        $sizes = foreach ($l in $Layers) { [System.IO.File]::ReadAllBytes((Join-Path $dir $l)).Length }
        $m[0].LayersSize | Should -Be (($sizes | Measure-Object -Sum).Sum)
    }

    It 'has layer digests = the DiffIDs when the archive holds plain tars (as skopeo reports)' {
        $plain = @($Layers | Where-Object { (Get-CompressionFromMagic (Join-Path $dir $_)) -eq 'None' })
        if ($plain.Count -eq $Layers.Count) {
            @($m[0].LayerDigests | ForEach-Object { "$_" }) | Should -Be @($config.rootfs.diff_ids)
            @($m[0].LayerDigests | ForEach-Object { "$_" }) | Should -Be @((Invoke-Skopeo $SkopeoRef).Layers)
        }
        else {
            @($m[0].LayerDigests | ForEach-Object { "$_" }) | Should -Not -Be @($config.rootfs.diff_ids)
        }
    }
}

Describe 'Get-ImageManifest: ctr export app:2.0 (a Docker v2s2 manifest blob skopeo''s OCI transport skips)' {
    It 'has the digest, media type and layers of the stored blob' {
        $path = Get-FixturePath 'ctr-export.tar'
        $entry = ((Get-TarMemberText $path 'index.json') | ConvertFrom-Json).manifests | Where-Object { $_.annotations.'io.containerd.image.name' -eq 'docker.io/library/app:2.0' }
        $blob = (Get-TarMemberText $path "blobs/sha256/$($entry.digest.Substring(7))") | ConvertFrom-Json
        $m = @(Get-ImageManifest -Path $path -Name 'app:2.0')
        $m.Count | Should -Be 1
        "$($m[0].Digest)" | Should -Be $entry.digest
        $m[0].MediaType | Should -Be $blob.mediaType
        "$($m[0].ConfigDigest)" | Should -Be $blob.config.digest
        @($m[0].LayerDigests | ForEach-Object { "$_" }) | Should -Be @($blob.layers.digest)
        @($m[0] | Get-ImageLayer | ForEach-Object { $_.MediaType }) | Should -Be @($blob.layers.mediaType)
    }
}

Describe 'Get-ImageManifest parameter forms' {
    BeforeAll { $script:layout = Get-FixturePath 'oci-layout' }

    It 'gives the same manifests from -Path/-Name as from Get-Image in the pipeline' {
        $a = @(Get-ImageManifest -Path $layout -Name 'app:2.0', 'multi' | ForEach-Object { "$($_.Digest)" })
        $b = @(Get-Image -Path $layout -Name 'app:2.0', 'multi' | Get-ImageManifest | ForEach-Object { "$($_.Digest)" })
        $a | Should -Be $b
        $a.Count | Should -Be 3
    }

    It 'stops with an error for a -Platform that is not os/arch[/variant]' {
        { Get-ImageManifest -Path $layout -Platform 'not a platform' -ErrorAction Stop } | Should -Throw
    }
}
