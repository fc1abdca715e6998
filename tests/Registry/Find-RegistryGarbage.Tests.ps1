BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    . (Join-Path $PSScriptRoot 'Registry.Common.ps1')
    $script:root = New-RegistryCopy (Join-Path $TestDrive 'reg')
    $script:plain = Find-RegistryGarbage -Path $root -UploadAge 0
    $script:untagged = Find-RegistryGarbage -Path $root -UploadAge 0 -IncludeUntagged
    $script:expected = Get-ExpectedTags
}

Describe 'Find-RegistryGarbage against docker-registry garbage-collect --dry-run' {
    It 'lists in plain mode exactly the blobs garbage-collect --dry-run would delete' {
        $gc = Get-GcEligible 'gc-dry-run.txt'
        $gc.Count | Should -BeGreaterThan 0
        @($plain | Where-Object Kind -eq Blob | ForEach-Object { $_.Digest.ToString() } | Sort-Object) | Should -Be $gc
        $plain | Where-Object Kind -eq Manifest | Should -BeNullOrEmpty
    }

    It 'finds the stray blob and the blobs of the manifest deleted through the API among them' {
        $blobs = $plain | Where-Object Kind -eq Blob | ForEach-Object { $_.Digest.ToString() }
        $blobs | Should -Contain (Get-Content (Join-Path $RegistryExpected 'stray-blob.txt')).Trim()
        $blobs | Should -Contain (Get-Content (Join-Path $RegistryExpected 'deleted-manifest.txt')).Trim()
        ($plain | Where-Object Kind -eq Blob | Select-Object -First 1).Reason | Should -Be 'unreferenced'
    }

    It 'gives each blob the size of its data file' {
        foreach ($b in $plain | Where-Object Kind -eq Blob) { $b.Size | Should -Be (Get-Item (Join-Path $b.Path 'data')).Length }
    }

    It 'lists the _layers links that are left dangling (the registry keeps them), and the unfinished upload with its age' {
        $links = $plain | Where-Object Kind -eq LayerLink
        @($links).Count | Should -Be 3
        $links.Repository | Sort-Object -Unique | Should -Be 'base'
        $links | ForEach-Object { $_.Reason | Should -Match '^dangling link' }
        $upload = $plain | Where-Object Kind -eq Upload
        @($upload).Count | Should -Be 1
        $upload.Repository | Should -Be 'aiops/data-cleaning'
        $upload.Reason | Should -Match '^stale upload: started .* ago$'
        $upload.Age | Should -BeGreaterThan ([TimeSpan]::Zero)
        Find-RegistryGarbage -Path $root -UploadAge ([TimeSpan]::FromDays(36500)) | Where-Object Kind -eq Upload | Should -BeNullOrEmpty
    }

    It 'in untagged mode lists the overwritten manifest of zdgt, and differs from registry 2.8.2 only by the children of the tagged index' {
        # registry 2.8.2 --delete-untagged also lists the two platform manifests of org/team/app:latest (a tagged
        # index) and deletes their configs and layers, which breaks the index. We keep them: the difference must be
        # exactly those children and the blobs only they refer to.
        $manifests = $untagged | Where-Object Kind -eq Manifest
        @($manifests).Count | Should -Be 1
        $manifests.Repository | Should -Be 'aiops/data-cleaning'
        $manifests.Digest.ToString() | Should -BeExactly $expected['base:1.0']
        $manifests.Reason | Should -Match '^untagged'

        $index = Get-Content -Raw (Join-Path $RegistryExpected 'raw.org_team_app.latest.json') | ConvertFrom-Json
        $children = @($index.manifests.digest | Sort-Object)
        $childBlobs = foreach ($c in $children) { $m = Get-BlobJson $root $c; $m.config.digest; $m.layers.digest }
        $gcManifests = Get-GcEligible 'gc-dry-run-untagged.txt' 'manifest'
        @($gcManifests | Where-Object { $_ -notin $manifests.Digest.ToString() }) | Should -Be $children

        $gcBlobs = Get-GcEligible 'gc-dry-run-untagged.txt'
        $ours = @($untagged | Where-Object Kind -eq Blob | ForEach-Object { $_.Digest.ToString() } | Sort-Object)
        $ours | ForEach-Object { $gcBlobs | Should -Contain $_ }
        @($gcBlobs | Where-Object { $_ -notin $ours }) | Should -Be @($childBlobs | Sort-Object -Unique)
    }

    It 'reads no blob data other than manifests and indexes (layers and configs made unreadable still work)' {
        $copy = New-RegistryCopy (Join-Path $TestDrive 'noread')
        $manifestDigests = Get-ChildItem -Recurse -Filter link (Join-Path $copy 'docker/registry/v2/repositories') |
            Where-Object FullName -match '/_manifests/revisions/' | ForEach-Object { (Get-Content -Raw $_.FullName) } | Sort-Object -Unique
        foreach ($data in Get-ChildItem -Recurse -Filter data (Join-Path $copy 'docker/registry/v2/blobs')) {
            $d = 'sha256:' + $data.Directory.Name
            if ($d -notin $manifestDigests) { [System.IO.File]::WriteAllText($data.FullName, 'not the blob') }
        }
        $again = Find-RegistryGarbage -Path $copy -UploadAge 0 -ErrorVariable err
        $err | Should -BeNullOrEmpty
        @($again | Where-Object Kind -eq Blob).Count | Should -Be @($plain | Where-Object Kind -eq Blob).Count
    }

    It 'says so in the help, with totals by kind in its example' {
        # The help the built module gives (build.ps1 turns the cmdlets' XML doc comments into MAML).
        $find = Get-Help Find-RegistryGarbage
        ($find.description.Text -join "`n") | Should -Match 'registry 2\.8\.2''s --delete-untagged'
        ($find.examples.example.code -join "`n") | Should -Match 'Find-RegistryGarbage .*Group-Object Kind'
        ((Get-Help Remove-RegistryGarbage).description.Text -join "`n") | Should -Match 'MUST be stopped or in\s+read-only'
    }

    It 'gives a clear error for a folder that is not a registry' {
        $none = Join-Path $TestDrive 'not-a-registry'
        New-Item -ItemType Directory -Path $none | Out-Null
        Find-RegistryGarbage -Path $none -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Match '^StoreNotRecognized'
        $err[0].TargetObject | Should -Be $none
        $err[0].Exception.Message | Should -Match ([regex]::Escape($none))
    }
}
