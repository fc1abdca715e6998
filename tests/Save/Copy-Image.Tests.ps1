BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:data = Get-FixturePath
    $script:layout = Get-FixturePath 'oci-layout'
}

Describe 'Copy-Image into an OCI layout' {
    It 'builds a layout over several runs, skipping blobs already present, and keeps what was there' {
        $bundle = Join-Path $TestDrive 'bundle'
        $first = Copy-Image -Path $layout -Name base:1.0 -Destination $bundle
        $first.SkippedBlobCount | Should -Be 0
        $second = Copy-Image -Path "$data/docker-save-legacy.tar" -Name app:2.0 -Destination $bundle
        # app shares base's three layers; uncompressed in the docker archive, so only configs and digests decide.
        $second.BlobCount | Should -BeGreaterThan 0
        $third = Copy-Image -Path $layout -Name app:2.0 -Destination $bundle
        $third.SkippedBlobCount | Should -BeGreaterOrEqual 4
        (Get-Image -Path $bundle).Name | Sort-Object | Should -Be @('app:2.0', 'base:1.0')
        Assert-EveryBlobValid $bundle -DiffId
    }

    It 'rewrites a blob that is present but corrupt instead of trusting it' {
        $bundle = Join-Path $TestDrive 'bundle2'
        Copy-Image -Path $layout -Name base:1.0 -Destination $bundle | Out-Null
        $config = (Get-ImageConfig -Path $bundle).ImageId
        Set-Content -Path "$bundle/blobs/sha256/$($config -replace "^sha256:")" -Value 'garbage'
        $r = Copy-Image -Path $layout -Name base:1.0 -Destination $bundle
        $r.BlobCount | Should -Be 1
        Assert-EveryBlobValid $bundle
    }
}
