BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    . (Join-Path $PSScriptRoot 'Registry.Common.ps1')
    $script:root = New-RegistryCopy (Join-Path $TestDrive 'reg')
    $script:expected = Get-ExpectedTags
    $script:tags = Get-RegistryTag -Path $root
}

Describe 'Get-RegistryTag on storage written by docker-registry 2.8.2' {
    It 'lists, per repository, the tags the registry''s tags/list API answered for <_>' -ForEach @('base', 'aiops/data-cleaning', 'org/team/app') {
        $file = $_ -replace '/', '_'
        $answer = Get-Content -Raw (Join-Path $RegistryExpected "tags.$file.json") | ConvertFrom-Json
        $answer.name | Should -BeExactly $_
        @(Get-RegistryTag -Path $root -Repository $_).Tag | Should -Be @($answer.tags)
    }

    It 'gives the digest skopeo inspect reported for every tag' {
        $tags.Count | Should -Be $expected.Count
        foreach ($t in $tags) { $t.Digest.ToString() | Should -BeExactly $expected[$t.Name] -Because $t.Name }
    }

    It 'gives the media type and size of the manifest skopeo inspect --raw returned, which hashes to the digest' {
        foreach ($t in $tags) {
            $rawFile = Join-Path $RegistryExpected ("raw.{0}.{1}.json" -f ($t.Repository -replace '/', '_'), $t.Tag)
            $raw = [System.IO.File]::ReadAllBytes($rawFile)
            $t.ManifestSize | Should -Be $raw.Length
            $json = [System.Text.Encoding]::UTF8.GetString($raw) | ConvertFrom-Json
            # umoci writes no mediaType into OCI manifests (it is optional); then the content says which it is.
            $type = if ($json.mediaType) { $json.mediaType } elseif ($json.manifests) { 'application/vnd.oci.image.index.v1+json' } else { 'application/vnd.oci.image.manifest.v1+json' }
            $t.MediaType | Should -BeExactly $type
            'sha256:' + [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($raw)).ToLowerInvariant() | Should -BeExactly $t.Digest.ToString()
        }
    }

    It 'keeps the history of an overwritten tag: zdgt was base:1.0, then app:2.0 (current, marked)' {
        $zdgt = Get-RegistryTag -Path $root -Repository aiops/data-cleaning -Name zdgt
        $zdgt.History.Count | Should -Be 2
        ($zdgt.History | Where-Object Current).Digest.ToString() | Should -BeExactly $expected['aiops/data-cleaning:2.0']
        ($zdgt.History | Where-Object { -not $_.Current }).Digest.ToString() | Should -BeExactly $expected['base:1.0']
        ($zdgt.History | Where-Object Current).ToString() | Should -Match '\(current\)$'
    }

    It 'gives a second tag on one manifest the same digest' {
        # skopeo found both tags on one manifest
        $expected['aiops/data-cleaning:latest'] | Should -BeExactly $expected['aiops/data-cleaning:2.0']
        $t = Get-RegistryTag -Path $root -Repository aiops/data-cleaning -Name '2.0', 'latest'
        $t.Count | Should -Be 2
        @($t.Name | Sort-Object) | Should -Be @('aiops/data-cleaning:2.0', 'aiops/data-cleaning:latest')
        foreach ($one in $t) { $one.Digest.ToString() | Should -BeExactly $expected[$one.Name] -Because $one.Name }
        $t[0].Digest | Should -Be $t[1].Digest
    }

    It 'takes repositories from Get-RegistryRepository through the pipeline' {
        (Get-RegistryRepository -Path $root -Name 'org/*' | Get-RegistryTag).Name | Should -Be 'org/team/app:latest'
    }

    It 'lists no tag for the manifest deleted through the API' {
        $deleted = (Get-Content (Join-Path $RegistryExpected 'deleted-manifest.txt')).Trim()
        $tags.Digest.ToString() | Should -Not -Contain $deleted
    }
}
