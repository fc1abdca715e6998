# Copy-Image -DestinationReference -IncludeReferrers: the fixture's signatures, SBOM and attestation pushed with
# their image, from the real docker-registry 2.8 (no referrers API: found through the fallback tag and the cosign
# tag), from the tests' registry with the referrers API, and from the fixture's OCI layout; to docker-registry 2.8
# (the fallback tag written as the distribution spec says) and to the tests' registry (it answers OCI-Subject: no
# fallback tag). What arrived is read by skopeo (raw bytes and their digests, tags) and curl (the referrers API);
# expected digests come from the fixture's made.json.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:needsRegistry = Get-RealToolNeed docker-registry, skopeo
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    if (-not (Test-RealTool docker-registry, skopeo)) { return }
    Import-Module $env:IMAGETOOLS_MODULE -Force
    . (Join-Path $PSScriptRoot 'RegistryHttp.Common.ps1')
    . (Join-Path $PSScriptRoot 'ReferrersServer.ps1')
    . (Join-Path $PSScriptRoot 'Referrers.Http.Common.ps1')
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) "imagetools-refpush-$PID-$(Get-Random)"
    New-Item -ItemType Directory -Path $work | Out-Null
    $script:fixture = Start-ReferrerFixtureRegistry $work
    $script:target = Start-HttpRegistry -Root (Join-Path $work 'target') -Dir (Join-Path $work 'target-cfg')
    $script:api = Start-ReferrersServer -PageSize 2
    $script:f = $fixture.Address
    $script:t = $target.Address
    $script:a = $api.Address
    Publish-ReferrerFixture $a 'source/base'
}

AfterAll {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    if (-not (Test-RealTool docker-registry, skopeo)) { return }
    Stop-HttpRegistry $fixture; Stop-HttpRegistry $target; Stop-ReferrersServer $api
    if ($work -and (Test-Path $work)) { Remove-Item -Recurse -Force $work }
}

Describe 'Copy-Image -IncludeReferrers to a registry without the referrers API (docker-registry 2.8)' @needsRegistry {
    It 'pushes the image and its four referrers; skopeo reads each back by digest with the same bytes' {
        @($Made.referrers).Count | Should -Be 4
        $pushed = Copy-Image -Reference "$f/base:1.0" -DestinationReference "$t/mirror/base:1.0" -IncludeReferrers
        $pushed.Digest.ToString() | Should -BeExactly $subject
        @($pushed.Referrers | Sort-Object) | Should -Be $allDigests
        foreach ($r in $Made.referrers) {
            Get-SkopeoRawDigest "$t/mirror/base@$($r.digest)" | Should -BeExactly $r.digest
        }
    }

    It 'writes the fallback tag: an index listing the three artifacts with subject, with their artifactType and annotations' {
        $tags = Get-SkopeoTags "$t/mirror/base"
        $tags | Should -Contain $fallbackTag
        $index = Get-RawManifest "$t/mirror/base:$fallbackTag"
        $index.Json.mediaType | Should -BeExactly 'application/vnd.oci.image.index.v1+json'
        @($index.Json.manifests).Count | Should -Be 3
        @($index.Json.manifests.digest | Sort-Object) | Should -Be @($withSubject.digest | Sort-Object)
        foreach ($r in $withSubject) {
            $entry = $index.Json.manifests | Where-Object digest -eq $r.digest
            $entry.artifactType | Should -BeExactly $r.artifactType
            $entry.size | Should -Be $r.size
            # the descriptor carries every annotation of the manifest (read here from the fixture's bytes)
            $manifest = [Text.Encoding]::UTF8.GetString((Get-LayoutBlob $r.digest)) | ConvertFrom-Json
            @($manifest.annotations.PSObject.Properties.Name).Count | Should -BeGreaterThan 0
            foreach ($p in $manifest.annotations.PSObject.Properties) { $entry.annotations.($p.Name) | Should -BeExactly $p.Value }
        }
    }

    It 'tags the cosign signature sha256-<hex>.sig, the same manifest as at the source' {
        @($cosign).Count | Should -Be 1
        Get-SkopeoTags "$t/mirror/base" | Should -Contain $cosign[0].tag
        Get-SkopeoRawDigest "$t/mirror/base:$($cosign[0].tag)" | Should -BeExactly $cosign[0].digest
        # skopeo reads every blob of the signature through the new repository
        Invoke-SkopeoHttp -Arguments @('copy', "docker://$t/mirror/base:$($cosign[0].tag)", "dir:$(Join-Path $work 'sig-dir')") | Out-Null
        Test-Path (Join-Path $work "sig-dir/$($cosign[0].blobs[0].Substring(7))") | Should -BeTrue
    }

    It 'arrives as skopeo copies the cosign signature (what skopeo 1.9 can copy of them): the same digest' {
        Invoke-SkopeoHttp -Arguments @('copy', '--preserve-digests', "docker://$f/base:$($cosign[0].tag)", "docker://$t/byskopeo/base:$($cosign[0].tag)") | Out-Null
        Get-SkopeoRawDigest "$t/byskopeo/base:$($cosign[0].tag)" | Should -BeExactly (Get-SkopeoRawDigest "$t/mirror/base:$($cosign[0].tag)")
    }

    It 'pushes again without listing anything twice: the fallback index keeps its digest' {
        $before = Get-SkopeoRawDigest "$t/mirror/base:$fallbackTag"
        $again = Copy-Image -Reference "$f/base:1.0" -DestinationReference "$t/mirror/base:1.0" -IncludeReferrers
        @($again.Referrers).Count | Should -Be 4
        Get-SkopeoRawDigest "$t/mirror/base:$fallbackTag" | Should -BeExactly $before
    }

    It 'adds to a fallback index already at the destination, keeping its entries' {
        # another client attached the Notation signature first (curl), with a fallback index listing only it
        $notation = $withSubject | Where-Object artifactType -eq 'application/vnd.cncf.notary.signature'
        @($notation).Count | Should -Be 1
        Publish-LayoutManifest $t 'merged/base' $subject '1.0' | Out-Null
        Publish-LayoutManifest $t 'merged/base' $notation.digest | Out-Null
        $bytes = Get-LayoutBlob $notation.digest
        $doc = [Text.Encoding]::UTF8.GetString($bytes) | ConvertFrom-Json
        $only = [Text.Encoding]::UTF8.GetBytes((@{ schemaVersion = 2; mediaType = 'application/vnd.oci.image.index.v1+json'
            manifests = @([ordered]@{ mediaType = $doc.mediaType; digest = $notation.digest; size = $bytes.Length; artifactType = $doc.artifactType }) } | ConvertTo-Json -Depth 5 -Compress))
        Send-CurlManifest $t 'merged/base' $fallbackTag $only 'application/vnd.oci.image.index.v1+json' | Out-Null

        Copy-Image -Reference "$f/base:1.0" -DestinationReference "$t/merged/base:1.0" -IncludeReferrers | Out-Null
        $index = Get-RawManifest "$t/merged/base:$fallbackTag"
        @($index.Json.manifests).Count | Should -Be 3
        @($index.Json.manifests.digest | Sort-Object) | Should -Be @($withSubject.digest | Sort-Object)
        @($index.Json.manifests | Where-Object digest -eq $notation.digest).Count | Should -Be 1
    }

    It 'leaves BuildKit attestation manifests inside the index they came in: nothing else is pushed or tagged for them' {
        $pushed = Copy-Image -Reference "$f/buildkit:1.0" -DestinationReference "$t/bk/buildkit:1.0" -IncludeReferrers
        $pushed.Digest.ToString() | Should -BeExactly $Made.buildkit.digest
        @($pushed.Referrers).Count | Should -Be 0
        Get-SkopeoTags "$t/bk/buildkit" | Should -Be @('1.0')
        foreach ($att in $Made.buildkit.attestations) { Get-SkopeoRawDigest "$t/bk/buildkit@$($att.digest)" | Should -BeExactly $att.digest }
    }

    It 'pushes without referrers unless asked: no fallback tag, no cosign tag' {
        $plain = Copy-Image -Reference "$f/base:1.0" -DestinationReference "$t/plain/base:1.0"
        @($plain.Referrers).Count | Should -Be 0
        Get-SkopeoTags "$t/plain/base" | Should -Be @('1.0')
    }

    It 'pushes the referrers found in an OCI layout (subject manifests, the cosign tag) the same way' {
        $pushed = Copy-Image -Path $ReferrerLayout -Name base:1.0 -DestinationReference "$t/fromlayout/base:1.0" -IncludeReferrers
        @($pushed.Referrers | Sort-Object) | Should -Be $allDigests
        $index = Get-RawManifest "$t/fromlayout/base:$fallbackTag"
        @($index.Json.manifests.digest | Sort-Object) | Should -Be @($withSubject.digest | Sort-Object)
        Get-SkopeoRawDigest "$t/fromlayout/base:$($cosign[0].tag)" | Should -BeExactly $cosign[0].digest
    }

    It 'reports a fallback tag that is not an index as an error, and still pushes the image and the cosign signature' {
        Publish-LayoutManifest $t 'clash/base' $subject $fallbackTag | Out-Null
        $pushed = Copy-Image -Reference "$f/base:1.0" -DestinationReference "$t/clash/base:1.0" -IncludeReferrers -ErrorVariable errs -ErrorAction SilentlyContinue
        $pushed.Digest.ToString() | Should -BeExactly $subject
        # one error for the tag, naming the three referrers it could not list
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Match '^MalformedContent'
        foreach ($r in $withSubject) { "$($errs[0])" | Should -Match $r.digest }
        "$($errs[0])" | Should -Match ([regex]::Escape($fallbackTag))
        @($pushed.Referrers) | Should -Be @($cosign[0].digest)
        Get-SkopeoRawDigest "$t/clash/base:$fallbackTag" | Should -BeExactly $subject
    }
}

Describe 'Copy-Image -IncludeReferrers to a registry with the referrers API' @needsRegistry {
    It 'pushes each artifact with subject once and writes no fallback tag: the registry answered OCI-Subject' {
        $api.State.Log.Clear()
        $pushed = Copy-Image -Reference "$f/base:1.0" -DestinationReference "$a/mirror/base:1.0" -IncludeReferrers
        @($pushed.Referrers | Sort-Object) | Should -Be $allDigests
        $keys = @($api.State.Log.ToArray().Key)
        @($keys | Where-Object { $_ -like "PUT /v2/mirror/base/manifests/$fallbackTag" }).Count | Should -Be 0
        @($keys | Where-Object { $_ -like "PUT /v2/mirror/base/manifests/$($cosign[0].tag)" }).Count | Should -Be 1
        foreach ($r in $withSubject) { @($keys | Where-Object { $_ -eq "PUT /v2/mirror/base/manifests/$($r.digest)" }).Count | Should -Be 1 }
    }

    It 'lists them through its referrers API, in two pages (curl)' {
        $page1 = Invoke-Curl @('-s', '-D', (Join-Path $work 'page1.h'), "http://$a/v2/mirror/base/referrers/$subject") | Out-String | ConvertFrom-Json
        $link = (Get-Content (Join-Path $work 'page1.h') | Where-Object { $_ -match '^Link:' }) -replace '^Link:\s*<([^>]+)>.*$', '$1'
        $link | Should -Match 'referrers'
        $page2 = Invoke-Curl @('-s', "http://$a$link") | Out-String | ConvertFrom-Json
        @(@($page1.manifests.digest) + @($page2.manifests.digest) | Sort-Object) | Should -Be @($withSubject.digest | Sort-Object)
    }

    It 'follows a referrer of a referrer: a signature of the SBOM goes too, listed at the destination by the SBOM''s fallback tag' {
        # a Notation-style signature whose subject is the SBOM, PUT with curl into the registry with the API
        $sbom = $withSubject | Where-Object artifactType -eq 'application/spdx+json'
        $notation = [Text.Encoding]::UTF8.GetString((Get-LayoutBlob ($withSubject | Where-Object artifactType -eq 'application/vnd.cncf.notary.signature').digest)) | ConvertFrom-Json
        $sig = [Text.Encoding]::UTF8.GetBytes((([ordered]@{ schemaVersion = 2; mediaType = 'application/vnd.oci.image.manifest.v1+json'
            artifactType = 'application/vnd.cncf.notary.signature'; config = $notation.config; layers = $notation.layers
            subject = [ordered]@{ mediaType = 'application/vnd.oci.image.manifest.v1+json'; digest = $sbom.digest; size = $sbom.size }
            annotations = @{ 'org.opencontainers.image.created' = '2026-01-02T03:04:05Z' } }) | ConvertTo-Json -Depth 6 -Compress))
        $sigDigest = Get-Sha256 $sig
        Publish-ReferrerFixture $a 'nested/base'
        $headers = Send-CurlManifest $a 'nested/base' $sigDigest $sig 'application/vnd.oci.image.manifest.v1+json'
        $headers['oci-subject'] | Should -BeExactly $sbom.digest

        $pushed = Copy-Image -Reference "$a/nested/base:1.0" -DestinationReference "$t/nested/base:1.0" -IncludeReferrers
        @($pushed.Referrers) | Should -Contain $sigDigest
        @($pushed.Referrers).Count | Should -Be 5
        Get-SkopeoRawDigest "$t/nested/base@$sigDigest" | Should -BeExactly $sigDigest
        $index = Get-RawManifest "$t/nested/base:sha256-$($sbom.digest.Substring(7))"
        @($index.Json.manifests.digest) | Should -Be @($sigDigest)
        $index.Json.manifests[0].artifactType | Should -BeExactly 'application/vnd.cncf.notary.signature'
    }

    It 'copies from the registry with the API to docker-registry: found through the API (paged), listed there by the fallback tag' {
        $api.State.Log.Clear()
        $pushed = Copy-Image -Reference "$a/source/base:1.0" -DestinationReference "$t/fromapi/base:1.0" -IncludeReferrers
        @($pushed.Referrers | Sort-Object) | Should -Be $allDigests
        @($api.State.Log.ToArray().Key | Where-Object { $_ -like "GET /v2/source/base/referrers/$subject*" }).Count | Should -Be 2
        $index = Get-RawManifest "$t/fromapi/base:$fallbackTag"
        @($index.Json.manifests.digest | Sort-Object) | Should -Be @($withSubject.digest | Sort-Object)
        foreach ($r in $Made.referrers) { Get-SkopeoRawDigest "$t/fromapi/base@$($r.digest)" | Should -BeExactly $r.digest }
    }
}

Describe 'Save-Image and Copy-Image -Reference -IncludeReferrers (pulls into an archive or a layout)' @needsRegistry {
    It 'pulls from the registry with the referrers API into a layout; every blob hashes to its name (sha256sum), the cosign tag kept' {
        $dest = Join-Path $work 'pulled-layout'
        $saved = Copy-Image -Reference "$a/source/base:1.0" -Destination $dest -IncludeReferrers
        $saved.ReferrerCount | Should -Be 4
        $index = Get-Content -Raw (Join-Path $dest 'index.json') | ConvertFrom-Json
        foreach ($r in $Made.referrers) { @($index.manifests.digest) | Should -Contain $r.digest }
        $blobs = @(Get-ChildItem (Join-Path $dest 'blobs/sha256') -File)
        $blobs.Count | Should -BeGreaterThan 8
        foreach ($b in $blobs) {
            $sum = (& sha256sum $b.FullName) -split ' ' | Select-Object -First 1
            $sum | Should -BeExactly $b.Name
        }
        foreach ($r in $Made.referrers) { foreach ($blob in $r.blobs) { Test-Path (Join-Path $dest "blobs/sha256/$($blob.Substring(7))") | Should -BeTrue } }
        # the cosign signature keeps its tag (in the familiar name, as layouts name images)
        $tagged = @($index.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -like "*:$($cosign[0].tag)" })
        $tagged.Count | Should -Be 1
        $tagged[0].digest | Should -BeExactly $cosign[0].digest
    }

    It 'pulls from docker-registry 2.8 into an oci-archive that lists the referrers offline (Get-ImageReferrer -Path)' {
        $tar = Join-Path $work 'pulled.tar'
        Save-Image -Reference "$f/base:1.0" -DestinationPath $tar -Format OciArchive -IncludeReferrers | Out-Null
        $offline = @(Get-ImageReferrer -Path $tar -Name "$f/base:1.0")
        @($offline.Digest | Sort-Object) | Should -Be $allDigests
        foreach ($r in $Made.referrers) { ($offline | Where-Object Digest -eq $r.digest).Kind | Should -BeExactly $r.kind }
    }
}
