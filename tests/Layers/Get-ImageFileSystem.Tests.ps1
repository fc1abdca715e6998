BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    . "$PSScriptRoot/../Fixtures/layers/Helpers.ps1"

    # One line per path in umoci's terms: hard links are files; symlink modes are not compared (Linux shows 0777).
    function ConvertTo-Line($path, $type, $mode, $uid, $gid, $size, $link, $digest) {
        if ($type -eq 'Hardlink') { $type = 'File' }
        if ($type -eq 'Symlink') { $mode = '' }
        "$path|$type|$mode|$uid`:$gid|$size|$link|$digest"
    }
}

Describe 'Get-ImageFileSystem' {
    It 'presents the same filesystem as umoci unpack of <Layout>:<Tag>' -ForEach @(
        @{ Layout = 'data'; Tag = 'base:1.0'; Name = 'base_1.0' }
        @{ Layout = 'data'; Tag = 'app:2.0'; Name = 'app_2.0' }
        @{ Layout = 'layers'; Tag = 'edge'; Name = 'edge_1.0' }
        @{ Layout = 'layers'; Tag = 'broken'; Name = 'broken_1.0' }
        # whiteouts and an opaque marker beside files their own layer adds: only lower layers' files are hidden
        @{ Layout = 'layers'; Tag = 'same-layer'; Name = 'same-layer_1' }
    ) {
        $store = if ($Layout -eq 'data') { $DataLayout } else { $LayersLayout }
        $umoci = Get-UmociListing $Name
        $want = foreach ($p in $umoci.Keys) {
            $r = $umoci[$p]
            ConvertTo-Line $p $r.type $r.mode $r.uid $r.gid $r.size $r.link $r.digest
        }
        $entries = @(Get-ImageFileSystem -Path $store -Name $Tag -ContentDigest -WarningAction SilentlyContinue -ErrorAction Stop)
        $got = foreach ($e in $entries | Sort-Object { [System.Text.Encoding]::UTF8.GetBytes($_.Path) -join ',' }) {
            $size = if ($e.Type -in 'File', 'Hardlink') { $e.Size } else { '' }
            $link = if ($e.Type -eq 'Symlink') { $e.LinkTarget } else { '' }
            ConvertTo-Line $e.Path "$($e.Type)" $e.OctalMode $e.Uid $e.Gid $size $link "$($e.ContentDigest)"
        }
        ($got | Sort-Object) | Should -Be ($want | Sort-Object)
        # Hard link groups: umoci's shared inodes are our File + Hardlink entries pointing at it.
        foreach ($p in $umoci.Keys) {
            if ($umoci[$p].hardlink -and $umoci[$p].hardlink -ne $p.Substring(1)) {
                $e = $entries | Where-Object Path -eq $p
                $other = $entries | Where-Object Path -eq ('/' + $umoci[$p].hardlink)
                @($e.Type, $other.Type) | Should -Contain 'Hardlink'
                @($e.LinkTarget, $other.LinkTarget) | Should -Contain $(if ($e.Type -eq 'Hardlink') { $other.Path } else { $e.Path })
            }
        }
    }

    It 'says which layer each path came from' {
        $fs = Get-Image $DataLayout app:2.0 | Get-ImageFileSystem
        ($fs | Where-Object Path -eq '/etc/os-release').LayerIndex | Should -Be 2
        ($fs | Where-Object Path -eq '/data/new.txt').LayerIndex | Should -Be 4
        ($fs | Where-Object Path -eq '/etc/hostname').LayerIndex | Should -Be 0
        $fs.Path | Should -Not -Contain '/data/old1.txt'
        $fs.Path | Should -Not -Contain '/opt/remove-me/a.txt'
        ($fs | Where-Object Path -like '*.wh.*') | Should -BeNullOrEmpty
    }

    It 'selects paths with -Include patterns, component by component' {
        $umoci = Get-UmociListing 'app_2.0'
        $want = @($umoci.Keys | Where-Object { $_ -match '^/etc/[^/]*\.conf$' })
        $got = @(Get-Image $DataLayout app:2.0 | Get-ImageFileSystem -Include /etc/*.conf).Path
        $got | Should -Be $want
        @(Get-Image $DataLayout base:1.0 | Get-ImageFileSystem -Include '/usr/**/*.txt').Path | Should -Be @($umoci.Keys | Where-Object { $_ -match '^/usr/.*\.txt$' } | Sort-Object)
    }

    It 'reads a zstd layer (the content matches what tar extracts)' {
        $e = Get-ImageFileSystem -Path $DataLayout -Name zstd:1.0 -Include /etc/zstd.txt -ContentDigest
        $digest = (Get-FixtureManifest $DataLayout 'zstd:1.0').layers[3].digest
        $sha = (& bash -c "tar -xOf '$(Get-ZstdOutput "$DataLayout/blobs/sha256/$($digest.Substring(7))")' etc/zstd.txt | sha256sum").Split(' ')[0]
        "$($e.ContentDigest)" | Should -Be "sha256:$sha"
        $e.LayerIndex | Should -Be 3
    }

    It 'leaves out and reports entries written through a symlink that leaves the root' {
        $fs = @(Get-ImageFileSystem -Path $LayersLayout -Name hostile-symlink -ErrorVariable err -ErrorAction SilentlyContinue)
        $fs.Path | Should -Be @('/evil', '/ok.txt')
        $err[0].FullyQualifiedErrorId | Should -BeLike 'UnsafeEntryPath*'
        "$($err[0])" | Should -BeLike "*'evil/x'*"
    }

    It 'applies a relative symlink inside the root as an unpacker writing through it would' {
        # edge's /links/one -> ../a/f is never written through; check resolution with a made-up pipeline instead:
        $fs = @(Get-ImageFileSystem -Path $LayersLayout -Name edge -Include '/links/*' -WarningVariable warn -WarningAction SilentlyContinue)
        ($fs | ForEach-Object { "$($_.Path)->$($_.LinkTarget)" }) | Should -Be @('/links/one->../a/f', '/links/two->one')
        # edge's layers were written by umoci 0.4.7 'insert', whose tars end without their end-of-archive blocks
        $warn.Count | Should -BeGreaterThan 0
        $warn | ForEach-Object { $_.Message | Should -BeLike '*of edge in*ends without its end-of-archive blocks*' }
    }
}
