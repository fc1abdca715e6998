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

    It 'finds a layerdb entry whose directory is gone and a mount without container, and deletes nothing' {
        $r = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'broken')
        $layer = Get-DockerLayer -Path $r | Where-Object { $_.ImageNames -notcontains 'base:1.0' } | Select-Object -First 1
        Remove-Item -Recurse -Force $layer.OverlayPath
        $c = Get-DockerContainer -Path $r -Name created-only
        Remove-Item -Recurse -Force "$r/containers/$($c.Id)"
        $before = @(& find $r | Sort-Object)
        $o = @(Find-DockerOrphan -Path $r)
        ($o | Where-Object Kind -eq 'MissingLayerDirectory').Id | Should -Be $layer.ChainId.ToString()
        ($o | Where-Object Kind -eq 'BrokenMount').Id | Should -Be $c.Id
        @(& find $r | Sort-Object) | Should -Be $before
    }
}
