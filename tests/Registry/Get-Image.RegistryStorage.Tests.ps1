BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    . (Join-Path $PSScriptRoot 'Registry.Common.ps1')
    $script:root = New-RegistryCopy (Join-Path $TestDrive 'reg')
    $script:expected = Get-ExpectedTags
}

Describe 'Get-Image and the image pipeline on registry storage' {
    It 'lists every repository:tag with the digest skopeo inspect reported' {
        $images = Get-Image -Path $root
        $images.Count | Should -Be $expected.Count
        foreach ($i in $images) {
            $i.StoreKind | Should -Be 'Registry'
            $stored = $i.FullName -replace '^docker\.io/', '' -replace '^library/(?=base)', ''
            $expected[$stored] | Should -BeExactly $i.Digest.ToString() -Because $i.FullName
        }
    }

    It 'normalizes names: base:1.0 is docker.io/library/base:1.0' {
        (Get-Image -Path $root -Name 'docker.io/library/base:1.0').Digest.ToString() | Should -BeExactly $expected['base:1.0']
        (Get-Image -Path $root -Name 'aiops/data-cleaning').Count | Should -Be 3
    }

    It 'lists with -IncludeUntagged the revision no tag points at, as repository@digest, but not the children of the tagged index' {
        $all = Get-Image -Path $root -IncludeUntagged
        $untagged = $all | Where-Object { $_.Name -like '*@sha256:*' }
        @($untagged).Count | Should -Be 1
        $untagged.Name | Should -BeExactly ('aiops/data-cleaning@' + $expected['base:1.0'])
        $index = Get-Content -Raw (Join-Path $RegistryExpected 'raw.org_team_app.latest.json') | ConvertFrom-Json
        foreach ($child in $index.manifests) { $all.Digest.ToString() | Should -Not -Contain $child.digest }
    }

    It 'reads manifests, configs and layers and verifies every blob as on an archive' {
        $results = Get-Image -Path $root | Get-ImageManifest | Get-ImageLayer | Test-ImageBlob
        $results | Should -Not -BeNullOrEmpty
        $results | Where-Object Status -ne 'Valid' | Should -BeNullOrEmpty
        $manifests = Get-Image -Path $root -Name org/team/app:latest | Get-ImageManifest
        $manifests.Count | Should -Be 2
        (Get-Image -Path $root -Name base:1.0 | Get-ImageConfig).Architecture | Should -Be 'amd64'
    }
}
