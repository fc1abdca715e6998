BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $cases = foreach ($i in Get-FixtureImages) {
        if ($i.IsIndex) {
            foreach ($m in (Invoke-Skopeo $i.SkopeoRef -Raw).manifests) {
                $p = (@($m.platform.os, $m.platform.architecture, $m.platform.variant) | Where-Object { $_ }) -join '/'
                $extra = @('--override-os', $m.platform.os, '--override-arch', $m.platform.architecture)
                if ($m.platform.variant) { $extra += @('--override-variant', $m.platform.variant) }
                $i + @{ Platform = $p; Extra = $extra }
            }
        }
        else { $i + @{ Platform = $null; Extra = @() } }
    }
    # images whose layer digests skopeo reports from stored manifests (not synthesized from manifest.json)
    $stored = @($cases | Where-Object { $_.SkopeoRef -notlike 'docker-archive:*' })
}

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:dockerInspect = Get-ExpectedJson 'dockerd.image-inspect.json'
    function Get-ModuleLayers($Path, $Name, $Platform) {
        $img = Get-Image -Path $Path | Where-Object { $_.Name -eq $Name -and ($Name -or -not $_.Name) }
        if ($Platform) { return @($img | Get-ImageLayer -Platform $Platform) }
        return @($img | Get-ImageLayer)
    }
    # The file holding a blob, in a store folder or in a tar extracted by GNU tar.
    function Get-BlobFile($Folder, $Digest) {
        $hex = $Digest.Substring(7)
        foreach ($c in "blobs/sha256/$hex", $hex) { $f = Join-Path $Folder $c; if (Test-Path -LiteralPath $f) { return $f } }
        return $null
    }
}

Describe 'Get-ImageLayer <Fixture> <Name> <Platform>: compared with skopeo and the config' -ForEach $cases {
    BeforeAll {
        $script:got = Get-ModuleLayers $Path $Name $Platform
        $script:config = Invoke-Skopeo $SkopeoRef -Config -Extra $Extra
    }

    It 'gives one layer per DiffID of the config skopeo reads, indexed from 0 in order, with ChainIDs computed from the DiffIDs' {
        # ChainIDs: sha256 of "chain diffid", computed here independently (Get-ChainIdList)
        $diffIds = @($config.rootfs.diff_ids)
        $chainIds = Get-ChainIdList $diffIds   # one list (the function writes it whole)
        $want = for ($i = 0; $i -lt $diffIds.Count; $i++) { "$i|$($diffIds[$i])|$($chainIds[$i])" }
        $got.Count | Should -Be $diffIds.Count
        @($got | ForEach-Object { "$($_.Index)|$($_.DiffId)|$($_.ChainId)" }) | Should -Be @($want)
    }

    It 'has compression, size and digest of the blob bytes themselves' {
        $dir = if (Test-Path -LiteralPath $Path -PathType Container) { $Path } else { Expand-TarToFolder $Path (Join-Path $TestDrive 'x') }
        foreach ($l in $got) {
            $file = Get-BlobFile $dir "$($l.Digest)"
            if (-not $file) {
                # docker save: find the manifest.json entry whose bytes have this digest
                $file = $Layers | ForEach-Object { Join-Path $dir $_ } | Where-Object { ('sha256:' + (Get-Sha256Hex ([IO.File]::ReadAllBytes($_)))) -eq "$($l.Digest)" } | Select-Object -First 1
            }
            $file | Should -Not -BeNullOrEmpty -Because "layer $($l.Index) $($l.Digest) must be in the store"
            "$($l.Compression)" | Should -Be (Get-CompressionFromMagic $file)
            $l.Size | Should -Be ([IO.File]::ReadAllBytes($file).Length)
            Get-FileDigestBySum $file | Should -Be "$($l.Digest)"
        }
    }
}

Describe 'Get-ImageLayer <Fixture> <Name> <Platform>: layer digests and media types skopeo reports' -ForEach $stored {
    It 'has the layer digests skopeo lists, and the media types and sizes of the stored manifest' {
        $got = Get-ModuleLayers $Path $Name $Platform
        $inspect = Invoke-Skopeo $SkopeoRef -Extra $Extra
        @($got | ForEach-Object { "$($_.Digest)" }) | Should -Be @($inspect.Layers)
        $manifest = Invoke-Skopeo $SkopeoRef -Raw -Extra $Extra
        if ($manifest.PSObject.Properties['manifests']) {
            # --raw gives the index: read the platform's manifest blob from the store
            $parts = $Platform -split '/'
            $entry = $manifest.manifests | Where-Object { $_.platform.os -eq $parts[0] -and $_.platform.architecture -eq $parts[1] }
            $dir = if (Test-Path -LiteralPath $Path -PathType Container) { $Path } else { Expand-TarToFolder $Path (Join-Path $TestDrive 'm') }
            $manifest = Get-Content -Raw (Get-BlobFile $dir $entry.digest) | ConvertFrom-Json
        }
        @($got | ForEach-Object { $_.MediaType }) | Should -Be @($manifest.layers.mediaType)
        @($got | ForEach-Object { $_.Size }) | Should -Be @($manifest.layers.size)
    }
}

Describe 'Get-ImageLayer: docker''s own view (docker image inspect RootFS)' {
    It '<n> in <f> has the DiffIDs docker recorded' -ForEach @(
        @{ f = 'docker-save-legacy.tar'; n = 'base:1.0' }, @{ f = 'docker-save-legacy.tar'; n = 'app:2.0' }
        @{ f = 'docker-archive.tar'; n = 'app:latest' }, @{ f = 'docker-archive-gzip.tar'; n = 'app:2.0' }
        @{ f = 'oci-layout'; n = 'app:2.0' }, @{ f = 'ctr-export.tar'; n = 'base:1.0' }
    ) {
        $d = $dockerInspect | Where-Object { $_.RepoTags -contains $n } | Select-Object -First 1
        $got = Get-ModuleLayers (Get-FixturePath $f) $n $null
        @($got | ForEach-Object { "$($_.DiffId)" }) | Should -Be @($d.RootFS.Layers)
    }
}

Describe 'Get-ImageLayer: the zstd layer' {
    It 'is Zstd, and its DiffID is the digest of zstd -dc of the blob' {
        $layout = Get-FixturePath 'oci-layout'
        $raw = Invoke-Skopeo "oci:${layout}:zstd:1.0" -Raw
        $z = @($raw.layers | Where-Object mediaType -like '*zstd')
        $z.Count | Should -Be 1
        $l = Get-ImageLayer -Path $layout -Name 'zstd:1.0' | Where-Object { "$($_.Digest)" -eq $z[0].digest }
        "$($l.Compression)" | Should -Be 'Zstd'
        $l.MediaType | Should -Be $z[0].mediaType
        "$($l.DiffId)" | Should -Be (Get-FileDigestBySum (Join-Path $layout "blobs/sha256/$($z[0].digest.Substring(7))") -Decompress zstd)
    }
}

Describe 'Get-ImageLayer parameter forms' {
    It 'gives the same layers from -Path, Get-Image and Get-ImageManifest' {
        $layout = Get-FixturePath 'oci-layout'
        $a = @(Get-ImageLayer -Path $layout -Name 'app:2.0' | ForEach-Object { "$($_.Digest)" })
        $b = @(Get-Image -Path $layout -Name 'app:2.0' | Get-ImageLayer | ForEach-Object { "$($_.Digest)" })
        $c = @(Get-ImageManifest -Path $layout -Name 'app:2.0' | Get-ImageLayer | ForEach-Object { "$($_.Digest)" })
        $a | Should -Be $b
        $a | Should -Be $c
        $a.Count | Should -Be @((Invoke-Skopeo "oci:${layout}:app:2.0").Layers).Count
    }

    It 'gives only the arm64 layer with -Platform linux/arm64' {
        $layout = Get-FixturePath 'oci-layout'
        $want = Invoke-Skopeo "oci:${layout}:multi:latest" -Extra @('--override-arch', 'arm64', '--override-variant', 'v8')
        @(Get-ImageLayer -Path $layout -Name 'multi' -Platform 'linux/arm64' | ForEach-Object { "$($_.Digest)" }) | Should -Be @($want.Layers)
    }
}
