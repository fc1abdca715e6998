# Issue 13, views: every default table shows what its tool shows first, in widths that fit the data, the same for a
# live object and for one that came back through remoting (PSSerializer, as Invoke-Command uses it). Expected values:
# the layout's index.json and blobs (umoci), ctr's recorded listings, docker's recorded answers (image ls, inspect).
BeforeDiscovery { . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1" }

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    $script:Layout = Join-Path $PSScriptRoot '../Fixtures/data/oci-layout'
    $script:CtrFx = Join-Path $PSScriptRoot '../Fixtures/containerd'
    $script:CtrRoot = Join-Path $CtrFx 'root'
    $script:Index = Get-Content -Raw (Join-Path $Layout 'index.json') | ConvertFrom-Json
    function Get-IndexEntry([string] $Name) { @($Index.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq $Name }) }
    function Read-Blob([string] $Digest) { Get-Content -Raw (Join-Path $Layout ('blobs/sha256/' + ($Digest -replace '^sha256:'))) | ConvertFrom-Json }
    function Copy-ThroughSerializer($Object) {
        [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($Object))
    }
    function Get-Table($Objects, [int] $Width = 200) { $Objects | Format-Table | Out-String -Width $Width }
    function Get-PlatformText($Platform) { (@($Platform.os, $Platform.architecture, $Platform.variant) | Where-Object { $_ }) -join '/' }
}

Describe 'Get-Image default view' {
    It 'shows the image ID as docker images does (12 hex of the config digest) and the size human-readable' {
        $entry = Get-IndexEntry 'base:1.0'
        $entry.Count | Should -Be 1
        $config = (Read-Blob $entry[0].digest).config.digest
        $image = Get-Image -LiteralPath $Layout -Name base:1.0
        $lines = @((Get-Table $image) -split "`n" | Where-Object { $_ -match 'base:1\.0' })
        $lines.Count | Should -Be 1
        $lines[0] | Should -Match ([regex]::Escape(($config -replace '^sha256:').Substring(0, 12)))
        $lines[0] | Should -Not -Match "\b$($image.Size)\b"
        $lines[0] | Should -Match '\d(\.\d+)?kB\b'
        $image.Size | Should -BeOfType [long]
    }

    It 'shows the namespace of each containerd image, as ctr -n <ns> images ls lists them' {
        foreach ($ns in 'k8s.io', 'team-b') {
            $refs = @(Get-Content (Join-Path $CtrFx "ctr-images-$ns.txt") | Select-Object -Skip 1 | Where-Object { $_.Trim() } |
                ForEach-Object { ($_.Trim() -split '\s+')[0] })
            $refs.Count | Should -BeGreaterThan 0
            $images = @(Get-Image -LiteralPath $CtrRoot | Where-Object Namespace -eq $ns)
            @($images.Name | Sort-Object) | Should -Be @($refs | Sort-Object)
            $text = Get-Table $images
            foreach ($r in $refs) { $text | Should -Match "(?m)^$([regex]::Escape($ns))\s+$([regex]::Escape($r))\s" }
        }
    }

    It 'does not cut a long name at width 200' {
        $dest = Join-Path $TestDrive 'long'
        $long = 'registry.example.com:5000/team/very-long-repository-name/service:1.0'
        Copy-Item -Recurse $Layout $dest
        $idx = Get-Content -Raw (Join-Path $dest 'index.json') | ConvertFrom-Json
        $idx.manifests[0].annotations.'org.opencontainers.image.ref.name' = $long
        $idx | ConvertTo-Json -Depth 10 -Compress | Set-Content -NoNewline (Join-Path $dest 'index.json')
        Get-Table (Get-Image -LiteralPath $dest -Name $long) | Should -Match ([regex]::Escape($long))
    }

    It 'shows every platform of a multi-platform image (the platforms its index lists)' {
        $entry = Get-IndexEntry 'multi:latest'
        $platforms = @((Read-Blob $entry[0].digest).manifests | ForEach-Object { Get-PlatformText $_.platform })
        $platforms.Count | Should -BeGreaterThan 1
        Get-Table (Get-Image -LiteralPath $Layout -Name multi:latest) | Should -Match ([regex]::Escape($platforms -join ','))
    }

    It 'shows the same table for deserialized images as for the live ones' {
        $live = @(Get-Image -LiteralPath $Layout)
        $live.Count | Should -BeGreaterThan 1
        $copies = @($live | ForEach-Object { Copy-ThroughSerializer $_ })
        Get-Table $copies | Should -BeExactly (Get-Table $live)
        (Get-Table $live) | Should -Match 'ImageId'
    }
}

Describe 'Get-Image on a Docker data root (dockerd 20.10)' -Skip:([bool]$DockerSkipReason) {
    BeforeAll {
        . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1"
        $script:droot = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'docker')
        $script:inspect = @(Get-DockerInspect 'overlay2.image-inspect.json')
        $script:imageLs = @(Get-Content (Join-Path $DockerExpected 'overlay2.image-ls.jsonl') | ConvertFrom-Json)
    }

    It 'marks the synthesized digest (docker inspect shows no RepoDigests) and shows the size docker images shows' {
        $inspect.Count | Should -BeGreaterThan 0
        $imageLs.Count | Should -BeGreaterThan 0
        $inspect | ForEach-Object { @($_.RepoDigests).Count | Should -Be 0 }
        $images = @(Get-Image -LiteralPath $droot)
        $images.Count | Should -Be $imageLs.Count
        $images | ForEach-Object { $_.DigestSynthesized | Should -BeTrue }
        $text = Get-Table $images
        foreach ($row in $imageLs) {
            $name = "$($row.Repository):$($row.Tag)"
            $image = @($images | Where-Object Name -eq $name)
            $image.Count | Should -Be 1 -Because $name
            $image[0].ImageId | Should -BeExactly $row.ID
            $line = @($text -split "`n" | Where-Object { $_ -match "\s$([regex]::Escape($name))\s" })
            $line.Count | Should -Be 1 -Because $name
            $line[0] | Should -Match "sha256:[0-9a-f]{12}\*"
            $line[0] | Should -Match "\s$([regex]::Escape($row.Size))\s" -Because "docker images shows SIZE $($row.Size) for $name"
            $line[0] | Should -Match ([regex]::Escape(($row.ID -replace '^sha256:').Substring(0, 12)))
        }
    }

    It 'lists, for each image-layer overlay folder, the containers whose layers stack on it (docker inspect LowerDir)' {
        $containers = @(Get-DockerInspect 'overlay2.container-inspect.json')
        $containers.Count | Should -BeGreaterThan 0
        $want = @{}
        foreach ($c in $containers) {
            foreach ($dir in $c.GraphDriver.Data.LowerDir -split ':' | ForEach-Object { Get-DriverDirId $_ } | Where-Object { $_ -notlike '*-init' }) {
                if (-not $want[$dir]) { $want[$dir] = @() }
                $want[$dir] += $c.Id
            }
        }
        $want.Count | Should -BeGreaterThan 0
        $dirs = @(Get-OverlayDirectory -Path $droot | Where-Object Kind -eq 'ImageLayer')
        $dirs.Count | Should -BeGreaterOrEqual $want.Count
        $text = Get-Table $dirs 300
        foreach ($d in $dirs) {
            $expected = @($want[$d.Id] | Sort-Object)
            @($d.ContainerIds | Sort-Object) | Should -Be $expected -Because $d.Id
            $line = @($text -split "`n" | Where-Object { $_.StartsWith($d.Id.Substring(0, 20)) })
            $line.Count | Should -Be 1
            foreach ($id in $expected) { $line[0] | Should -Match $id.Substring(0, 12) }
        }
    }
}

Describe 'Platform in the rows of a multi-platform image' {
    BeforeAll {
        $entry = Get-IndexEntry 'multi:latest'
        $script:Platforms = @((Read-Blob $entry[0].digest).manifests | ForEach-Object { Get-PlatformText $_.platform })
    }

    It 'Get-ImageLayer shows each layer row with the platform its index lists' {
        $Platforms.Count | Should -BeGreaterThan 1
        $layers = @(Get-ImageLayer -Path $Layout -Name multi:latest)
        $layers.Count | Should -BeGreaterOrEqual $Platforms.Count
        $text = Get-Table $layers
        $text | Should -Match 'Platform'
        foreach ($l in $layers) {
            @($text -split "`n" | Where-Object { $_ -match [regex]::Escape($l.Digest.Substring(0, 19)) }) | Should -Match ([regex]::Escape($l.Platform))
        }
        @($layers.Platform | Sort-Object -Unique) | Should -Be @($Platforms | Sort-Object)
    }

    It 'Get-ImageFileSystem shows the platform of each entry, so the rows of two platforms tell apart' {
        $entries = @(Get-ImageFileSystem -Path $Layout -Name multi:latest -Include /etc/platform)
        $entries.Count | Should -Be $Platforms.Count
        @($entries.Platform | Sort-Object) | Should -Be @($Platforms | Sort-Object)
        $text = Get-Table $entries
        foreach ($p in $Platforms) { $text | Should -Match "$([regex]::Escape($p))\s+/etc/platform" }
    }
}

Describe 'Test-ImageBlob default view' {
    It 'shows the whole Location, the part that tells blobs apart included' {
        $entry = Get-IndexEntry 'base:1.0'
        $layers = @((Read-Blob $entry[0].digest).layers.digest)
        $layers.Count | Should -BeGreaterThan 0
        $checks = @(Get-ImageManifest -Path $Layout -Name base:1.0 | Test-ImageBlob)
        $text = Get-Table $checks 400
        foreach ($d in $layers) {
            $path = Join-Path (Resolve-Path $Layout).Path ('blobs/sha256/' + ($d -replace '^sha256:'))
            $text | Should -Match ([regex]::Escape($path))
        }
    }
}

Describe 'Get-ContainerdContent default view after deserialization' {
    It 'keeps DIGEST, SIZE and AGE as for the live records (ctr content ls lists the same digests and sizes)' {
        $ctr = @(Get-Content (Join-Path $CtrFx 'ctr-content-team-b.txt') | Select-Object -Skip 1 | ForEach-Object { , @($_ -split "`t+") })
        $ctr.Count | Should -BeGreaterThan 0
        $content = @(Get-ContainerdContent -Path $CtrRoot -Namespace team-b)
        $content.Count | Should -Be $ctr.Count
        $live = Get-Table $content 400
        $copy = Get-Table @($content | ForEach-Object { Copy-ThroughSerializer $_ }) 400
        $copy | Should -BeExactly $live
        foreach ($row in $ctr) {
            $line = @($copy -split "`n" | Where-Object { $_.StartsWith($row[0]) })
            $line.Count | Should -Be 1
            $line[0] | Should -Match "^$($row[0])\s+$([regex]::Escape($row[1]))\s+\d+ \w+"
        }
    }
}
