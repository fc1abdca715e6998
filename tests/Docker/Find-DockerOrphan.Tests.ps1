BeforeDiscovery { . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1" }

Describe 'Find-DockerOrphan' -Skip:([bool]$DockerSkipReason) {
    BeforeAll {
        Import-Module $env:IMAGETOOLS_MODULE -Force
        . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1"
        $script:root = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'docker')
    }

    It 'finds the hand-made orphan, the -removing directory and the dangling link, with du''s sizes' {
        $o = @(Find-DockerOrphan -Path $root)
        $o.Count | Should -Be 3
        $orphan = $o | Where-Object Kind -eq 'UnreferencedDirectory'
        $orphan.Id | Should -Be '0000000000000000000000000000000000000000000000000000000000000001'
        $orphan.DiskUsage | Should -Be ([long]((& du -sB1 $orphan.Path) -split '\s+')[0])
        $orphan.Size | Should -Be 5026   # 5000-byte file + 26-byte link file
        $rem = $o | Where-Object Kind -eq 'RemovingDirectory'
        $rem.Path | Should -Be "$root/overlay2/0000000000000000000000000000000000000000000000000000000000000002-removing"
        $rem.Size | Should -Be 3000
        ($o | Where-Object Kind -eq 'DanglingLink').Id | Should -Be 'DANGLINGLINK00000000000003'
    }

    It 'finds no orphan among the directories docker inspect names' {
        $named = @(Get-DockerInspect 'overlay2.container-inspect.json') + @(Get-DockerInspect 'overlay2.image-inspect.json') |
            ForEach-Object { $_.GraphDriver.Data.UpperDir; $_.GraphDriver.Data.LowerDir -split ':' } | Where-Object { $_ } | ForEach-Object { Get-DriverDirId $_ }
        (Find-DockerOrphan -Path $root).Id | ForEach-Object { $named | Should -Not -Contain $_ }
    }

    It 'finds a layerdb entry whose directory is gone and a mount without container, offers no unreferenced directory then, and deletes nothing' {
        $r = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'broken')
        # what docker inspect recorded: app:2.0's top layer directory and its ChainID (computed here from the DiffIDs), the created-only container's id
        $app = Get-DockerInspect 'overlay2.image-inspect.json' | Where-Object { $_.RepoTags -contains 'app:2.0' }
        $chain = $app.RootFS.Layers[0]
        foreach ($diff in $app.RootFS.Layers | Select-Object -Skip 1) {
            $chain = 'sha256:' + [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::ASCII.GetBytes("$chain $diff"))).ToLowerInvariant()
        }
        Remove-Item -Recurse -Force "$r/overlay2/$(Get-DriverDirId $app.GraphDriver.Data.UpperDir)"
        $created = Get-DockerInspect 'overlay2.container-inspect.json' | Where-Object Name -eq '/created-only'
        Remove-Item -Recurse -Force "$r/containers/$($created.Id)"
        $before = @(& find $r | Sort-Object)
        $o = @(Find-DockerOrphan -Path $r -ErrorVariable err -ErrorAction SilentlyContinue)
        @($o | Where-Object Kind -eq 'MissingLayerDirectory').Id | Should -Be @($chain)
        @($o | Where-Object Kind -eq 'BrokenMount').Id | Should -Be @($created.Id)
        @($o | Where-Object Kind -eq 'UnreferencedDirectory').Count | Should -Be 0 -Because 'the hand-made orphan could be the directory the layer lost'
        @($err | Where-Object { $_.FullyQualifiedErrorId -like 'OrphanMarkingIncomplete*' }).Count | Should -Be 1
        @(& find $r | Sort-Object) | Should -Be $before
    }

    It 'offers nothing, with OrphanMarkingIncomplete naming the file, when a cache-id cannot be trusted (../..)' {
        $r = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'dotdot')
        $base = Get-DockerInspect 'overlay2.image-inspect.json' | Where-Object { $_.RepoTags -contains 'base:1.0' }
        # the bottom layer: its ChainID is its DiffID
        $cacheId = "$r/image/overlay2/layerdb/sha256/$($base.RootFS.Layers[0].Substring(7))/cache-id"
        Test-Path $cacheId | Should -BeTrue
        [IO.File]::WriteAllText($cacheId, '../..')
        $o = @(Find-DockerOrphan -Path $r -ErrorVariable err -ErrorAction SilentlyContinue)
        $o.Count | Should -Be 0
        $incomplete = @($err | Where-Object { $_.FullyQualifiedErrorId -like 'OrphanMarkingIncomplete*' })
        $incomplete.Count | Should -Be 1
        $incomplete[0].Exception.Message | Should -BeLike "*$cacheId*"
        @($err | Where-Object { $_.FullyQualifiedErrorId -like 'PathOutsideStore*' }).Count | Should -Be 1
    }
}
