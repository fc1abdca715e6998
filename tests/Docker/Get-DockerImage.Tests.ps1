BeforeDiscovery { . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1" }

Describe 'Get-DockerImage and Get-DockerLayer on a real dockerd 20.10 data root' -Skip:([bool]$DockerSkipReason) {
    BeforeAll {
        Import-Module $env:IMAGETOOLS_MODULE -Force
        . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1"
        $script:root = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'docker')
        $script:inspect = @(Get-DockerInspect 'overlay2.image-inspect.json')
        $script:images = @(Get-DockerImage -Path $root)
    }

    It 'lists the same image IDs as docker image inspect' {
        ($images.Id | ForEach-Object ToString | Sort-Object) | Should -Be ($inspect.Id | Sort-Object)
    }

    It 'has the RepoTags, RepoDigests, Created, Size and DiffIDs docker reports for <_.Id>' -ForEach (Get-DockerInspect 'overlay2.image-inspect.json') {
        $i = Get-DockerImage -Path $root -Name $_.Id
        @($i.RepoTags) | Should -Be @($_.RepoTags | Sort-Object)
        @($i.RepoDigests).Count | Should -Be @($_.RepoDigests).Count
        [DateTimeOffset]$i.Created | Should -Be ([DateTimeOffset]::Parse($_.Created, [Globalization.CultureInfo]::InvariantCulture))
        $i.Size | Should -Be $_.Size
        @($i.DiffIds | ForEach-Object ToString) | Should -Be @($_.RootFS.Layers)
        $i.Architecture | Should -Be $_.Architecture
        if ($_.Parent) { $i.Parent.ToString() | Should -Be $_.Parent } else { $i.Parent | Should -BeNullOrEmpty }
    }

    It 'maps each image''s layers to the overlay2 directories docker inspect names (<_.RepoTags>)' -ForEach (Get-DockerInspect 'overlay2.image-inspect.json') {
        $layers = @(Get-DockerImage -Path $root -Name $_.Id | Get-DockerLayer)
        $layers.Count | Should -Be $_.RootFS.Layers.Count
        [array]::Reverse($layers)   # top first, as GraphDriver data lists them
        $layers[0].CacheId | Should -Be (Get-DriverDirId $_.GraphDriver.Data.UpperDir)
        $layers[0].DiffPath | Should -Be (Join-Path $root "overlay2/$($layers[0].CacheId)/diff")
        if ($_.GraphDriver.Data.LowerDir) {
            @($layers | Select-Object -Skip 1 | ForEach-Object CacheId) | Should -Be @($_.GraphDriver.Data.LowerDir -split ':' | ForEach-Object { Get-DriverDirId $_ })
        }
        @($layers.DiffId | ForEach-Object ToString) | Should -Be @($_.RootFS.Layers[($_.RootFS.Layers.Count - 1)..0])
    }

    It 'selects images by familiar name, full name, repository, and ID prefix' {
        (Get-DockerImage -Path $root -Name 'base:1.0').RepoTags | Should -Be @('base:1.0')
        (Get-DockerImage -Path $root -Name 'docker.io/library/app:latest').RepoTags | Should -Contain 'app:latest'
        @(Get-DockerImage -Path $root -Name 'app').Count | Should -Be 1
        $id = ($inspect | Where-Object { $_.RepoTags -contains 'base:1.0' }).Id
        (Get-DockerImage -Path $root -Name $id.Substring(7, 12)).Id.ToString() | Should -Be $id
        Get-DockerImage -Path $root -Name 'nope:1' -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound*'
    }

    It 'lists every layerdb entry with its DiffID, cache-id, tar-split and users' {
        $layers = @(Get-DockerLayer -Path $root)
        $layers.Count | Should -Be 5
        $layers | ForEach-Object { $_.HasTarSplit | Should -BeTrue; $_.DirectoryExists | Should -BeTrue }
        $bottom = $layers | Where-Object { -not $_.Parent }
        $bottom.ChainId | Should -Be $bottom.DiffId
        $bottom.ImageNames | Should -Contain 'base:1.0'
        $bottom.ImageNames | Should -Contain 'app:2.0'
        $bottom.ContainerIds.Count | Should -Be 2
        (Get-Content -Raw (Join-Path $bottom.LayerDbPath 'cache-id')) | Should -Be $bottom.CacheId
    }

    It 'reports a cache-id that leads out of the driver folder with its path and keeps listing the other layers' {
        $copy = Join-Path $TestDrive 'garbage'
        $r = Expand-DockerRootFixture -Driver overlay2 -Destination $copy
        $victim = (Get-ChildItem "$r/image/overlay2/layerdb/sha256" | Select-Object -First 1).FullName
        [IO.File]::WriteAllBytes("$victim/cache-id", [byte[]](0x2e, 0x2e, 0x2f, 0x65, 0x74, 0x63, 0x00))
        Remove-Item "$((Get-ChildItem "$r/image/overlay2/layerdb/sha256" | Select-Object -Skip 1 -First 1).FullName)/cache-id"
        $layers = @(Get-DockerLayer -Path $r -ErrorVariable err -ErrorAction SilentlyContinue)
        $layers.Count | Should -Be 5
        @($layers | Where-Object CacheId).Count | Should -Be 3
        $bad = @($err | Where-Object { $_.FullyQualifiedErrorId -like 'PathOutsideStore*' })
        $bad.Count | Should -Be 1
        $bad[0].Exception.Message | Should -BeLike "*$victim/cache-id*leads out of the driver's folder*"
        ($err | Where-Object { $_.FullyQualifiedErrorId -like 'FileNotFound*' }).Exception.Message | Should -BeLike '*cache-id*is missing*'
    }

    It 'lists images and layers for a driver whose directories are not mapped, with a note' {
        $copy = Join-Path $TestDrive 'btrfs'
        $r = Expand-DockerRootFixture -Driver overlay2 -Destination $copy
        Rename-Item "$r/image/overlay2" 'btrfs'
        Rename-Item "$r/overlay2" 'btrfs'
        $imgs = @(Get-DockerImage -Path $r -WarningVariable warn -WarningAction SilentlyContinue)
        $imgs.Count | Should -Be 2
        $warn -join "`n" | Should -BeLike '*btrfs*not mapped*'
        $layers = @(Get-DockerLayer -Path $r -WarningAction SilentlyContinue)
        $layers.Count | Should -Be 5
        $layers | ForEach-Object { $_.OverlayPath | Should -BeNullOrEmpty; $_.CacheId | Should -Not -BeNullOrEmpty }
    }

    It 'says clearly that Docker''s own cmdlets cannot read a containerd-image-store root, and where its images are' {
        $r = Join-Path $TestDrive 'ctrd'
        New-Item -ItemType Directory "$r/containers", "$r/containerd/daemon/io.containerd.metadata.v1.bolt" -Force | Out-Null
        Copy-Item "$PSScriptRoot/../Fixtures/bolt/meta.db" "$r/containerd/daemon/io.containerd.metadata.v1.bolt/meta.db"
        Get-DockerImage -Path $r -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DockerRootUnsupported*'
        $err[0].Exception.Message | Should -BeLike '*containerd image store*'
        $err[0].Exception.Message | Should -BeLike '*-Namespace moby*'
    }
}
