BeforeDiscovery { . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1" }

Describe 'Get-OverlayDirectory on a real dockerd 20.10 data root' -Skip:([bool]$DockerSkipReason) {
    BeforeAll {
        Import-Module $env:IMAGETOOLS_MODULE -Force
        . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1"
        $script:root = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'docker')
        $script:containers = @(Get-DockerInspect 'overlay2.container-inspect.json')
        $script:images = @(Get-DockerInspect 'overlay2.image-inspect.json')
        $script:dirs = @(Get-OverlayDirectory -Path $root)
        $script:byId = @{}; $dirs | ForEach-Object { $byId[$_.Id] = $_ }
    }

    It 'lists one object per overlay2 directory (l/ excluded)' {
        $onDisk = @(Get-ChildItem -Directory "$root/overlay2" | Where-Object Name -ne 'l' | ForEach-Object Name | Sort-Object)
        @($dirs.Id) | Should -Be $onDisk
    }

    It 'maps the upper, init and lower directories of container <_.Name> as docker inspect names them' -ForEach (Get-DockerInspect 'overlay2.container-inspect.json') {
        $name = $_.Name.TrimStart('/')
        $upper = $byId[(Get-DriverDirId $_.GraphDriver.Data.UpperDir)]
        $upper.Kind | Should -Be 'ContainerLayer'
        $upper.ContainerId | Should -Be $_.Id
        $upper.ContainerName | Should -Be $name
        @($upper.ImageIds | ForEach-Object ToString) | Should -Be @($_.Image)
        $lower = @($_.GraphDriver.Data.LowerDir -split ':' | ForEach-Object { Get-DriverDirId $_ })
        @($upper.Lowers) | Should -Be $lower
        $init = $byId[$lower[0]]
        $init.Kind | Should -Be 'ContainerInit'
        $init.ContainerName | Should -Be $name
        foreach ($id in $lower | Select-Object -Skip 1) {
            $byId[$id].Kind | Should -Be 'ImageLayer'
            ($byId[$id].ImageIds | ForEach-Object ToString) | Should -Contain $_.Image
        }
    }

    It 'maps the layers of image <_.RepoTags> with their DiffIDs and names' -ForEach (Get-DockerInspect 'overlay2.image-inspect.json') {
        $top = $byId[(Get-DriverDirId $_.GraphDriver.Data.UpperDir)]
        $top.Kind | Should -Be 'ImageLayer'
        $top.DiffId.ToString() | Should -Be $_.RootFS.Layers[-1]
        foreach ($t in $_.RepoTags) { $top.ImageNames | Should -Contain $t }
        $expectedLowers = @(if ($_.GraphDriver.Data.LowerDir) { $_.GraphDriver.Data.LowerDir -split ':' | ForEach-Object { Get-DriverDirId $_ } })
        @($top.Lowers) | Should -Be $expectedLowers
    }

    It 'resolves each link short name to its directory as the l/ symlinks do' {
        # every directory dockerd made has a link file (the -removing one kept its own): the Link of each must be set
        $withLinkFile = @(Get-ChildItem -Directory "$root/overlay2" | Where-Object { $_.Name -ne 'l' -and (Test-Path "$($_.FullName)/link") } | ForEach-Object Name | Sort-Object)
        $withLinkFile.Count | Should -BeGreaterThan 5
        @($dirs | Where-Object Link | ForEach-Object Id | Sort-Object) | Should -Be $withLinkFile
        foreach ($d in $dirs | Where-Object Link) {
            $d.Link | Should -Be (Get-Content -Raw "$root/overlay2/$($d.Id)/link").Trim()
            (& readlink "$root/overlay2/l/$($d.Link)") | Should -Be "../$($d.Id)/diff"
        }
    }

    It 'takes the short name from l/, and from the link file where l/ has none or two for the directory' {
        $r = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'links')
        $ran = $containers | Where-Object Name -eq '/ran'
        $upper = Get-DriverDirId $ran.GraphDriver.Data.UpperDir
        $init, $layer = @($ran.GraphDriver.Data.LowerDir -split ':' | ForEach-Object { Get-DriverDirId $_ })[0, 1]
        $shortOf = @{}; foreach ($id in $upper, $init, $layer) { $shortOf[$id] = (Get-Content -Raw "$r/overlay2/$id/link").Trim() }
        Remove-Item "$r/overlay2/l/$($shortOf[$upper])"          # nothing names the container's upper layer in a lower file
        Remove-Item "$r/overlay2/$init/link"
        New-Item -ItemType SymbolicLink -Path "$r/overlay2/l/SECONDLINKTOTHESAMELAYER00" -Value "../$layer/diff" | Out-Null
        $byIdHere = @{}; Get-OverlayDirectory -Path $r -ErrorAction Stop | ForEach-Object { $byIdHere[$_.Id] = $_ }
        $byIdHere[$upper].Link | Should -Be $shortOf[$upper] -Because 'no l/ symlink leads to it: its link file says'
        $byIdHere[$init].Link | Should -Be $shortOf[$init] -Because 'its link file is gone, and l/ still leads to it'
        $byIdHere[$layer].Link | Should -Be $shortOf[$layer] -Because 'two l/ symlinks lead to it: its link file says which is its own'
        @($byIdHere[$upper].Lowers) | Should -Be @($byId[$upper].Lowers)
    }

    It 'marks the hand-made orphan and -removing directories' {
        $byId['0000000000000000000000000000000000000000000000000000000000000001'].Kind | Should -Be 'Orphan'
        $byId['0000000000000000000000000000000000000000000000000000000000000002-removing'].Kind | Should -Be 'Removing'
        @($dirs | Where-Object Kind -eq 'Orphan').Count | Should -Be 1
    }

    It 'measures diff/ with -Size as du does (hard links once)' {
        foreach ($d in Get-OverlayDirectory -Path $root -Size) {
            $du = [long]((& du -sB1 $d.DiffPath) -split '\s+')[0]
            $d.DiffDiskUsage | Should -Be $du -Because $d.Id
            $bytes = (& find $d.DiffPath '(' -type f -o -type l ')' -printf '%i %s\n' | Sort-Object -Unique | ForEach-Object { [long](($_ -split ' ')[1]) } | Measure-Object -Sum).Sum
            $d.DiffSize | Should -Be ([long]$bytes) -Because $d.Id
        }
        $dirs[0].DiffSize | Should -BeNullOrEmpty
    }

    It 'filters by -ContainerId, -ImageId and -Id, and takes containers and images from the pipeline' {
        $ran = $containers | Where-Object Name -eq '/ran'
        $expected = @((Get-DriverDirId $ran.GraphDriver.Data.UpperDir)) + @($ran.GraphDriver.Data.LowerDir -split ':' | ForEach-Object { Get-DriverDirId $_ })
        @(Get-OverlayDirectory -Path $root -ContainerId ran | ForEach-Object Id | Sort-Object) | Should -Be @($expected | Sort-Object)
        @(Get-DockerContainer -Path $root -Name ran | Get-OverlayDirectory | ForEach-Object Id) | Should -Be $expected
        $base = $images | Where-Object { $_.RepoTags -contains 'base:1.0' }
        @(Get-OverlayDirectory -Path $root -ImageId base:1.0).Count | Should -Be 3
        @(Get-DockerImage -Path $root -Name base:1.0 | Get-OverlayDirectory)[-1].Id | Should -Be (Get-DriverDirId $base.GraphDriver.Data.UpperDir)
        (Get-OverlayDirectory -Path $root -Id '00000000000000000000000000000000000000000000000000000000000000*').Count | Should -Be 2
    }

    It 'reports a lower naming a missing link with the path and keeps listing' {
        $r = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'badlower')
        $ran = $containers | Where-Object Name -eq '/ran'
        $mount = Get-DriverDirId $ran.GraphDriver.Data.UpperDir
        $text = Get-Content -Raw "$r/overlay2/$mount/lower"
        Set-Content -NoNewline "$r/overlay2/$mount/lower" -Value ($text -replace '^l/[A-Z0-9]+', 'l/NOSUCHLINK000000000000000')
        $all = @(Get-OverlayDirectory -Path $r -ErrorVariable err -ErrorAction SilentlyContinue)
        $all.Count | Should -Be $dirs.Count
        ($all | Where-Object Id -eq $mount).Lowers.Count | Should -Be 5
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FileNotFound*'
        $err[0].Exception.Message | Should -BeLike "*$r/overlay2/$mount/lower*NOSUCHLINK000000000000000*does not exist*"
    }

    It 'reads a lower file that is not ASCII, and one that ends with a newline, as text' {
        $r = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'utf8lower')
        $ran = $containers | Where-Object Name -eq '/ran'
        $mount = Get-DriverDirId $ran.GraphDriver.Data.UpperDir
        $text = Get-Content -Raw "$r/overlay2/$mount/lower"
        [IO.File]::WriteAllText("$r/overlay2/$mount/lower", ($text -replace '^l/[A-Z0-9]+', "l/N$([char]0xD6)SUCHLINK00000000000000") + "`n")
        $all = @(Get-OverlayDirectory -Path $r -ErrorVariable err -ErrorAction SilentlyContinue)
        ($all | Where-Object Id -eq $mount).Lowers.Count | Should -Be 5
        $err.Count | Should -Be 1
        $err[0].Exception.Message | Should -BeLike "*lower layer 'l/N$([char]0xD6)SUCHLINK00000000000000'*"
        [IO.File]::WriteAllText("$r/overlay2/$mount/lower", "$text`n")
        @((Get-OverlayDirectory -Path $r -ErrorAction Stop | Where-Object Id -eq $mount).Lowers).Count | Should -Be 6
    }
}

Describe 'Get-OverlayDirectory on a vfs data root' -Skip:([bool]$DockerSkipReason) {
    BeforeAll {
        Import-Module $env:IMAGETOOLS_MODULE -Force
        . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1"
        $script:vroot = Expand-DockerRootFixture -Driver vfs -Destination (Join-Path $TestDrive 'vfs')
    }

    It 'maps every vfs/dir folder to a layer or the container' {
        $dirs = @(Get-OverlayDirectory -Path $vroot)
        @($dirs.Id | Sort-Object) | Should -Be @(Get-ChildItem -Directory "$vroot/vfs/dir" | ForEach-Object Name | Sort-Object)
        @($dirs | Where-Object Kind -eq 'ImageLayer').Count | Should -Be 3
        ($dirs | Where-Object Kind -eq 'ContainerLayer').ContainerName | Should -Be 'vfs-created'
        ($dirs | Where-Object Kind -eq 'ContainerInit').ContainerName | Should -Be 'vfs-created'
        @($dirs | Where-Object Kind -eq 'Orphan').Count | Should -Be 0
        $c = Get-DockerInspect 'vfs.container-inspect.json'
        ($dirs | Where-Object Kind -eq 'ContainerLayer').ContainerId | Should -Be $c.Id
        ($dirs | Where-Object Kind -eq 'ImageLayer') | ForEach-Object { $_.DiffPath | Should -Be (Join-Path $vroot "vfs/dir/$($_.Id)") }
    }

    It 'verifies the vfs image offline: layers reassembled from vfs folders hash to docker''s DiffIDs' {
        $r = @(Get-Image -Path $vroot | Test-ImageBlob -DiffId)
        $r.Count | Should -Be 5
        $r | ForEach-Object { $_.Status | Should -Be 'Valid' }
        $diffIds = (Get-DockerInspect 'vfs.image-inspect.json').RootFS.Layers
        @($r | Where-Object Kind -eq 'Layer' | ForEach-Object { $_.Digest.ToString() } | Sort-Object) | Should -Be @($diffIds | Sort-Object)
    }
}
