BeforeDiscovery { . (Join-Path $PSScriptRoot 'Registry.Common.ps1') }

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    . (Join-Path $PSScriptRoot 'Registry.Common.ps1')
    $script:expected = Get-ExpectedTags
    function Get-Tree([string] $Path) { Get-ChildItem -Recurse -Force $Path | ForEach-Object FullName | Sort-Object }
}

Describe 'Remove-RegistryGarbage' {
    It 'changes nothing with -WhatIf' {
        $root = New-RegistryCopy (Join-Path $TestDrive 'whatif')
        $before = Get-Tree $root
        Invoke-WithoutHost -ArgumentList $root {
            param($root)
            Find-RegistryGarbage -Path $root -UploadAge 0 -IncludeUntagged | Remove-RegistryGarbage -WhatIf
            Remove-RegistryGarbage -Path $root -UploadAge 0 -IncludeUntagged -WhatIf
        } | Should -BeNullOrEmpty
        Get-Tree $root | Should -Be $before
    }

    It 'is ConfirmImpact High with ShouldProcess' {
        $meta = [System.Management.Automation.CommandMetadata]::new((Get-Command Remove-RegistryGarbage))
        $meta.SupportsShouldProcess | Should -BeTrue
        $meta.ConfirmImpact | Should -Be 'High'
    }

    It 'removes what Find-RegistryGarbage lists, and the empty folders it leaves, and nothing else' {
        $root = New-RegistryCopy (Join-Path $TestDrive 'piped')
        $items = Find-RegistryGarbage -Path $root -UploadAge 0 -IncludeUntagged
        $removed = $items | Remove-RegistryGarbage -Confirm:$false -PassThru
        $removed.Count | Should -Be $items.Count
        foreach ($i in $items) { Test-Path $i.Path | Should -BeFalse -Because $i.ToString() }
        Find-RegistryGarbage -Path $root -UploadAge 0 -IncludeUntagged | Should -BeNullOrEmpty
        # No empty two-character blob folders are left, and the untagged revision's tag history entry is gone too.
        Get-ChildItem -Directory (Join-Path $root 'docker/registry/v2/blobs/sha256') | Where-Object { -not (Get-ChildItem $_.FullName) } | Should -BeNullOrEmpty
        $hex = $expected['base:1.0'].Substring(7)
        Test-Path (Join-Path $root "docker/registry/v2/repositories/aiops/data-cleaning/_manifests/tags/zdgt/index/sha256/$hex") | Should -BeFalse
        (Get-RegistryTag -Path $root).Count | Should -Be $expected.Count
    }

    It 'leaves every remaining tag pullable by the real registry and skopeo' -Tag 'needs:docker-registry', 'needs:skopeo' -Skip:(-not (Test-RegistryToolsPresent)) {
        $root = New-RegistryCopy (Join-Path $TestDrive 'live')
        Remove-RegistryGarbage -Path $root -UploadAge 0 -IncludeUntagged -Confirm:$false
        $registry = Start-TestRegistry $root
        try {
            foreach ($name in $expected.Keys) {
                $dest = Join-Path $TestDrive ('pull-' + ($name -replace '[/:]', '_'))
                $out = & skopeo --insecure-policy copy --all --src-tls-verify=false "docker://$($registry.Address)/$name" "oci:${dest}:x" 2>&1
                $LASTEXITCODE | Should -Be 0 -Because "skopeo copy of $name said: $out"
                $digest = & skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$($registry.Address)/$name"
                $digest | Should -BeExactly $expected[$name]
            }
        }
        finally { Stop-TestRegistry $registry }
    }

    It 'unlike registry 2.8.2''s own --delete-untagged, which breaks the multi-platform tag' -Tag 'needs:docker-registry', 'needs:skopeo' -Skip:(-not (Test-RegistryToolsPresent)) {
        $root = New-RegistryCopy (Join-Path $TestDrive 'gc282')
        $registry = Start-TestRegistry $root
        Stop-TestRegistry $registry
        & docker-registry garbage-collect --delete-untagged $registry.Config *> $null
        $registry = Start-TestRegistry $root
        try {
            & skopeo --insecure-policy copy --all --src-tls-verify=false "docker://$($registry.Address)/org/team/app:latest" "oci:$(Join-Path $TestDrive 'gc282-pull'):x" *> $null
            $LASTEXITCODE | Should -Not -Be 0
        }
        finally { Stop-TestRegistry $registry }
    }

    It 'removes nothing when marking could not read every manifest, unless -Force' {
        $root = New-RegistryCopy (Join-Path $TestDrive 'incomplete')
        $hex = $expected['aiops/data-cleaning:2.0'].Substring(7)
        [System.IO.File]::WriteAllText((Join-Path $root "docker/registry/v2/blobs/sha256/$($hex.Substring(0,2))/$hex/data"), '{"damaged":')
        $before = @(Get-ChildItem -Recurse -Filter data (Join-Path $root 'docker/registry/v2/blobs')).Count
        $tree = Get-Tree $root
        $tree.Count | Should -BeGreaterThan 50
        Remove-RegistryGarbage -Path $root -UploadAge 0 -IncludeUntagged -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $incomplete = @($err | Where-Object { $_.FullyQualifiedErrorId -like 'GarbageMarkingIncomplete*' })
        $incomplete.Count | Should -Be 1
        $incomplete[0].Exception.Message | Should -Match ([regex]::Escape("aiops/data-cleaning@$($expected['aiops/data-cleaning:2.0'])"))
        @($err | Where-Object { $_.FullyQualifiedErrorId -like 'DigestMismatch*' }).Count | Should -Be 1
        # app's own layers are not referenced by any readable manifest, yet nothing at all is removed:
        # no blob, no untagged manifest, no _layers link, no upload.
        Get-Tree $root | Should -Be $tree
        Remove-RegistryGarbage -Path $root -UploadAge 0 -Confirm:$false -Force -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        @(Get-ChildItem -Recurse -Filter data (Join-Path $root 'docker/registry/v2/blobs')).Count | Should -BeLessThan $before
    }

    It 'refuses every piped candidate of an incomplete marking with one error, unless -Force' {
        $root = New-RegistryCopy (Join-Path $TestDrive 'incomplete-piped')
        [System.IO.File]::WriteAllBytes((Join-Path $root 'docker/registry/v2/repositories/base/_manifests/tags/1.0/current/link'), [byte[]]@())
        $tree = Get-Tree $root
        $items = Find-RegistryGarbage -Path $root -UploadAge 0 -IncludeUntagged -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        @($items).Count | Should -BeGreaterThan 1
        $items | ForEach-Object { $_.MarkingComplete | Should -BeFalse }
        $items | Remove-RegistryGarbage -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        @($err).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'GarbageMarkingIncomplete*'
        $err[0].Exception.Message | Should -Match 'tags/1\.0/current/link \(InvalidLink\)'
        Get-Tree $root | Should -Be $tree
    }
}
