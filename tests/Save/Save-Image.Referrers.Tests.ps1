# -IncludeReferrers: the artifacts attached to an image travel with it, and Get-ImageReferrer lists them from the
# written archive alone. The expected artifacts are the fixture's record (Fixtures/referrers/expected/made.json);
# skopeo reads what was written (live: these archives are made here), sha256sum checks every blob.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:needsSkopeo = Get-RealToolNeed skopeo
    $formats = @(
        @{ Format = 'DockerArchive'; Transport = 'docker-archive' }
        @{ Format = 'OciArchive'; Transport = 'oci-archive' }
    )
    $sources = @(
        @{ Source = 'OCI layout'; Kind = 'layout' }
        @{ Source = 'registry storage'; Kind = 'registry' }
    )
}

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:Fix = Join-Path $PSScriptRoot '../Fixtures/referrers'
    $script:Made = Get-Content -Raw (Join-Path $Fix 'expected/made.json') | ConvertFrom-Json
    $script:Hex = $Made.subject -replace '^sha256:', ''
    $script:Registry = Expand-TarToFolder (Join-Path $Fix 'registry-storage.tar') (Join-Path $TestDrive 'registry')
    $script:Sources = @{ layout = (Join-Path $Fix 'layout'); registry = $Registry }

    function Assert-ReferrersAsMade($Listed) {
        $Listed.Count | Should -Be $Made.referrers.Count
        foreach ($m in $Made.referrers) {
            $x = @($Listed | Where-Object Digest -eq $m.digest)
            $x.Count | Should -Be 1 -Because "$($m.kind) $($m.digest) travels with base:1.0"
            $x[0].Kind | Should -Be $m.kind
            $x[0].Subject | Should -Be $Made.subject
            $x[0].FoundBy | Should -Be $m.foundBy
            $x[0].ArtifactType | Should -Be $m.artifactType
        }
    }

    function Assert-LayoutBlobsBySum([string] $Layout) {
        $files = @(Get-ChildItem "$Layout/blobs/sha256" -File)
        $files.Count | Should -BeGreaterThan 0
        foreach ($f in $files) { Get-FileDigestBySum $f.FullName | Should -Be "sha256:$($f.Name)" }
    }
}

Describe 'Save-Image -IncludeReferrers from <Source>' -ForEach $sources {
    It 'writes <_.Format> with base:1.0''s four artifacts; Get-ImageReferrer lists them from the archive alone' -ForEach $formats {
        $out = Join-Path $TestDrive "$Kind-$Format.tar"
        $saved = Save-Image -Path $Sources[$Kind] -Name base:1.0 -IncludeReferrers -Format $Format -DestinationPath $out -ErrorVariable e
        $e | Should -BeNullOrEmpty
        $saved.ReferrerCount | Should -Be $Made.referrers.Count
        @($saved.Images).Count | Should -Be 1
        $saved.Images[0].Digest | Should -Be $Made.subject
        Assert-ReferrersAsMade @(Get-ImageReferrer -Path $out -Name base:1.0)
        $dir = Expand-TarToFolder $out (Join-Path $TestDrive "$Kind-$Format")
        Assert-LayoutBlobsBySum $dir
        foreach ($m in $Made.referrers) { Test-Path "$dir/blobs/sha256/$($m.digest -replace '^sha256:', '')" | Should -BeTrue }
        if ($Format -eq 'DockerArchive') {
            # docker's loaders read manifest.json: the image only, never an artifact
            $manifestJson = @(Get-Content -Raw "$dir/manifest.json" | ConvertFrom-Json)
            $manifestJson.Count | Should -Be 1
            $manifestJson[0].RepoTags | Should -Be @('base:1.0')
        }
    }

    It 'without -IncludeReferrers the archive holds the image alone' {
        $out = Join-Path $TestDrive "$Kind-plain.tar"
        $saved = Save-Image -Path $Sources[$Kind] -Name base:1.0 -DestinationPath $out
        $saved.ReferrerCount | Should -Be 0
        @(Get-ImageReferrer -Path $out -Name base:1.0).Count | Should -Be 0
    }
}

Describe 'skopeo reads what -IncludeReferrers wrote' @needsSkopeo {
    It 'the image, the cosign tag and each artifact by digest come back byte for byte from the oci-archive' {
        $out = Join-Path $TestDrive 'skopeo-judge.tar'
        Save-Image -Path (Join-Path $Fix 'layout') -Name base:1.0 -IncludeReferrers -Format OciArchive -DestinationPath $out | Out-Null
        $dir = Expand-TarToFolder $out (Join-Path $TestDrive 'skopeo-judge')
        # skopeo's stdout to a file, byte for byte
        function Get-SkopeoRawDigest([string] $Reference) {
            $file = Join-Path $TestDrive 'skopeo-raw.json'
            & bash -c 'skopeo --insecure-policy inspect --raw "$1" > "$2"' bash $Reference $file
            $LASTEXITCODE | Should -Be 0 -Because "skopeo inspect --raw $Reference"
            Get-FileDigestBySum $file
        }
        Get-SkopeoRawDigest "oci-archive:${out}:base:1.0" | Should -Be $Made.subject
        $sig = $Made.referrers | Where-Object foundBy -eq CosignTag
        # an OCI archive names it as it names base:1.0 (the familiar name with the tag in ref.name)
        Get-SkopeoRawDigest "oci-archive:${out}:base:sha256-$Hex.sig" | Should -Be $sig.digest
        # skopeo 1.9 cannot address an untagged manifest in a layout: the written files are compared with the fixture's, and sha256sum'd
        $untagged = @($Made.referrers | Where-Object foundBy -eq Subject)
        $untagged.Count | Should -Be 3
        foreach ($m in $untagged) {
            $name = 'blobs/sha256/' + ($m.digest -replace '^sha256:', '')
            Get-FileDigestBySum "$dir/$name" | Should -Be $m.digest
            & cmp -s "$dir/$name" (Join-Path $Fix "layout/$name")
            $LASTEXITCODE | Should -Be 0
        }
    }
}

Describe 'Copy-Image -IncludeReferrers into an OCI layout' {
    It 'carries the artifacts of base:1.0, and buildkit:1.0''s attestation manifests with -AllPlatforms; the layout reads them back' {
        $bundle = Join-Path $TestDrive 'bundle'
        $r = Copy-Image -Path (Join-Path $Fix 'oci-archive.tar') -Name base:1.0, buildkit:1.0 -AllPlatforms -IncludeReferrers -Destination $bundle -ErrorVariable e
        $e | Should -BeNullOrEmpty
        $r.ReferrerCount | Should -Be $Made.referrers.Count
        Assert-ReferrersAsMade @(Get-ImageReferrer -Path $bundle -Name base:1.0)
        $b = @(Get-ImageReferrer -Path $bundle -Name buildkit:1.0)
        $b.Count | Should -Be $Made.buildkit.attestations.Count
        foreach ($a in $Made.buildkit.attestations) { ($b | Where-Object Digest -eq $a.digest).Subject | Should -Be $a.subject }
        $m = @(Get-ImageManifest -Path $bundle -Name buildkit:1.0)
        @($m | Where-Object Kind -eq Attestation).Count | Should -Be $Made.buildkit.attestations.Count
        Assert-LayoutBlobsBySum $bundle
        @(Get-Image -Path $bundle | Test-ImageBlob | Where-Object Status -ne Valid).Count | Should -Be 0
    }

    It 'Save-Image without -AllPlatforms picks a real platform of buildkit:1.0, never its attestation manifests' {
        $out = Join-Path $TestDrive 'buildkit-one.tar'
        Save-Image -Path (Join-Path $Fix 'layout') -Name buildkit:1.0 -DestinationPath $out | Out-Null
        $m = @(Get-ImageManifest -Path $out)
        $m.Count | Should -Be 1
        $m[0].Kind | Should -Be 'Image'
        $m[0].Digest | Should -Be $Made.buildkit.platforms[0]
    }
}
