# BuildKit attestation manifests (platform unknown/unknown, vnd.docker.reference.* annotations) in the referrers
# fixture's buildkit:1.0: they are manifests of the image, but no platform. Expected values are from skopeo's
# recorded answer about the index (expected/layout.buildkit_1.0.raw.json) and the fixture's record (made.json).
BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:Fix = Join-Path $PSScriptRoot '../Fixtures/referrers'
    $script:Layout = Join-Path $Fix 'layout'
    $script:Index = Get-Content -Raw (Join-Path $Fix 'expected/layout.buildkit_1.0.raw.json') | ConvertFrom-Json
    $script:Images = @($Index.manifests | Where-Object { $_.platform.os -ne 'unknown' })
    $script:Attestations = @($Index.manifests | Where-Object { $_.annotations.'vnd.docker.reference.type' -eq 'attestation-manifest' })
}

Describe 'Get-ImageManifest: Kind Image or Attestation' {
    It 'lists every manifest of the index, attestations with Kind Attestation, no platform and the manifest they are about' {
        $Images.Count | Should -Be 2
        $Attestations.Count | Should -Be 2
        $m = @(Get-ImageManifest -Path $Layout -Name buildkit:1.0 -ErrorVariable e)
        $e | Should -BeNullOrEmpty
        $m.Count | Should -Be ($Images.Count + $Attestations.Count)
        foreach ($i in $Images) {
            $x = $m | Where-Object Digest -eq $i.digest
            $x.Kind | Should -Be 'Image'
            $x.Platform | Should -BeLike "$($i.platform.os)/$($i.platform.architecture)*"
        }
        foreach ($a in $Attestations) {
            $x = $m | Where-Object Digest -eq $a.digest
            $x.Kind | Should -Be 'Attestation'
            $x.Platform | Should -BeNullOrEmpty
            $x.Subject | Should -Be $a.annotations.'vnd.docker.reference.digest'
        }
        ($m | Format-Table | Out-String) | Should -Not -Match 'unknown/unknown'
    }

    It 'a single-platform image''s manifest is Kind Image' {
        $x = @(Get-ImageManifest -Path $Layout -Name base:1.0)
        $x.Count | Should -Be 1
        $x[0].Kind | Should -Be 'Image'
    }

    It 'Get-Image lists only the real platforms and their image IDs' {
        $i = Get-Image -Path $Layout -Name buildkit:1.0
        $i.Platforms.Count | Should -Be 2
        $i.Platforms | Should -Not -Contain 'unknown/unknown'
        $i.ImageIds.Count | Should -Be 2
    }

    It '-Platform never selects an attestation, and the error lists only real platforms' {
        @(Get-ImageManifest -Path $Layout -Name buildkit:1.0 -Platform linux/arm64).Digest | Should -Be $Images[1].digest
        $none = @(Get-ImageManifest -Path $Layout -Name buildkit:1.0 -Platform unknown/unknown -ErrorVariable e -ErrorAction SilentlyContinue)
        $none.Count | Should -Be 0
        $e[0].FullyQualifiedErrorId | Should -BeLike 'PlatformNotFound*'
        $e[0].Exception.Message | Should -Not -BeLike '*unknown*it has*unknown*'
        $e[0].Exception.Message | Should -BeLike '*it has: linux/amd64, linux/arm64/v8.'
    }

    It 'the layer cmdlets see the image''s platforms only; Test-ImageBlob verifies the attestations too' {
        $layers = @(Get-ImageLayer -Path $Layout -Name buildkit:1.0)
        $layers.Count | Should -Be 2
        $attBlobs = foreach ($a in $Attestations) {
            $a.digest
            $doc = Get-Content -Raw (Join-Path $Layout ('blobs/sha256/' + ($a.digest -replace '^sha256:', ''))) | ConvertFrom-Json
            $doc.config.digest; $doc.layers.digest
        }
        $t = @(Get-Image -Path $Layout -Name buildkit:1.0 | Test-ImageBlob)
        foreach ($d in $attBlobs) { ($t | Where-Object Digest -eq $d).Status | Should -Be 'Valid' }
    }
}
