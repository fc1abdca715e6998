# Artifacts are not images: a store that holds referrers (cosign's sha256-<hex>.sig tag, the fallback index
# sha256-<hex>, manifests with a subject) lists its images only, so Save-Image of "all images" never writes an
# artifact into a docker archive's manifest.json (docker load refuses a config that is not an image config).
# Expected values: the fixture's record (Fixtures/referrers/expected/made.json), python3 json/tarfile, sha256sum,
# docker load in a private dockerd.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:needsDocker = Get-RealToolNeed dockerd, docker
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
    $script:Registry = Expand-TarToFolder (Join-Path $Fix 'registry-storage.tar') (Join-Path $TestDrive 'registry')
    $script:StorePaths = @{ layout = (Join-Path $Fix 'layout'); archive = (Join-Path $Fix 'oci-archive.tar'); registry = $Registry }
    # every artifact the fixture made: the referrers of base:1.0 and the fallback index
    $script:ArtifactDigests = @($Made.referrers.digest) + @($Made.fallbackIndex)
    function Get-ManifestJsonByPython([string] $Archive) {
        $py = 'import json, sys, tarfile; t = tarfile.open(sys.argv[1]); print(json.dumps(json.load(t.extractfile("manifest.json"))))'
        (& python3 -c $py $Archive) | ConvertFrom-Json
    }
}

Describe 'Get-Image in <Store> that holds referrer artifacts' -ForEach $stores {
    It 'lists base:1.0 and buildkit:1.0 only, no artifact, when no -Name is given' {
        $all = @(Get-Image -Path $StorePaths[$Kind] -ErrorVariable e)
        $e | Should -BeNullOrEmpty
        $ArtifactDigests.Count | Should -Be 5
        $all.Count | Should -Be 2
        ($all.Name | Sort-Object) | Should -Be @('base:1.0', 'buildkit:1.0')
        ($all | Where-Object Name -eq 'base:1.0').Digest | Should -Be $Made.subject
        ($all | Where-Object Name -eq 'buildkit:1.0').Digest | Should -Be $Made.buildkit.digest
        foreach ($d in $ArtifactDigests) { $all.Digest | Should -Not -Contain $d }
    }

    It 'still selects the cosign signature when -Name names its tag' {
        $name = if ($Kind -eq 'registry') { "base:$($Made.cosignTag)" } else { $Made.cosignTag }
        $sig = @(Get-Image -Path $StorePaths[$Kind] -Name $name)
        $sig.Count | Should -Be 1
        $sig[0].Digest | Should -Be ($Made.referrers | Where-Object foundBy -eq 'CosignTag').digest
    }

    It 'a wildcard -Name selects images, not artifacts' {
        $w = @(Get-Image -Path $StorePaths[$Kind] -Name '*')
        $w.Count | Should -Be 2
        foreach ($d in $ArtifactDigests) { $w.Digest | Should -Not -Contain $d }
    }

    It 'Get-ImageReferrer still finds the four artifacts of base:1.0' {
        $r = @(Get-ImageReferrer -Path $StorePaths[$Kind] -Name base:1.0)
        $r.Count | Should -Be $Made.referrers.Count
        ($r.Digest | Sort-Object) | Should -Be (@($Made.referrers.digest) | Sort-Object)
    }
}

Describe 'Test-ImageBlob -Path on the layout still verifies the artifacts'' blobs' {
    It 'reports every blob file of the layout, each valid by sha256sum' {
        $layout = $StorePaths.layout
        $files = @(Get-ChildItem "$layout/blobs/sha256" -File)
        $files.Count | Should -BeGreaterThan 20
        $results = @(Test-ImageBlob -Path $layout)
        ($results.Digest | Sort-Object -Unique).Count | Should -Be $files.Count
        foreach ($f in $files) {
            $x = @($results | Where-Object Digest -eq "sha256:$($f.Name)")
            $x.Count | Should -BeGreaterThan 0 -Because "$($f.Name) is a blob of the layout"
            $x[0].Status | Should -Be 'Valid'
            Get-FileDigestBySum $f.FullName | Should -Be "sha256:$($f.Name)"
        }
        foreach ($m in $Made.referrers) {
            foreach ($b in @($m.digest) + @($m.blobs)) { $results.Digest | Should -Contain $b }
        }
    }
}

Describe 'Save-Image -Path <layout> (all images) to a docker archive' {
    BeforeAll {
        $script:out = Join-Path $TestDrive 'all.tar'
        $script:saved = Save-Image -Path $StorePaths.layout -Format DockerArchive -DestinationPath $out -ErrorVariable saveErr
        $script:saveErr = $saveErr
    }

    It 'writes manifest.json with the two images and no artifact (python3 tarfile)' {
        $saveErr | Should -BeNullOrEmpty
        $entries = @(Get-ManifestJsonByPython $out)
        $entries.Count | Should -Be 2
        (@($entries.RepoTags) | Sort-Object) | Should -Be @('base:1.0', 'buildkit:1.0')
        foreach ($e in $entries) { $e.Config | Should -Not -BeNullOrEmpty }
    }

    It 'is loaded by docker load' @needsDocker {
        $dockerd = Start-PrivateDockerd
        try {
            $load = Invoke-PrivateDocker $dockerd @('load', '-i', $out)
            ($load -join "`n") | Should -Match 'Loaded image: base:1.0'
            ($load -join "`n") | Should -Match 'Loaded image: buildkit:1.0'
            $tags = @((Invoke-PrivateDocker $dockerd @('image', 'ls', '--format', '{{.Repository}}:{{.Tag}}')) | Sort-Object)
            $tags | Should -Be @('base:1.0', 'buildkit:1.0')
        }
        finally { Stop-PrivateDockerd $dockerd }
    }
}
