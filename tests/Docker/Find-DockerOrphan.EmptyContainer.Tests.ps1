# Issue 13: an empty containers/<id> folder (dockerd skips a folder without config.v2.json when it loads its
# containers) is an orphan, not a failure of Find-DockerOrphan, Get-OverlayDirectory or Get-DockerContainer; a dangling
# overlay2/l/ link has the sizes du gives it (its target is longer than an inline symlink: one block).
BeforeDiscovery { . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1" }

Describe 'An empty containers/<id> folder and a dangling short link' -Skip:([bool]$DockerSkipReason) {
    BeforeAll {
        Import-Module $env:IMAGETOOLS_MODULE -Force
        . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1"
        $script:root = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'docker')
        $script:EmptyId = 'e' * 64
        $script:EmptyDir = New-Item -ItemType Directory "$root/containers/$EmptyId"
        $script:Inspected = @(Get-DockerInspect 'overlay2.container-inspect.json')
        function Get-Du([string] $Path, [string] $Unit) { [long]((& du -s $Unit -- $Path) -split '\s+')[0] }
    }

    It 'reports the empty folder as an orphan with du''s size, and the other orphans as before' {
        $o = @(Find-DockerOrphan -Path $root -ErrorVariable err -ErrorAction SilentlyContinue)
        $err.Count | Should -Be 0
        $o.Count | Should -Be 4
        $empty = @($o | Where-Object Kind -eq 'ContainerFolderWithoutConfig')
        $empty.Count | Should -Be 1
        $empty[0].Id | Should -Be $EmptyId
        $empty[0].Path | Should -Be $EmptyDir.FullName
        $empty[0].DiskUsage | Should -Be (Get-Du $EmptyDir.FullName '-B1')
        @($o | Where-Object Kind -eq 'UnreferencedDirectory').Count | Should -Be 1
    }

    It 'gives a dangling short link the sizes du gives it' {
        $link = @(Find-DockerOrphan -Path $root | Where-Object Kind -eq 'DanglingLink')
        $link.Count | Should -Be 1
        $du = Get-Du $link[0].Path '-B1'
        $du | Should -BeGreaterThan 0 -Because 'a 72-byte link target does not fit in the inode'
        $link[0].DiskUsage | Should -Be $du
        $link[0].Size | Should -Be (Get-Du $link[0].Path '-b')
    }

    It 'lists the overlay directories without an error' {
        $dirs = @(Get-OverlayDirectory -Path $root -ErrorVariable err -ErrorAction SilentlyContinue)
        $err.Count | Should -Be 0
        $onDisk = @(Get-ChildItem -Directory "$root/overlay2" | Where-Object Name -ne 'l' | ForEach-Object Name | Sort-Object)
        @($dirs.Id) | Should -Be $onDisk
    }

    It 'lists the containers docker inspect lists, not the empty folder' {
        $c = @(Get-DockerContainer -Path $root -ErrorVariable err -ErrorAction SilentlyContinue)
        $err.Count | Should -Be 0
        $Inspected.Count | Should -BeGreaterThan 0
        @($c.Id | Sort-Object) | Should -Be @($Inspected.Id | Sort-Object)
    }
}
