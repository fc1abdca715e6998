BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    . "$PSScriptRoot/../Fixtures/layers/Helpers.ps1"
    $script:IsRoot = (& id -u) -eq '0'
    # Columns of list-rootfs.py compared: all but the hard-link group name (compared separately) and uid/gid without root.
    function Format-Row($r) {
        $owner = if ($script:IsRoot) { "$($r.uid):$($r.gid)" } else { '' }
        "$($r.path)|$($r.type)|$($r.mode)|$owner|$($r.size)|$($r.link)|$($r.digest)|$($r.xattrs)|$($r.mtime)|$([bool]$r.hardlink)"
    }
}

Describe 'Expand-Image' {
    AfterAll {
        # Unpacked trees hold fifos, devices and 0700 folders of other owners: remove them with rm, one folder at a time.
        Get-ChildItem -Force $TestDrive | ForEach-Object { & rm -rf -- $_.FullName }
    }

    It 'unpacks <Tag> exactly as umoci unpack does' -ForEach @(
        @{ Layout = 'data'; Tag = 'base:1.0'; Name = 'base_1.0' }
        @{ Layout = 'data'; Tag = 'app:2.0'; Name = 'app_2.0' }
        @{ Layout = 'layers'; Tag = 'edge'; Name = 'edge_1.0' }
        @{ Layout = 'layers'; Tag = 'broken'; Name = 'broken_1.0' }
        # whiteouts and an opaque marker beside files their own layer adds: only lower layers' files are hidden
        @{ Layout = 'layers'; Tag = 'same-layer'; Name = 'same-layer_1' }
    ) {
        $store = if ($Layout -eq 'data') { $DataLayout } else { $LayersLayout }
        $dest = Join-Path $TestDrive $Name
        $result = Expand-Image -Path $store -Name $Tag -DestinationPath $dest -WarningAction SilentlyContinue -ErrorAction Stop
        $result.Path | Should -Be $dest
        $want = (Get-UmociListing $Name).Values | ForEach-Object { Format-Row $_ }
        $got = (Get-RootfsListing $dest).Values | ForEach-Object { Format-Row $_ }
        if (-not $IsRoot) { $want = $want | Where-Object { $_ -notmatch '\|CharDevice\|' } }
        $got | Should -Be $want
    }

    It 'refuses the hostile entry of <Tag>, names it, and leaves the parent untouched' -ForEach @(
        @{ Tag = 'hostile-dotdot'; Entry = '../../etc/x' }
        @{ Tag = 'hostile-absolute'; Entry = '/abs' }
        @{ Tag = 'hostile-symlink'; Entry = 'evil/x' }
        @{ Tag = 'hostile-symlink-relative'; Entry = 'up/y' }
        @{ Tag = 'hostile-hardlink'; Entry = 'passwd' }
        @{ Tag = 'hostile-hardlink-dotdot'; Entry = 'shadow' }
    ) {
        $parent = Join-Path $TestDrive "h-$Tag/a/b"
        New-Item -ItemType Directory $parent | Out-Null
        $dest = Join-Path $parent 'root'
        $result = Expand-Image -Path $LayersLayout -Name $Tag -DestinationPath $dest -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'UnsafeEntryPath*'
        "$($err[0])" | Should -BeLike "*'$Entry'*"
        $result.Skipped | Should -Be 1
        Get-Content (Join-Path $dest 'ok.txt') | Should -Be 'harmless'
        @(Get-ChildItem -Force -Recurse (Join-Path $TestDrive "h-$Tag")).FullName | Where-Object { -not $_.StartsWith($dest) } | Should -Be @((Join-Path $TestDrive "h-$Tag/a"), $parent)
        Test-Path /abs, /x, /etc/x, /y | Should -Be @($false, $false, $false, $false)
    }

    It 'leaves nothing behind when a layer is truncated' {
        $dest = Join-Path $TestDrive 'trunc'
        $null = Expand-Image -Path $LayersLayout -Name truncated -DestinationPath $dest -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ArchiveTruncated*'
        Test-Path $dest | Should -BeFalse
        @(Get-ChildItem -Force $TestDrive -Filter '.trunc.*').Count | Should -Be 0
    }

    It 'needs -Force for a folder that is not empty, and -WhatIf writes nothing' {
        $dest = Join-Path $TestDrive 'busy'
        New-Item -ItemType Directory $dest | Out-Null
        Set-Content (Join-Path $dest 'mine.txt') 'keep'
        $null = Expand-Image -Path $DataLayout -Name base:1.0 -DestinationPath $dest -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DestinationNotEmpty*'
        Invoke-WithoutHost -ArgumentList $DataLayout, $dest { param($l, $d) Expand-Image -Path $l -Name base:1.0 -DestinationPath $d -Force -WhatIf } | Should -BeNullOrEmpty
        @(Get-ChildItem $dest).Name | Should -Be 'mine.txt'
        $r = Expand-Image -Path $DataLayout -Name base:1.0 -DestinationPath $dest -Force
        $r.Files | Should -BeGreaterThan 5
        Get-Content (Join-Path $dest 'mine.txt') | Should -Be 'keep'
        Test-Path (Join-Path $dest 'usr/bin/hello') | Should -BeTrue
    }

    It 'unpacks a zstd layer' {
        $dest = Join-Path $TestDrive 'zstd'
        Get-Image $DataLayout zstd:1.0 | Expand-Image -DestinationPath $dest | Out-Null
        $digest = (Get-FixtureManifest $DataLayout 'zstd:1.0').layers[3].digest
        $want = & tar -xOf (Get-ZstdOutput "$DataLayout/blobs/sha256/$($digest.Substring(7))") etc/zstd.txt
        Get-Content (Join-Path $dest 'etc/zstd.txt') | Should -Be $want
    }

    It 'asks for -Platform when an image has several' {
        $null = Expand-Image -Path $DataLayout -Name multi:latest -DestinationPath (Join-Path $TestDrive 'multi') -ErrorVariable err -ErrorAction SilentlyContinue
        "$($err[0])" | Should -BeLike '*-Platform*'
        $r = Expand-Image -Path $DataLayout -Name multi:latest -Platform linux/arm64 -DestinationPath (Join-Path $TestDrive 'multi')
        $r.Platform | Should -BeLike 'linux/arm64*'
    }
}
