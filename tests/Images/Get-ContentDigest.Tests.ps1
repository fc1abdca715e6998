BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:layout = Get-FixturePath 'oci-layout'
    $script:index = (Get-Content -Raw (Join-Path $layout 'index.json')) | ConvertFrom-Json
    # a gzip layer and the zstd layer of the layout, named by the manifests skopeo reads
    $script:gzipBlob = Join-Path $layout "blobs/sha256/$((Invoke-Skopeo "oci:${layout}:base:1.0" -Raw).layers[0].digest.Substring(7))"
    $script:zstdBlob = Join-Path $layout "blobs/sha256/$(((Invoke-Skopeo "oci:${layout}:zstd:1.0" -Raw).layers | Where-Object mediaType -like '*zstd').digest.Substring(7))"
    $script:plainFile = Join-Path $layout 'index.json'
}

Describe 'Get-ContentDigest compared with coreutils' {
    It 'gives sha256sum''s digest and the file size for <_>' -ForEach @('gzipBlob', 'zstdBlob', 'plainFile') {
        $f = Get-Variable -Name $_ -ValueOnly
        $r = Get-ContentDigest -Path $f
        "$($r.Digest)" | Should -Be (Get-FileDigestBySum $f)
        $r.Size | Should -Be (Get-Item -LiteralPath $f).Length
        $r.Algorithm | Should -Be 'sha256'
        $r.Path | Should -Be (Resolve-Path -LiteralPath $f).Path
    }

    It 'gives sha512sum''s digest with -Algorithm sha512' {
        "$((Get-ContentDigest -Path $gzipBlob -Algorithm sha512).Digest)" | Should -Be (Get-FileDigestBySum $gzipBlob -Algorithm sha512)
    }

    It 'gives gzip -dc | sha256sum (the DiffID) with -Uncompressed on a gzip layer' {
        $r = Get-ContentDigest -Path $gzipBlob -Uncompressed
        "$($r.Digest)" | Should -Be (Get-FileDigestBySum $gzipBlob -Decompress gzip)
        "$($r.Compression)" | Should -Be 'Gzip'
        $r.Size | Should -Be ([long](Invoke-Native 'gzip -dc < "$1" | wc -c' @($gzipBlob)).Trim())
    }

    It 'gives zstd -dc | sha256sum with -Uncompressed on a zstd layer' {
        $r = Get-ContentDigest -Path $zstdBlob -Uncompressed
        "$($r.Digest)" | Should -Be (Get-FileDigestBySum $zstdBlob -Decompress zstd)
        "$($r.Compression)" | Should -Be 'Zstd'
    }

    It 'gives the digest of the bytes themselves with -Uncompressed on a plain file' {
        $r = Get-ContentDigest -Path $plainFile -Uncompressed
        "$($r.Digest)" | Should -Be (Get-FileDigestBySum $plainFile)
        "$($r.Compression)" | Should -Be 'None'
    }

    It 'gives the DiffID recorded in the config for every gzip layer of base:1.0' {
        $cfg = Invoke-Skopeo "oci:${layout}:base:1.0" -Config
        $raw = Invoke-Skopeo "oci:${layout}:base:1.0" -Raw
        $got = foreach ($l in $raw.layers) { "$((Get-ContentDigest -LiteralPath (Join-Path $layout "blobs/sha256/$($l.digest.Substring(7))") -Uncompressed).Digest)" }
        @($got) | Should -Be @($cfg.rootfs.diff_ids)
    }
}

Describe 'Get-ContentDigest paths' {
    It 'expands wildcards in -Path: one result per blob file' {
        $r = @(Get-ContentDigest -Path (Join-Path $layout 'blobs/sha256/*'))
        $files = @(Get-ChildItem (Join-Path $layout 'blobs/sha256') -File)
        $r.Count | Should -Be $files.Count
        # a content-addressed store: every file's digest is its name
        foreach ($x in $r) { "$($x.Digest)" | Should -Be ('sha256:' + [IO.Path]::GetFileName($x.Path)) }
    }

    It 'takes files from Get-ChildItem in the pipeline' {
        $r = @(Get-ChildItem (Join-Path $layout 'blobs/sha256') -File | Select-Object -First 3 | Get-ContentDigest)
        $r.Count | Should -Be 3
        foreach ($x in $r) { "$($x.Digest)" | Should -Be (Get-FileDigestBySum $x.Path) }
    }

    It 'reads a file whose name has wildcard characters with -LiteralPath' {
        $f = Join-Path $TestDrive 'odd[1].bin'
        Copy-Item -LiteralPath $gzipBlob -Destination $f
        "$((Get-ContentDigest -LiteralPath $f).Digest)" | Should -Be (Get-FileDigestBySum $gzipBlob)
    }

    It 'writes FileNotFound for a missing file and a folder, and goes on with the next path' {
        $r = @(Get-ContentDigest -LiteralPath (Join-Path $TestDrive 'nope.bin'), $layout, $plainFile -ErrorVariable err -ErrorAction SilentlyContinue)
        $r.Count | Should -Be 1
        "$($r[0].Digest)" | Should -Be (Get-FileDigestBySum $plainFile)
        $err.Count | Should -Be 2
        foreach ($e in $err) { $e.FullyQualifiedErrorId | Should -BeLike 'FileNotFound*' }
    }

    It 'reads every member of a multi-member gzip file (as eStargz layers are) like gzip -dc does' {
        $multi = Join-Path $TestDrive 'multi.gz'
        # two members made by gzip itself from the two halves of a real layer, concatenated
        Invoke-Native 'p=$(mktemp); gzip -dc < "$1" > "$p"; n=$(( $(wc -c < "$p") / 2 )); { head -c "$n" "$p" | gzip -n; tail -c +"$((n + 1))" "$p" | gzip -n; } > "$2"; rm -f "$p"' @($gzipBlob, $multi) | Out-Null
        $r = Get-ContentDigest -LiteralPath $multi -Uncompressed
        "$($r.Digest)" | Should -Be (Get-FileDigestBySum $multi -Decompress gzip)
        "$($r.Digest)" | Should -Be (Get-FileDigestBySum $gzipBlob -Decompress gzip)
        $r.Size | Should -Be ([long](Invoke-Native 'gzip -dc < "$1" | wc -c' @($multi)).Trim())
    }

    It 'writes CompressedStreamTruncated for a multi-member gzip file cut in its last member' {
        $multi = Join-Path $TestDrive 'multi-cut.gz'
        Invoke-Native 'p=$(mktemp); gzip -dc < "$1" > "$p"; n=$(( $(wc -c < "$p") / 2 )); { head -c "$n" "$p" | gzip -n; tail -c +"$((n + 1))" "$p" | gzip -n | head -c -12; } > "$2"; rm -f "$p"' @($gzipBlob, $multi) | Out-Null
        { & gzip -t $multi 2>$null; if ($LASTEXITCODE) { throw 'gzip -t failed' } } | Should -Throw
        $r = @(Get-ContentDigest -LiteralPath $multi -Uncompressed -ErrorVariable err -ErrorAction SilentlyContinue)
        $r.Count | Should -Be 0
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CompressedStreamTruncated*'
    }

    It 'writes CompressedStreamTruncated (or a decompression error) for a cut gzip file with -Uncompressed' {
        $bytes = [IO.File]::ReadAllBytes($gzipBlob)
        $f = Join-Path $TestDrive 'cut.gz'
        [IO.File]::WriteAllBytes($f, $bytes[0..([int]($bytes.Length / 2))])
        $r = @(Get-ContentDigest -LiteralPath $f -Uncompressed -ErrorVariable err -ErrorAction SilentlyContinue)
        $r.Count | Should -Be 0
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CompressedStreamTruncated*'
    }
}
