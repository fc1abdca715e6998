BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force

    # A private copy of the OCI layout fixture in $TestDrive.
    function New-LayoutCopy([string] $Name) {
        $dst = Join-Path $TestDrive $Name
        Copy-Item -LiteralPath (Get-FixturePath 'oci-layout') -Destination $dst -Recurse
        return $dst
    }
    function Get-BlobPath($Layout, [string] $Digest) { Join-Path $Layout "blobs/sha256/$($Digest.Substring(7))" }
    # Writes bytes as a blob named by their sha256 and returns the digest.
    function Add-Blob($Layout, [byte[]] $Bytes) {
        $d = 'sha256:' + (Get-Sha256Hex $Bytes)
        [IO.File]::WriteAllBytes((Get-BlobPath $Layout $d), $Bytes)
        return $d
    }
    # Replaces one layer of an image in a layout copy by new (validly named) bytes, rewriting manifest and index.json.
    function Set-LayerBytes($Layout, [string] $RefName, [int] $Layer, [byte[]] $Bytes) {
        $indexPath = Join-Path $Layout 'index.json'
        $index = Get-Content -Raw $indexPath | ConvertFrom-Json
        $entry = $index.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq $RefName }
        $manifest = Get-Content -Raw (Get-BlobPath $Layout $entry.digest) | ConvertFrom-Json
        $manifest.layers[$Layer].digest = Add-Blob $Layout $Bytes
        $manifest.layers[$Layer].size = $Bytes.Length
        $mBytes = [Text.Encoding]::UTF8.GetBytes(($manifest | ConvertTo-Json -Depth 20 -Compress))
        $entry.digest = Add-Blob $Layout $mBytes
        $entry.size = $mBytes.Length
        Set-Content -LiteralPath $indexPath -Value ($index | ConvertTo-Json -Depth 20 -Compress) -NoNewline
        return $manifest.layers[$Layer].digest
    }
    # python3 tarfile: offsets of the members of a tar, as objects (Name, Offset, DataOffset, Size)
    function Get-TarLayout([string] $Archive) {
        $py = 'import sys,tarfile,json; print(json.dumps([dict(Name=m.name,Offset=m.offset,DataOffset=m.offset_data,Size=m.size) for m in tarfile.open(sys.argv[1])]))'
        (Invoke-Native 'python3 -c "$1" "$2"' @($py, $Archive)) | ConvertFrom-Json
    }
    function Save-Prefix([string] $From, [string] $To, [long] $Length) {
        $b = [IO.File]::ReadAllBytes($From)
        [IO.File]::WriteAllBytes($To, $b[0..($Length - 1)])
    }
    $script:base = Invoke-Skopeo "oci:$(Get-FixturePath 'oci-layout'):base:1.0" -Raw
    $script:app = Invoke-Skopeo "oci:$(Get-FixturePath 'oci-layout'):app:2.0" -Raw
    # a layer app:2.0 has and no other image of the layout has
    $script:appOnlyLayer = @($app.layers.digest | Where-Object { $_ -notin $base.layers.digest })[-1]
    $script:allNames = @(Get-FixtureImages -Fixture 'oci-layout' | ForEach-Object Name | Sort-Object)
}

Describe 'Truncated archives' {
    It 'reports ArchiveTruncated for <what> of <f>, without a terminating error' -ForEach @(
        @{ f = 'docker-archive.tar'; what = 'a cut in the middle of a layer entry''s data' }
        @{ f = 'oci-archive.tar'; what = 'a cut in the middle of a layer entry''s data' }
        @{ f = 'docker-archive.tar'; what = 'a cut inside a tar header' }
        @{ f = 'oci-archive.tar'; what = 'a cut inside a tar header' }
    ) {
        $src = Get-FixturePath $f
        $members = @(Get-TarLayout $src)
        if ($what -like '*layer*') {
            $layerEntry = $members | Where-Object { $_.Size -gt 200 } | Select-Object -Last 1
            $cut = $layerEntry.DataOffset + [long]($layerEntry.Size / 2)
        }
        else { $cut = $members[-2].Offset + 100 }
        $dst = Join-Path $TestDrive "cut-$($cut)-$f"
        Save-Prefix $src $dst $cut
        $got = @(Get-Image -Path $dst -ErrorVariable err -ErrorAction SilentlyContinue)
        $r = @(Test-ImageBlob -Path $dst -ErrorVariable err2 -ErrorAction SilentlyContinue)
        @($err) + @($err2) | Where-Object { $_.FullyQualifiedErrorId -like 'ArchiveTruncated*' } | Should -Not -BeNullOrEmpty
    }
}

Describe 'A blob whose bytes do not match its digest (one byte flipped)' {
    BeforeAll {
        $script:lay = New-LayoutCopy 'flipped'
        $blob = Get-BlobPath $lay $appOnlyLayer
        $bytes = [IO.File]::ReadAllBytes($blob)
        $bytes[[int]($bytes.Length / 2)] = $bytes[[int]($bytes.Length / 2)] -bxor 0xff
        [IO.File]::WriteAllBytes($blob, $bytes)
        $script:r = @(Test-ImageBlob -Path $lay -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        $script:err = $err
    }

    It 'gives DigestMismatch for that blob, with the digest of the bytes on disk' {
        $bad = @($r | Where-Object { "$($_.Digest)" -eq $appOnlyLayer })
        $bad.Count | Should -Be 1
        "$($bad[0].Status)" | Should -Be 'DigestMismatch'
        "$($bad[0].ActualDigest)" | Should -Be (Get-FileDigestBySum (Get-BlobPath $lay $appOnlyLayer))
    }

    It 'writes one DigestMismatch error, and every other blob is Valid' {
        @($err | Where-Object { $_.FullyQualifiedErrorId -like 'DigestMismatch*' }).Count | Should -Be 1
        @($err | Where-Object { $_.FullyQualifiedErrorId -notlike 'DigestMismatch*' }) | Should -BeNullOrEmpty
        @($r | Where-Object { "$($_.Digest)" -ne $appOnlyLayer -and "$($_.Status)" -ne 'Valid' }) | Should -BeNullOrEmpty
        $r.Count | Should -Be @(Get-ChildItem (Join-Path $lay 'blobs/sha256') -File).Count
    }

    It 'still lists every image' {
        @(Get-Image -Path $lay | ForEach-Object Name | Sort-Object) | Should -Be $allNames
    }

    It 'gives DiffIdMismatch or DigestMismatch (never Valid) with -DiffId' {
        $x = @(Test-ImageBlob -Path $lay -Name 'app:2.0' -DiffId -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Where-Object { "$($_.Digest)" -eq $appOnlyLayer })
        "$($x[0].Status)" | Should -BeIn @('DigestMismatch', 'DiffIdMismatch', 'Unreadable')
    }
}

Describe 'A blob with extra bytes' {
    It 'gives SizeMismatch with the real size, and a SizeMismatch error' {
        $lay = New-LayoutCopy 'longer'
        $blob = Get-BlobPath $lay $appOnlyLayer
        $len = (Get-Item $blob).Length
        [IO.File]::AppendAllText($blob, 'extra bytes')
        $r = @(Test-ImageBlob -Path $lay -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        $bad = $r | Where-Object { "$($_.Digest)" -eq $appOnlyLayer }
        "$($bad.Status)" | Should -Be 'SizeMismatch'
        $bad.ExpectedSize | Should -Be $len
        $bad.ActualSize | Should -Be (Get-Item $blob).Length
        @($err | Where-Object { $_.FullyQualifiedErrorId -like 'SizeMismatch*' }).Count | Should -Be 1
    }
}

Describe 'A missing blob' {
    BeforeAll {
        $script:lay = New-LayoutCopy 'missing'
        Remove-Item -LiteralPath (Get-BlobPath $lay $appOnlyLayer)
    }

    It 'gives Missing and a BlobNotFound error from Test-ImageBlob; other blobs Valid' {
        $r = @(Test-ImageBlob -Path $lay -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        "$(($r | Where-Object { "$($_.Digest)" -eq $appOnlyLayer }).Status)" | Should -Be 'Missing'
        @($err | Where-Object { $_.FullyQualifiedErrorId -like 'BlobNotFound*' }).Count | Should -Be 1
        @($r | Where-Object { "$($_.Digest)" -ne $appOnlyLayer -and "$($_.Status)" -ne 'Valid' }) | Should -BeNullOrEmpty
    }

    It 'still lists the images and their manifests (the manifest names the layer, it need not be read)' {
        @(Get-Image -Path $lay -ErrorAction SilentlyContinue | ForEach-Object Name | Sort-Object) | Should -Be $allNames
        $l = @(Get-ImageLayer -Path $lay -Name 'app:2.0' -ErrorAction SilentlyContinue)
        @($l | ForEach-Object { "$($_.Digest)" }) | Should -Be @($app.layers.digest)
    }
}

Describe 'Malformed JSON' {
    It 'writes MalformedContent naming index.json for a broken index.json' {
        $lay = New-LayoutCopy 'badindex'
        $text = Get-Content -Raw (Join-Path $lay 'index.json')
        Set-Content -LiteralPath (Join-Path $lay 'index.json') -Value $text.Substring(0, [int]($text.Length / 2)) -NoNewline
        $got = @(Get-Image -Path $lay -ErrorVariable err -ErrorAction SilentlyContinue)
        $got.Count | Should -Be 0
        $err.Count | Should -BeGreaterThan 0
        $err[0].FullyQualifiedErrorId | Should -BeLike 'MalformedContent*'
        "$($err[0])" | Should -BeLike '*index.json*'
    }

    It 'writes MalformedContent for a manifest with wrong-typed fields (<case>), and still lists the other images' -ForEach @(
        @{ case = 'layers is a string'; edit = { param($m) $m.layers = 'not a list' } }
        @{ case = 'size is a string'; edit = { param($m) $m.config.size = 'big' } }
        @{ case = 'config is a number'; edit = { param($m) $m.config = 42 } }
    ) {
        $lay = New-LayoutCopy "wrongtype-$($case -replace ' ', '')"
        $indexPath = Join-Path $lay 'index.json'
        $index = Get-Content -Raw $indexPath | ConvertFrom-Json
        $entry = $index.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq 'base:1.0' }
        $m = Get-Content -Raw (Get-BlobPath $lay $entry.digest) | ConvertFrom-Json
        & $edit $m
        $bytes = [Text.Encoding]::UTF8.GetBytes(($m | ConvertTo-Json -Depth 20 -Compress))
        $entry.digest = Add-Blob $lay $bytes
        $entry.size = $bytes.Length
        Set-Content -LiteralPath $indexPath -Value ($index | ConvertTo-Json -Depth 20 -Compress) -NoNewline
        $got = @(Get-Image -Path $lay -ErrorVariable err -ErrorAction SilentlyContinue)
        @($got.Name | Where-Object { $_ -ne 'base:1.0' } | Sort-Object) | Should -Be @($allNames | Where-Object { $_ -ne 'base:1.0' })
        $m2 = @(Get-ImageManifest -Path $lay -Name 'base:1.0' -ErrorVariable err2 -ErrorAction SilentlyContinue)
        $m2.Count | Should -Be 0
        @(@($err) + @($err2) | Where-Object { $_.FullyQualifiedErrorId -like 'MalformedContent*' }) | Should -Not -BeNullOrEmpty
    }
}

Describe 'Digests that try to leave the store' {
    It 'rejects <digest> in index.json with InvalidDigest and reads no file outside' -ForEach @(
        @{ digest = 'sha256:../../outside' }, @{ digest = 'sha256:..%2F..%2Foutside' }, @{ digest = 'sha256:/etc/passwd' }
    ) {
        $lay = New-LayoutCopy "escape$([Math]::Abs($digest.GetHashCode()))"
        # a valid manifest placed where the path would lead: if the module read it, an image named evil:1.0 would come out
        $sentinel = Get-Content -Raw (Get-BlobPath (Get-FixturePath 'oci-layout') ((Get-FixtureImages -Fixture 'oci-layout' | Where-Object Name -eq 'base:1.0').RootDigest))
        Set-Content -LiteralPath (Join-Path $lay 'outside') -Value $sentinel -NoNewline
        Set-Content -LiteralPath (Join-Path $TestDrive 'outside') -Value $sentinel -NoNewline
        $indexPath = Join-Path $lay 'index.json'
        $index = Get-Content -Raw $indexPath | ConvertFrom-Json
        $index.manifests += [pscustomobject]@{ mediaType = 'application/vnd.oci.image.manifest.v1+json'; digest = $digest; size = $sentinel.Length
                                               annotations = @{ 'org.opencontainers.image.ref.name' = 'evil:1.0' } }
        Set-Content -LiteralPath $indexPath -Value ($index | ConvertTo-Json -Depth 20 -Compress) -NoNewline
        $all = @(Get-Image -Path $lay -ErrorVariable err -ErrorAction SilentlyContinue -WarningVariable warn -WarningAction SilentlyContinue)
        $m = @(Get-ImageManifest -Path $lay -ErrorVariable err2 -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        # evil:1.0 never has a manifest read from outside
        @($m | Where-Object ImageName -eq 'evil:1.0') | Should -BeNullOrEmpty
        # and the bad digest is reported (as an error or a store warning)
        $ids = @(@($err) + @($err2) | ForEach-Object FullyQualifiedErrorId)
        @($ids | Where-Object { $_ -like 'InvalidDigest*' }).Count | Should -BeGreaterThan 0
        @($ids | Where-Object { $_ -like 'MalformedContent*' }).Count | Should -Be 0
    }

    It 'still lists the other images when one index.json descriptor has the digest <digest>' -ForEach @(
        @{ digest = 'sha256:../../outside' }, @{ digest = 'sha256:/etc/passwd' }
    ) {
        # DESIGN.md: one bad item is a non-terminating error and the rest goes on (image-spec: unknown entries must not fail the layout)
        $lay = New-LayoutCopy "escape-rest$([Math]::Abs($digest.GetHashCode()))"
        $indexPath = Join-Path $lay 'index.json'
        $index = Get-Content -Raw $indexPath | ConvertFrom-Json
        $index.manifests += [pscustomobject]@{ mediaType = 'application/vnd.oci.image.manifest.v1+json'; digest = $digest; size = 654
                                               annotations = @{ 'org.opencontainers.image.ref.name' = 'evil:1.0' } }
        Set-Content -LiteralPath $indexPath -Value ($index | ConvertTo-Json -Depth 20 -Compress) -NoNewline
        $all = @(Get-Image -Path $lay -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        @($all | Where-Object Name -ne 'evil:1.0' | ForEach-Object Name | Sort-Object) | Should -Be $allNames
    }

    It 'rejects a layer digest sha256:../../x inside a manifest, without reading outside' {
        $lay = New-LayoutCopy 'escapelayer'
        Set-Content -LiteralPath (Join-Path $TestDrive 'x') -Value 'outside' -NoNewline
        $indexPath = Join-Path $lay 'index.json'
        $index = Get-Content -Raw $indexPath | ConvertFrom-Json
        $entry = $index.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq 'base:1.0' }
        $m = Get-Content -Raw (Get-BlobPath $lay $entry.digest) | ConvertFrom-Json
        $m.layers[0].digest = 'sha256:../../x'
        $bytes = [Text.Encoding]::UTF8.GetBytes(($m | ConvertTo-Json -Depth 20 -Compress))
        $entry.digest = Add-Blob $lay $bytes
        $entry.size = $bytes.Length
        Set-Content -LiteralPath $indexPath -Value ($index | ConvertTo-Json -Depth 20 -Compress) -NoNewline
        $r = @(Test-ImageBlob -Path $lay -Name 'base:1.0' -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        @($r | Where-Object { "$($_.Status)" -eq 'Valid' -and "$($_.Digest)" -like '*..*' }) | Should -BeNullOrEmpty
        @($err | Where-Object { $_.FullyQualifiedErrorId -like 'InvalidDigest*' }).Count | Should -BeGreaterThan 0
        @($err | Where-Object { $_.FullyQualifiedErrorId -like 'MalformedContent*' }).Count | Should -Be 0
        @(Get-Image -Path $lay -ErrorAction SilentlyContinue | Where-Object Name -ne 'base:1.0' | ForEach-Object Name | Sort-Object) | Should -Be @($allNames | Where-Object { $_ -ne 'base:1.0' })
    }
}

Describe 'An archive entry whose path has ..' {
    BeforeAll {
        $script:evil = Join-Path $TestDrive 'dotdot.tar'
        $py = @'
import sys, tarfile, io
src, dst = sys.argv[1], sys.argv[2]
with tarfile.open(src) as s, tarfile.open(dst, 'w', format=tarfile.PAX_FORMAT) as d:
    for name in ['../evil.json', 'blobs/../../evil2.json']:
        data = b'{"schemaVersion":2,"manifests":[]}'
        ti = tarfile.TarInfo(name); ti.size = len(data); d.addfile(ti, io.BytesIO(data))
    for m in s.getmembers():
        d.addfile(m, s.extractfile(m) if m.isfile() else None)
'@
        Invoke-Native 'python3 -c "$1" "$2" "$3"' @($py, (Get-FixturePath 'oci-archive.tar'), $evil) | Out-Null
    }

    It 'ignores the entry with an UnsafeEntryPath error naming it, and still reads the rest' {
        $got = @(Get-Image -Path $evil -ErrorVariable err -ErrorAction SilentlyContinue)
        @($got.Name) | Should -Be @(Get-FixtureImages -Fixture 'oci-archive.tar' | ForEach-Object Name)
        $unsafe = @($err | Where-Object FullyQualifiedErrorId -like 'UnsafeEntryPath*')
        @($unsafe | Where-Object { "$_" -like '*../evil.json*' }) | Should -Not -BeNullOrEmpty
        @($unsafe | Where-Object { "$_" -like '*blobs/../../evil2.json*' }) | Should -Not -BeNullOrEmpty
        @($err | Where-Object FullyQualifiedErrorId -notlike 'UnsafeEntryPath*') | Should -BeNullOrEmpty
    }

    It 'still verifies every blob Valid' {
        $r = @(Test-ImageBlob -Path $evil -DiffId -ErrorAction SilentlyContinue)
        $r.Count | Should -BeGreaterThan 0
        @($r | Where-Object { "$($_.Status)" -ne 'Valid' }) | Should -BeNullOrEmpty
    }

    It 'writes nothing beside the archive or above it' {
        Test-Path (Join-Path (Split-Path $TestDrive) 'evil.json') | Should -BeFalse
        Test-Path (Join-Path $TestDrive 'evil.json') | Should -BeFalse
    }
}

Describe 'A truncated gzip layer whose digest is right' {
    It 'is not Valid with -DiffId: CompressedStreamTruncated or DigestMismatch' {
        $lay = New-LayoutCopy 'cutgzip'
        $orig = [IO.File]::ReadAllBytes((Get-BlobPath $lay $appOnlyLayer))
        $cutBytes = [byte[]]$orig[0..([int]($orig.Length / 2))]
        $newDigest = Set-LayerBytes $lay 'app:2.0' ($app.layers.digest.IndexOf($appOnlyLayer)) $cutBytes
        # the stored digest matches the bytes: only decompressing finds the problem
        $plain = @(Test-ImageBlob -Path $lay -Name 'app:2.0' -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Where-Object { "$($_.Digest)" -eq $newDigest })
        "$($plain[0].Status)" | Should -Be 'Valid'
        $r = @(Test-ImageBlob -Path $lay -Name 'app:2.0' -DiffId -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Where-Object { "$($_.Digest)" -eq $newDigest })
        "$($r[0].Status)" | Should -Not -Be 'Valid'
        @($err | Where-Object { $_.FullyQualifiedErrorId -like 'CompressedStreamTruncated*' -or $_.FullyQualifiedErrorId -like 'DigestMismatch*' -or $_.FullyQualifiedErrorId -like 'DiffIdMismatch*' }) | Should -Not -BeNullOrEmpty
    }
}

Describe 'Paths that are not image stores' {
    It 'writes StoreNotRecognized saying what was looked for, for a folder with other files' {
        $d = New-Item -ItemType Directory (Join-Path $TestDrive 'plain')
        Set-Content (Join-Path $d 'readme.txt') 'hello'
        $got = @(Get-Image -Path $d -ErrorVariable err -ErrorAction SilentlyContinue)
        $got.Count | Should -Be 0
        $err[0].FullyQualifiedErrorId | Should -BeLike 'StoreNotRecognized*'
        "$($err[0])" | Should -BeLike '*oci-layout*'
        "$($err[0])" | Should -BeLike '*index.json*'
        "$($err[0])" | Should -BeLike '*manifest.json*'
    }

    It 'writes StoreNotRecognized for a file that is not a tar' {
        $f = Join-Path $TestDrive 'notes.txt'
        Set-Content $f ('x' * 2000)
        Get-Image -Path $f -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'StoreNotRecognized*'
    }

    It 'writes StoreNotRecognized for a tar with neither index.json nor manifest.json' {
        $f = Join-Path $TestDrive 'other.tar'
        Invoke-Native 'tar -cf "$1" -C "$2" version' @($f, (Get-FixturePath 'dir-base')) | Out-Null
        Get-Image -Path $f -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'StoreNotRecognized*'
    }

    It 'writes FileNotFound for a missing path (-Path and -LiteralPath), and goes on with the next one' {
        $missing = Join-Path $TestDrive 'no-such-store'
        $got = @(Get-Image -Path $missing, (Get-FixturePath 'oci-archive.tar') -ErrorVariable err -ErrorAction SilentlyContinue)
        $got.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FileNotFound*'
        Get-Image -LiteralPath $missing -ErrorVariable err2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err2[0].FullyQualifiedErrorId | Should -BeLike 'FileNotFound*'
    }

    It 'writes StoreNotRecognized saying gzip for a gzip-compressed file that holds no tar' {
        # a gzip-compressed tar is read in place (tests/Images/Get-Image.CompressedArchive.Tests.ps1)
        $gz = Join-Path $TestDrive 'oci-archive.tar.gz'
        Invoke-Native 'head -c 4000 "$1" | tail -c 3000 | gzip -c > "$2"' @((Get-FixturePath 'oci-archive.tar'), $gz) | Out-Null
        Get-Image -Path $gz -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'StoreNotRecognized*'
        "$($err[0])" | Should -BeLike '*gzip*'
    }
}

Describe 'Reading never writes into a store' {
    It 'leaves every fixture byte-for-byte and time-for-time unchanged after a full pipeline run' {
        $root = Get-FixturePath
        $before = Get-TreeFingerprint $root
        foreach ($f in Get-FixtureList) {
            $p = Get-FixturePath $f
            Get-Image -Path $p | Get-ImageManifest | Get-ImageLayer | Test-ImageBlob -DiffId | Out-Null
            Get-Image -Path $p | Get-ImageConfig | Out-Null
            Get-Image -Path $p | Get-ImageIndex | Out-Null
            Test-ImageBlob -Path $p -DiffId | Out-Null
        }
        Get-ContentDigest -Path (Join-Path $root '*.tar') -Uncompressed | Out-Null
        Get-TreeFingerprint $root | Should -Be $before
    }
}
