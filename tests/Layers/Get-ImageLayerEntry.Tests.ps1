BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    . "$PSScriptRoot/../Fixtures/layers/Helpers.ps1"
}

Describe 'Get-ImageLayerEntry' {
    Context 'compared with python tarfile, layer by layer' {
        It 'lists <Tag> exactly as python tarfile reads its layers' -ForEach @(
            @{ Tag = 'base:1.0' }, @{ Tag = 'app:2.0' }, @{ Tag = 'zstd:1.0' }
        ) {
            $manifest = Get-FixtureManifest $DataLayout $Tag
            $entries = @(Get-ImageLayerEntry -Path $DataLayout -Name $Tag -ErrorAction Stop)
            for ($i = 0; $i -lt $manifest.layers.Count; $i++) {
                $expected = @(Get-PythonTarListing $DataLayout $manifest.layers[$i].digest)
                $actual = @($entries | Where-Object LayerIndex -eq $i)
                $want = foreach ($e in $expected) {
                    $name = if ($e.name -eq '.') { '/' } else { '/' + $e.name }
                    $link = if ($e.type -in 'Symlink', 'Hardlink') { $e.linkname } else { '' }
                    $x = ($e.xattrs.PSObject.Properties | ForEach-Object { "$($_.Name)=$($_.Value)" }) -join ';'
                    "$name|$($e.type)|$($e.size)|$($e.mode)|$($e.uid):$($e.gid)|$($e.mtime)|$link|$x|$($manifest.layers[$i].digest)"
                }
                $got = foreach ($a in $actual) {
                    $x = ($a.Xattrs.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join ';'
                    "$($a.Path)|$($a.Type)|$($a.Size)|$($a.ModeValue)|$($a.Uid):$($a.Gid)|$(([DateTimeOffset]$a.ModifiedAt).ToUnixTimeSeconds())|$($a.LinkTarget)|$x|$($a.LayerDigest)"
                }
                $got | Should -Be $want -Because "layer $i"
            }
        }
    }

    It 'marks whiteouts and the opaque marker of app:2.0' {
        $w = @(Get-ImageLayerEntry -Path $DataLayout -Name app:2.0 | Where-Object IsWhiteout)
        ($w | ForEach-Object { "$($_.LayerIndex) $($_.Path) $($_.IsOpaque) $($_.WhiteoutOf)" }) | Should -Be @(
            '3 /etc/.wh.delete-me.conf False /etc/delete-me.conf'
            '3 /opt/.wh.remove-me False /opt/remove-me'
            '4 /data/.wh..wh..opq True /data')
    }

    It 'gives modes as ls prints them and xattrs from PAX records' {
        $e = Get-ImageLayerEntry -Path $DataLayout -Name base:1.0 | Where-Object Path -in '/usr/bin/hello', '/home/user', '/etc/xattr.conf', '/usr/bin/hi'
        ($e | Where-Object Path -eq '/usr/bin/hello').Mode | Should -Be '-rwxr-xr-x'
        ($e | Where-Object Path -eq '/home/user').Mode | Should -Be 'drwx------'
        ($e | Where-Object Path -eq '/usr/bin/hi').Mode | Should -BeLike 'l*'
        ($e | Where-Object Path -eq '/etc/xattr.conf').Xattrs['user.imagetools'] | Should -Be 'fixture-value'
    }

    It 'takes layers from Get-ImageLayer and -LayerIndex' {
        $fromPipe = @(Get-ImageLayer -Path $DataLayout -Name base:1.0 | Select-Object -Index 1 | Get-ImageLayerEntry)
        $fromIndex = @(Get-ImageLayerEntry -Path $DataLayout -Name base:1.0 -LayerIndex 1)
        $fromPipe.Count | Should -BeGreaterThan 5
        $fromPipe.Path | Should -Be $fromIndex.Path
        $fromPipe.Path | Should -Contain '/usr/share/doc/日本語.txt'
        $fromPipe.Path | Should -Contain '/usr/share/doc/naïve-café.txt'
    }

    It 'reads umoci insert layers without end-of-archive blocks, with a warning each (as GNU tar lists them)' {
        $entries = @(Get-ImageLayerEntry -Path $LayersLayout -Name broken -WarningVariable w -WarningAction SilentlyContinue -ErrorAction Stop)
        $w.Count | Should -Be 3
        for ($i = 0; $i -lt 3; $i++) {
            $names = Get-Content (Join-Path $Expected "broken_1.0.layer$i.tar-tv.txt") | Where-Object { $_ -notmatch '^(#|tar:)' } | ForEach-Object { '/' + ($_ -split '\s+', 6)[5].TrimEnd('/') }
            @($entries | Where-Object LayerIndex -eq $i).Path | Should -Be $names
        }
    }

    It 'reports a tar cut inside an entry after the entries before it' {
        $entries = @(Get-ImageLayerEntry -Path $LayersLayout -Name truncated -ErrorVariable err -ErrorAction SilentlyContinue)
        $entries[0].Path | Should -Be '/first.txt'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ArchiveTruncated*'
        "$($err[0])" | Should -BeLike "*second.bin*"
    }

    It 'lists unsafe paths as they are, with the reason' {
        $e = @(Get-ImageLayerEntry -Path $LayersLayout -Name hostile-dotdot)
        ($e | Where-Object Path -eq '../../etc/x').UnsafeReason | Should -BeLike "*'..'*"
    }

    It 'verifies the layer digest before it lists any entry of the layer' {
        $layout = Join-Path $TestDrive 'layout'
        Copy-Item -Recurse $DataLayout $layout
        $digest = (Get-FixtureManifest $layout 'app:2.0').layers[3].digest
        $blob = Join-Path $layout ("blobs/sha256/" + $digest.Substring(7))
        # Same size, valid gzip member still (the last byte is the ISIZE high byte, 0 for small layers): change it.
        $bytes = [System.IO.File]::ReadAllBytes($blob); $bytes[-1] = 1; [System.IO.File]::WriteAllBytes($blob, $bytes)
        (Get-FileDigestBySum $blob) | Should -Not -Be $digest
        $listed = @(Get-ImageLayerEntry -Path $layout -Name app:2.0 -LayerIndex 3 -ErrorVariable err -ErrorAction SilentlyContinue)
        $listed.Count | Should -Be 0
        ($err | Where-Object { $_.FullyQualifiedErrorId -like 'DigestMismatch*' }).Count | Should -Be 1
    }
}
