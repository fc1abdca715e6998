# Get-ImageReferrer on the referrers fixture (tests/Fixtures/referrers, made by New-ReferrerFixtures.sh): what was
# attached is what the fixture script recorded (expected/made.json), digests are skopeo's (expected/*.raw.json,
# hashed here) and sha256sum's (the blob files).
BeforeDiscovery {
    $stores = @(
        @{ Store = 'OCI layout'; Kind = 'layout' }
        @{ Store = 'oci-archive'; Kind = 'archive' }
        @{ Store = 'registry storage'; Kind = 'registry' }
    )
}

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:Fix = Join-Path $PSScriptRoot '../Fixtures/referrers'
    $script:Made = Get-Content -Raw (Join-Path $Fix 'expected/made.json') | ConvertFrom-Json
    $script:Hex = $Made.subject -replace '^sha256:', ''
    $script:Registry = Expand-TarToFolder (Join-Path $Fix 'registry-storage.tar') (Join-Path $TestDrive 'registry')
    $script:StorePaths = @{ layout = (Join-Path $Fix 'layout'); archive = (Join-Path $Fix 'oci-archive.tar'); registry = $Registry }
    function Get-RecordedDigest([string] $Name) {
        'sha256:' + (Get-Sha256Hex ([System.IO.File]::ReadAllBytes((Join-Path $Fix "expected/$Name"))))
    }
    function Get-LayoutBlob([string] $Digest) { Join-Path $Fix ('layout/blobs/sha256/' + ($Digest -replace '^sha256:', '')) }
}

Describe 'Get-ImageReferrer in <Store>: base:1.0 with a cosign signature, a Notation signature, an SPDX SBOM and an in-toto provenance' -ForEach $stores {
    BeforeAll {
        $script:path = $StorePaths[$Kind]
        $script:r = @(Get-ImageReferrer -Path $path -Name base:1.0 -ErrorVariable err)
        $script:err = $err
    }

    It 'lists each artifact the fixture attached once, as it was made, about the digest skopeo reads for base:1.0' {
        $err | Should -BeNullOrEmpty
        $Made.referrers.Count | Should -Be 4
        $r.Count | Should -Be $Made.referrers.Count
        Get-RecordedDigest 'layout.base_1.0.raw.json' | Should -Be $Made.subject
        Get-RecordedDigest 'registry.base_1.0.raw.json' | Should -Be $Made.subject
        foreach ($m in $Made.referrers) {
            $x = @($r | Where-Object Digest -eq $m.digest)
            $x.Count | Should -Be 1 -Because "$($m.kind) $($m.digest) is attached"
            $x[0].Subject | Should -Be $Made.subject
            $x[0].Kind | Should -Be $m.kind
            $x[0].Size | Should -Be $m.size
            $x[0].ArtifactType | Should -Be $m.artifactType
            $x[0].MediaType | Should -Be 'application/vnd.oci.image.manifest.v1+json'
            $x[0].BlobCount | Should -Be $m.blobs.Count
            $x[0].ImageName | Should -Be 'base:1.0'
        }
    }

    It 'finds the artifacts with subject through the fallback tag sha256-<hex> first, and the signature through the cosign tag' {
        foreach ($m in $Made.referrers) {
            $x = $r | Where-Object Digest -eq $m.digest
            if ($m.foundBy -eq 'CosignTag') {
                $x.FoundBy | Should -Be 'CosignTag'
                $x.Tag | Should -Be "sha256-$Hex.sig"
            } else {
                $x.FoundBy | Should -Be 'FallbackTag'
                $x.Tag | Should -Be "sha256-$Hex"
            }
        }
    }

    It 'each artifact digest is the sha256sum of its manifest as the store keeps it' {
        foreach ($m in $Made.referrers) { Get-FileDigestBySum (Get-LayoutBlob $m.digest) | Should -Be $m.digest }
        $skopeoSig = Get-RecordedDigest "layout.sha256-$Hex.sig.raw.json"
        ($r | Where-Object FoundBy -eq CosignTag).Digest | Should -Be $skopeoSig
    }

    It 'filters by -Kind and by -ArtifactType (wildcards)' {
        @(Get-ImageReferrer -Path $path -Name base:1.0 -Kind Signature).Count | Should -Be @($Made.referrers | Where-Object kind -eq Signature).Count
        $sbom = @(Get-ImageReferrer -Path $path -Name base:1.0 -ArtifactType 'application/spdx*')
        $sbom.Count | Should -Be 1
        $sbom[0].Digest | Should -Be ($Made.referrers | Where-Object kind -eq Sbom).digest
        @(Get-ImageReferrer -Path $path -Name base:1.0 -ArtifactType 'application/x-nothing').Count | Should -Be 0
    }

    It 'lists the BuildKit attestation manifests of buildkit:1.0, one about each platform manifest' {
        $b = @(Get-ImageReferrer -Path $path -Name buildkit:1.0 -ErrorVariable e)
        $e | Should -BeNullOrEmpty
        $Made.buildkit.attestations.Count | Should -Be 2
        $b.Count | Should -Be $Made.buildkit.attestations.Count
        foreach ($a in $Made.buildkit.attestations) {
            $x = @($b | Where-Object Digest -eq $a.digest)
            $x.Count | Should -Be 1
            $x[0].Subject | Should -Be $a.subject
            $x[0].FoundBy | Should -Be 'BuildKitAttestation'
            $x[0].Kind | Should -Be 'Attestation'
            $x[0].PredicateTypes | Should -Be @('https://spdx.dev/Document', 'https://slsa.dev/provenance/v0.2')
            $x[0].Annotations['vnd.docker.reference.type'] | Should -Be 'attestation-manifest'
        }
    }
}

Describe 'Get-ImageReferrer without the fallback tag: the manifests with subject are found by themselves' {
    It 'in an OCI layout, from every manifest index.json lists' {
        $copy = Join-Path $TestDrive 'layout-nofallback'
        Copy-Item -Recurse (Join-Path $Fix 'layout') $copy
        $index = Get-Content -Raw "$copy/index.json" | ConvertFrom-Json
        $before = $index.manifests.Count
        $index.manifests = @($index.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -ne "sha256-$Hex" })
        $index.manifests.Count | Should -Be ($before - 1)
        $index | ConvertTo-Json -Depth 10 -Compress | Set-Content -NoNewline "$copy/index.json"
        $r = @(Get-ImageReferrer -Path $copy -Name base:1.0)
        $r.Count | Should -Be 4
        foreach ($m in $Made.referrers) { ($r | Where-Object Digest -eq $m.digest).FoundBy | Should -Be $m.foundBy }
    }

    It 'in registry storage, from the revisions of the repository' {
        $copy = Expand-TarToFolder (Join-Path $Fix 'registry-storage.tar') (Join-Path $TestDrive 'registry-nofallback')
        $tag = Join-Path $copy "docker/registry/v2/repositories/base/_manifests/tags/sha256-$Hex"
        Test-Path $tag | Should -BeTrue
        Remove-Item -Recurse $tag
        $r = @(Get-ImageReferrer -Path $copy -Name base:1.0)
        $r.Count | Should -Be 4
        foreach ($m in $Made.referrers) { ($r | Where-Object Digest -eq $m.digest).FoundBy | Should -Be $m.foundBy }
    }

    It 'an image with nothing attached gives nothing and no error' {
        @(Get-ImageReferrer -Path (Join-Path $Fix 'layout') -Name buildkit:1.0 -Kind Signature -ErrorVariable e).Count | Should -Be 0
        @(Get-ImageReferrer -Path (Get-FixturePath 'oci-layout') -Name app:2.0 -ErrorVariable e2).Count | Should -Be 0
        $e | Should -BeNullOrEmpty
        $e2 | Should -BeNullOrEmpty
    }
}

Describe 'Get-ImageReferrer from the pipeline, and its artifacts into the layer cmdlets' {
    BeforeAll { $script:layout = Join-Path $Fix 'layout' }

    It 'takes images from Get-Image and manifests from Get-ImageManifest (only that manifest is the subject)' {
        @(Get-Image -Path $layout -Name base:1.0 | Get-ImageReferrer).Count | Should -Be $Made.referrers.Count
        $arm = $Made.buildkit.attestations | Where-Object subject -eq $Made.buildkit.platforms[1]
        $x = @(Get-ImageManifest -Path $layout -Name buildkit:1.0 -Platform linux/arm64 | Get-ImageReferrer)
        $x.Count | Should -Be 1
        $x[0].Digest | Should -Be $arm.digest
    }

    It 'Get-ImageLayer gives an artifact''s blobs, whose digests sha256sum confirms' {
        $sbom = $Made.referrers | Where-Object kind -eq Sbom
        $l = @(Get-ImageReferrer -Path $layout -Name base:1.0 -Kind Sbom | Get-ImageLayer -ErrorVariable e)
        $e | Should -BeNullOrEmpty
        $l.Count | Should -Be $sbom.blobs.Count
        $l[0].Digest | Should -Be $sbom.blobs[0]
        $l[0].MediaType | Should -Be 'application/spdx+json'
        Get-FileDigestBySum (Get-LayoutBlob $l[0].Digest) | Should -Be $sbom.blobs[0]
        (Get-Content -Raw (Get-LayoutBlob $l[0].Digest) | ConvertFrom-Json).spdxVersion | Should -Be 'SPDX-2.3'
    }

    It 'Test-ImageBlob verifies every blob of every artifact (manifest, config, layers), each once' {
        $expected = [System.Collections.Generic.HashSet[string]]::new()
        foreach ($m in $Made.referrers) {
            $manifest = Get-Content -Raw (Get-LayoutBlob $m.digest) | ConvertFrom-Json
            [void]$expected.Add($m.digest); [void]$expected.Add($manifest.config.digest)
            foreach ($layer in $manifest.layers) { [void]$expected.Add($layer.digest) }
        }
        $expected.Count | Should -BeGreaterThan 8
        $t = @(Get-ImageReferrer -Path (Join-Path $Fix 'oci-archive.tar') -Name base:1.0 | Test-ImageBlob -DiffId -ErrorVariable e)
        $e | Should -BeNullOrEmpty
        $t.Count | Should -Be $expected.Count
        @($t | Where-Object Status -ne Valid).Count | Should -Be 0
        foreach ($x in $t) { $expected.Contains([string]$x.Digest) | Should -BeTrue -Because "$($x.Digest) belongs to an artifact" }
    }

    It 'ConvertTo-Json shows digests as sha256: strings and Kind and FoundBy as names, and no store' {
        $j = Get-ImageReferrer -Path $layout -Name base:1.0 -Kind Sbom | ConvertTo-Json -Depth 3 | ConvertFrom-Json
        $j.Digest | Should -Be ($Made.referrers | Where-Object kind -eq Sbom).digest
        $j.Subject | Should -Be $Made.subject
        $j.Kind | Should -Be 'Sbom'
        $j.FoundBy | Should -Be 'FallbackTag'
        $j.PSObject.Properties.Name | Should -Not -Contain 'Store'
    }
}

Describe 'Get-ImageReferrer on damaged input' {
    It 'a referrer the fallback index lists but the layout lacks is still listed, with a BlobNotFound error naming it' {
        $copy = Join-Path $TestDrive 'layout-missing'
        Copy-Item -Recurse (Join-Path $Fix 'layout') $copy
        $sbom = $Made.referrers | Where-Object kind -eq Sbom
        Remove-Item (Join-Path $copy ('blobs/sha256/' + ($sbom.digest -replace '^sha256:', '')))
        $r = @(Get-ImageReferrer -Path $copy -Name base:1.0 -ErrorVariable e -ErrorAction SilentlyContinue)
        $r.Count | Should -Be 4
        $x = $r | Where-Object Digest -eq $sbom.digest
        $x.Kind | Should -Be 'Sbom'     # from the artifactType the fallback index gives
        $x.BlobCount | Should -BeNullOrEmpty
        @($e).Count | Should -Be 1
        $e[0].FullyQualifiedErrorId | Should -BeLike 'BlobNotFound*'
        $e[0].Exception.Message | Should -BeLike "*$($sbom.digest)*"
    }
}
