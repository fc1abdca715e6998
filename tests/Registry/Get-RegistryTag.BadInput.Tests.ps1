BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    . (Join-Path $PSScriptRoot 'Registry.Common.ps1')
    $script:expected = Get-ExpectedTags
    $script:n = 0
    function New-Damaged { $script:n++; $r = New-RegistryCopy (Join-Path $TestDrive "bad$script:n"); return $r }
    function V2([string] $root, [string] $rel) { Join-Path $root "docker/registry/v2/$rel" }
}

Describe 'Registry storage with bad input: a clear error naming the path, and the rest listed' {
    It 'reports an empty current link and lists the other tags' {
        $root = New-Damaged
        $link = V2 $root 'repositories/base/_manifests/tags/1.0/current/link'
        [System.IO.File]::WriteAllBytes($link, [byte[]]@())
        $tags = Get-RegistryTag -Path $root -ErrorVariable err -ErrorAction SilentlyContinue
        $tags.Count | Should -Be ($expected.Count - 1)
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Match '^InvalidLink'
        $err[0].TargetObject | Should -Be $link
        $err[0].Exception.Message | Should -Match 'empty'
    }

    It 'reports a link that is too long' {
        $root = New-Damaged
        $link = Get-ChildItem (V2 $root 'repositories/base/_layers/sha256') -Recurse -Filter link | Select-Object -First 1
        [System.IO.File]::WriteAllText($link.FullName, 'sha256:' + ('a' * 5000))
        $repos = Get-RegistryRepository -Path $root -ErrorVariable err -ErrorAction SilentlyContinue
        $repos.Count | Should -Be 3
        $err[0].FullyQualifiedErrorId | Should -Match '^InvalidLink'
        $err[0].TargetObject | Should -Be $link.FullName
        $err[0].Exception.Message | Should -Match 'bytes long'
    }

    It 'never turns a link holding a hostile path into a path' {
        $root = New-Damaged
        $link = V2 $root "repositories/base/_manifests/tags/1.0/current/link"
        [System.IO.File]::WriteAllText($link, 'sha256:../../../../../../etc/passwd')
        $tags = Get-RegistryTag -Path $root -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Match '^InvalidLink'
        $err[0].Exception.Message | Should -Match 'not a digest'
        $err[0].TargetObject | Should -Be $link
        $tags.Count | Should -Be ($expected.Count - 1)
        Get-Image -Path $root -ErrorVariable imageErr -ErrorAction SilentlyContinue | Should -HaveCount ($expected.Count - 1)
        @($imageErr | Where-Object FullyQualifiedErrorId -Match '^InvalidLink') | Should -Not -BeNullOrEmpty
    }

    It 'reports a link that names another digest than its folder' {
        $root = New-Damaged
        $hex = $expected['base:1.0'].Substring(7)
        $link = V2 $root "repositories/base/_manifests/revisions/sha256/$hex/link"
        [System.IO.File]::WriteAllText($link, $expected['aiops/data-cleaning:2.0'])
        Get-RegistryRepository -Path $root -Name base -ErrorVariable err -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Match '^InvalidLink'
        $err[0].TargetObject | Should -Be $link
    }

    It 'reports a tag whose manifest blob does not exist, and lists the others' {
        $root = New-Damaged
        $ghost = 'sha256:' + ('0' * 64)
        $tagDir = V2 $root 'repositories/org/team/app/_manifests/tags/ghost'
        New-Item -ItemType Directory -Force -Path "$tagDir/current", (V2 $root "repositories/org/team/app/_manifests/revisions/sha256/$('0' * 64)") | Out-Null
        [System.IO.File]::WriteAllText("$tagDir/current/link", $ghost)
        [System.IO.File]::WriteAllText((V2 $root "repositories/org/team/app/_manifests/revisions/sha256/$('0' * 64)/link"), $ghost)
        $tags = Get-RegistryTag -Path $root -Repository org/team/app -ErrorVariable err -ErrorAction SilentlyContinue
        $tags.Count | Should -Be 2
        $err[0].FullyQualifiedErrorId | Should -Match '^BlobNotFound'
        $err[0].Exception.Message | Should -Match ([regex]::Escape("blobs/sha256/00/$('0' * 64)/data"))
        $garbage = Find-RegistryGarbage -Path $root -ErrorVariable gerr -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        @($gerr | Where-Object { $_.FullyQualifiedErrorId -like 'BlobNotFound*' }).Count | Should -Be 1
        $incomplete = @($gerr | Where-Object { $_.FullyQualifiedErrorId -like 'GarbageMarkingIncomplete*' })
        $incomplete.Count | Should -Be 1
        $incomplete[0].Exception.Message | Should -Match ([regex]::Escape("org/team/app@$ghost (BlobNotFound)"))
        @($garbage | Where-Object Kind -eq Blob).Count | Should -Be @(Get-GcEligible 'gc-dry-run.txt').Count
    }

    It 'lists an untagged revision link to a missing blob as a dangling link' {
        $root = New-Damaged
        $dir = V2 $root "repositories/base/_manifests/revisions/sha256/$('1' * 64)"
        New-Item -ItemType Directory -Force -Path $dir | Out-Null
        [System.IO.File]::WriteAllText("$dir/link", 'sha256:' + ('1' * 64))
        $m = Find-RegistryGarbage -Path $root | Where-Object Kind -eq Manifest
        $m.Path | Should -Be $dir
        $m.Reason | Should -Match '^dangling link'
    }

    It 'reports a manifest data file whose digest is wrong, naming the file' {
        $root = New-Damaged
        $hex = $expected['base:1.0'].Substring(7)
        $data = V2 $root "blobs/sha256/$($hex.Substring(0,2))/$hex/data"
        $bytes = [System.IO.File]::ReadAllBytes($data); $bytes[10] = $bytes[10] -bxor 1; [System.IO.File]::WriteAllBytes($data, $bytes)
        $tags = Get-RegistryTag -Path $root -ErrorVariable err -ErrorAction SilentlyContinue
        $tags.Count | Should -Be $expected.Count
        ($err | Where-Object { $_.FullyQualifiedErrorId -match '^DigestMismatch' }).Exception.Message | Should -Match ([regex]::Escape($data))
        ($tags | Where-Object Name -eq 'base:1.0').MediaType | Should -BeNullOrEmpty
        Find-RegistryGarbage -Path $root -ErrorVariable gerr -ErrorAction SilentlyContinue -WarningVariable warn -WarningAction SilentlyContinue | Out-Null
        @($gerr | Where-Object { $_.FullyQualifiedErrorId -like 'DigestMismatch*' }).Count | Should -Be 1
        @($gerr | Where-Object { $_.FullyQualifiedErrorId -like 'GarbageMarkingIncomplete*' }).Count | Should -Be 1
        $warn | Should -Match 'incomplete'
    }

    It 'reports repository folders with odd names and lists the valid ones' {
        $root = New-Damaged
        foreach ($odd in 'Bad Name', 'UPPER/app', 'x/-dash') { New-Item -ItemType Directory -Force -Path (V2 $root "repositories/$odd/_manifests") | Out-Null }
        New-Item -ItemType Directory -Force -Path (V2 $root 'repositories/_hidden/_manifests') | Out-Null
        $repos = Get-RegistryRepository -Path $root -ErrorVariable err -ErrorAction SilentlyContinue
        $repos.Name | Should -Be @('aiops/data-cleaning', 'base', 'org/team/app')
        @($err | Where-Object { $_.FullyQualifiedErrorId -match '^InvalidRepositoryName' }).Count | Should -Be 3
        $err.TargetObject | Should -Contain (V2 $root 'repositories/Bad Name')
    }

    It 'reports a folder that is not a registry' {
        $none = Join-Path $TestDrive 'plain-folder'
        New-Item -ItemType Directory -Force -Path (Join-Path $none 'something') | Out-Null
        Get-RegistryRepository -Path $none -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Match '^StoreNotRecognized'
        $err[0].TargetObject | Should -Be $none
        Get-RegistryTag -Path $none -ErrorVariable err2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err2[0].FullyQualifiedErrorId | Should -Match '^StoreNotRecognized'
    }
}
