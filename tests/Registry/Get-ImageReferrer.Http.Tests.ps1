# Get-ImageReferrer -Reference (and Get-Image -Reference | Get-ImageReferrer) against registries over HTTP: the real
# docker-registry 2.8 over the referrers fixture's storage (no referrers API: 404, then the fallback tag and the
# cosign tag; BuildKit attestation manifests inside an index), and the tests' registry with the referrers API
# (paged with Link, ?artifactType= with OCI-Filters-Applied or not), filled with curl. Expected digests, kinds,
# artifact types and blobs come from the fixture's made.json.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:needsRegistry = Get-RealToolNeed docker-registry
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    if (-not (Test-RealTool docker-registry)) { return }
    Import-Module $env:IMAGETOOLS_MODULE -Force
    . (Join-Path $PSScriptRoot 'RegistryHttp.Common.ps1')
    . (Join-Path $PSScriptRoot 'ReferrersServer.ps1')
    . (Join-Path $PSScriptRoot 'Referrers.Http.Common.ps1')
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) "imagetools-refget-$PID-$(Get-Random)"
    New-Item -ItemType Directory -Path $work | Out-Null
    $script:fixture = Start-ReferrerFixtureRegistry $work
    $script:api = Start-ReferrersServer -PageSize 2
    Publish-ReferrerFixture $api.Address
    $script:f = $fixture.Address
    $script:a = $api.Address
}

AfterAll {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    if (-not (Test-RealTool docker-registry)) { return }
    Stop-HttpRegistry $fixture; Stop-ReferrersServer $api
    if ($work -and (Test-Path $work)) { Remove-Item -Recurse -Force $work }
}

Describe 'Get-ImageReferrer -Reference, registry without the referrers API (docker-registry 2.8)' @needsRegistry {
    It 'finds the four referrers: three through the fallback tag, the cosign signature through its tag' {
        @($Made.referrers).Count | Should -Be 4
        $found = @(Get-ImageReferrer -Reference "$f/base:1.0")
        $found.Count | Should -Be 4
        @($found.Digest | Sort-Object) | Should -Be $allDigests
        foreach ($r in $Made.referrers) {
            $one = $found | Where-Object Digest -eq $r.digest
            $one.Kind | Should -BeExactly $r.kind
            $one.ArtifactType | Should -BeExactly $r.artifactType
            $one.Size | Should -Be $r.size
            $one.Subject | Should -BeExactly $subject
            if ($r.tag) { $one.FoundBy | Should -BeExactly 'CosignTag'; $one.Tag | Should -BeExactly $r.tag }
            else { $one.FoundBy | Should -BeExactly 'FallbackTag'; $one.Tag | Should -BeExactly $Made.fallbackTag }
        }
    }

    It 'finds the same from Get-Image -Reference objects' {
        $found = @(Get-Image -Reference "$f/base:1.0" | Get-ImageReferrer)
        @($found.Digest | Sort-Object) | Should -Be $allDigests
    }

    It 'lists BuildKit attestation manifests of an index, each about its platform manifest' {
        $found = @(Get-ImageReferrer -Reference "$f/buildkit:1.0")
        $expected = @($Made.buildkit.attestations)
        $expected.Count | Should -Be 2
        $found.Count | Should -Be 2
        foreach ($e in $expected) {
            $one = $found | Where-Object Digest -eq $e.digest
            $one.FoundBy | Should -BeExactly 'BuildKitAttestation'
            $one.Subject | Should -BeExactly $e.subject
            $one.Kind | Should -BeExactly $e.kind
        }
    }

    It 'filters by -Kind and -ArtifactType' {
        @(Get-ImageReferrer -Reference "$f/base:1.0" -Kind Signature).Digest | Sort-Object |
            Should -Be @($Made.referrers | Where-Object kind -eq 'Signature' | ForEach-Object digest | Sort-Object)
        $sbom = @(Get-ImageReferrer -Reference "$f/base:1.0" -ArtifactType 'application/spdx+json')
        $sbom.Count | Should -Be 1
        $sbom[0].Digest | Should -BeExactly ($Made.referrers | Where-Object artifactType -eq 'application/spdx+json').digest
    }

    It 'opens and verifies an artifact''s blobs over HTTP (Get-ImageLayer, Test-ImageBlob)' {
        $sbom = $Made.referrers | Where-Object kind -eq 'Sbom'
        $layers = @(Get-ImageReferrer -Reference "$f/base:1.0" -Kind Sbom | Get-ImageLayer)
        @($layers | ForEach-Object { "$($_.Digest)" }) | Should -Be @($sbom.blobs)
        $checked = @(Get-ImageReferrer -Reference "$f/base:1.0" -Kind Sbom | Test-ImageBlob)
        $checked.Count | Should -BeGreaterThan 0
        @($checked | Where-Object Status -ne 'Valid').Count | Should -Be 0
        @($checked | ForEach-Object { "$($_.Digest)" }) | Should -Contain $sbom.blobs[0]
    }

    It 'says ImageNotFound for a tag the registry does not have' {
        Get-ImageReferrer -Reference "$f/base:none" -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Match '^ImageNotFound'
    }
}

Describe 'Get-ImageReferrer -Reference, registry with the referrers API' @needsRegistry {
    BeforeEach { $api.State.Log.Clear(); $api.State.ApplyFilter = $true; $api.State.ReferrersStatus = 0 }

    It 'finds the three artifacts with subject through the API, following the Link to the second page, and the cosign tag' {
        $found = @(Get-ImageReferrer -Reference "$a/base:1.0")
        @($found.Digest | Sort-Object) | Should -Be $allDigests
        @($found | Where-Object FoundBy -eq 'ReferrersApi').Digest | Sort-Object | Should -Be @($withSubject.digest | Sort-Object)
        ($found | Where-Object Digest -eq $cosign[0].digest).FoundBy | Should -BeExactly 'CosignTag'
        foreach ($r in $Made.referrers) { ($found | Where-Object Digest -eq $r.digest).Kind | Should -BeExactly $r.kind }
        $pages = @($api.State.Log.ToArray().Key | Where-Object { $_ -like "GET /v2/base/referrers/$subject*" })
        $pages.Count | Should -Be 2
        $pages[1] | Should -BeLike '*page=1*'
    }

    It 'asks the API to filter by one -ArtifactType; the registry says OCI-Filters-Applied' {
        $found = @(Get-ImageReferrer -Reference "$a/base:1.0" -ArtifactType 'application/vnd.in-toto+json')
        $found.Count | Should -Be 1
        $found[0].Digest | Should -BeExactly ($Made.referrers | Where-Object artifactType -eq 'application/vnd.in-toto+json').digest
        @($api.State.Log.ToArray().Key | Where-Object { $_ -like "GET /v2/base/referrers/${subject}?artifactType=application%2Fvnd.in-toto%2Bjson" }).Count | Should -Be 1
    }

    It 'filters itself when the registry did not (no OCI-Filters-Applied)' {
        $api.State.ApplyFilter = $false
        $found = @(Get-ImageReferrer -Reference "$a/base:1.0" -ArtifactType 'application/vnd.cncf.notary.signature' -Verbose 4>&1)
        $items = @($found | Where-Object { $_ -is [ImageTools.ImageReferrer] })
        $items.Count | Should -Be 1
        $items[0].Digest | Should -BeExactly ($Made.referrers | Where-Object artifactType -eq 'application/vnd.cncf.notary.signature').digest
        ($found | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Out-String) | Should -Match 'OCI-Filters-Applied'
    }

    It 'reports a referrers API that fails as an error, and still lists what the tags lead to' {
        $api.State.ReferrersStatus = 400
        $found = @(Get-ImageReferrer -Reference "$a/base:1.0" -ErrorVariable errs -ErrorAction SilentlyContinue)
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Match '^RegistryUnavailable'
        "$($errs[0])" | Should -Match 'referrers'
        @($found.Digest) | Should -Be @($cosign[0].digest)
    }
}

Describe 'Get-ImageReferrer -Reference, registry with token authentication' @needsRegistry {
    BeforeAll {
        $script:tokenPair = New-SelfSignedPair $work 'token-signer' '/CN=test-token-signer'
        $script:tokens = Start-TokenServer -Pair $tokenPair
        $script:tokened = Start-HttpRegistry -Root (Join-Path $work 'token') -Dir (Join-Path $work 'token-cfg') -Tls -TokenRealm $tokens.Realm -TokenCertificate $tokenPair.Certificate
        # filled by a push of the fixture's image with its referrers (the push itself is judged in Copy-Image.Referrers.Http.Tests.ps1),
        # in another process so that no token of this one is cached
        Start-Job -ArgumentList $env:IMAGETOOLS_MODULE, $f, $tokened.Address, $HtUser, $HtPassword -ScriptBlock {
            param($module, $from, $to, $user, $password)
            Import-Module $module
            $cred = [pscredential]::new($user, (ConvertTo-SecureString $password -AsPlainText -Force))
            Copy-Image -Reference "$from/base:1.0" -DestinationReference "$to/team/base:1.0" -IncludeReferrers -Credential $cred -SkipCertificateCheck -ErrorAction Stop | Out-Null
        } | Wait-Job -Timeout 120 | Receive-Job -ErrorAction Stop
    }

    AfterAll { Stop-HttpRegistry $tokened; Stop-TokenServer $tokens }

    It 'asks for a token with pull on the repository alone, and finds the four referrers' {
        $tokens.State.Scopes.Clear()
        $found = @(Get-ImageReferrer -Reference "$($tokened.Address)/team/base:1.0" -Credential (New-TestCredential) -SkipCertificateCheck)
        @($found.Digest | Sort-Object) | Should -Be $allDigests
        $scopes = @($tokens.State.Scopes | Sort-Object -Unique)
        $scopes | Should -Be @('repository:team/base:pull')
    }

    It 'is refused without credentials, naming the scope' {
        Get-ImageReferrer -Reference "$($tokened.Address)/team/base:1.0" -SkipCertificateCheck -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Match '^RegistryAccessDenied'
        "$($errs[0])" | Should -Match 'team/base'
    }
}
