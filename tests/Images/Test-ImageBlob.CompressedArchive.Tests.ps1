# Test-ImageBlob over an archive compressed whole verifies every blob (digest and, with -DiffId, DiffID) in the
# listing pass itself. These cases prove that the one pass still catches damage: an oci-archive is made by tar from a
# damaged copy of the layout fixture and compressed by the command-line tools; the expected digests are sha256sum's
# and `gzip -dc | sha256sum`'s answers about the damaged blob files.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:cases = @(
        @{ Ext = 'gz'; Tool = 'gzip'; Need = Get-RealToolNeed gzip }
        @{ Ext = 'zst'; Tool = 'zstd'; Need = Get-RealToolNeed zstd }
        @{ Ext = 'xz'; Tool = 'xz'; Need = Get-RealToolNeed xz }
        @{ Ext = 'bz2'; Tool = 'bzip2'; Need = Get-RealToolNeed bzip2 }
    )
}

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force

    function New-LayoutCopy([string] $Name) {
        $dst = Join-Path $TestDrive $Name
        Copy-Item -LiteralPath (Get-FixturePath 'oci-layout') -Destination $dst -Recurse
        return $dst
    }
    function Get-BlobPath($Layout, [string] $Digest) { Join-Path $Layout "blobs/sha256/$($Digest.Substring(7))" }
    # Replaces one layer of an image by new bytes named by their digest, rewriting its manifest and index.json (the
    # config, and so its DiffIDs, is left as it was).
    function Set-LayerBytes($Layout, [string] $RefName, [int] $Layer, [string] $File) {
        $d = Get-FileDigestBySum $File
        Copy-Item -LiteralPath $File (Get-BlobPath $Layout $d)
        $indexPath = Join-Path $Layout 'index.json'
        $index = Get-Content -Raw $indexPath | ConvertFrom-Json
        $entry = $index.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq $RefName }
        $manifest = Get-Content -Raw (Get-BlobPath $Layout $entry.digest) | ConvertFrom-Json
        $manifest.layers[$Layer].digest = $d
        $manifest.layers[$Layer].size = (Get-Item -LiteralPath $File).Length
        $mFile = Join-Path $TestDrive 'manifest.json'
        [IO.File]::WriteAllText($mFile, ($manifest | ConvertTo-Json -Depth 20 -Compress))
        $md = Get-FileDigestBySum $mFile
        Copy-Item -LiteralPath $mFile (Get-BlobPath $Layout $md)
        $entry.digest = $md
        $entry.size = (Get-Item -LiteralPath $mFile).Length
        Set-Content -LiteralPath $indexPath -Value ($index | ConvertTo-Json -Depth 20 -Compress) -NoNewline
        return $d
    }
    # tar of the layout (an oci-archive), then compressed whole by the tool
    function New-CompressedArchive($Layout, [string] $Tool, [string] $Ext) {
        $out = "$Layout.tar.$Ext"
        Invoke-Native 'tar -C "$1" -cf - . | "$2" -c > "$3"' @($Layout, $Tool, $out) | Out-Null
        return $out
    }
    $app = Invoke-Skopeo "oci:$(Get-FixturePath 'oci-layout'):app:2.0" -Raw
    $base = Invoke-Skopeo "oci:$(Get-FixturePath 'oci-layout'):base:1.0" -Raw
    $script:appOnlyLayer = @($app.layers.digest | Where-Object { $_ -notin $base.layers.digest })[-1]
    $script:appOnlyIndex = [array]::IndexOf(@($app.layers.digest), $appOnlyLayer)

    # one byte flipped in the middle of a layer blob: its name no longer matches its bytes
    $script:flipped = New-LayoutCopy 'flipped'
    $blob = Get-BlobPath $flipped $appOnlyLayer
    $bytes = [IO.File]::ReadAllBytes($blob)
    $bytes[[int]($bytes.Length / 2)] = $bytes[[int]($bytes.Length / 2)] -bxor 0xff
    [IO.File]::WriteAllBytes($blob, $bytes)
    $script:flippedActual = Get-FileDigestBySum $blob

    # a valid gzip layer of other content in the place of app's own layer: its digest is right, its DiffID is not the config's
    $script:otherContent = New-LayoutCopy 'othercontent'
    $tarFile = Join-Path $TestDrive 'other.tar'
    Invoke-Native 'tar -C "$1" -cf "$2" oci-layout' @($otherContent, $tarFile) | Out-Null
    $script:otherDiffId = Get-FileDigestBySum $tarFile
    Invoke-Native 'gzip -n -c "$1" > "$1.gz"' @($tarFile) | Out-Null
    $script:otherLayer = Set-LayerBytes $otherContent 'app:2.0' $appOnlyIndex "$tarFile.gz"

    # a gzip layer cut in half, named by the digest of what is left: only decompressing it finds the damage
    $script:cutGzip = New-LayoutCopy 'cutgzip'
    $orig = [IO.File]::ReadAllBytes((Get-BlobPath $cutGzip $appOnlyLayer))
    $cutFile = Join-Path $TestDrive 'cut.gz'
    [IO.File]::WriteAllBytes($cutFile, [byte[]]$orig[0..([int]($orig.Length / 2))])
    $script:cutLayer = Set-LayerBytes $cutGzip 'app:2.0' $appOnlyIndex $cutFile

    # a gzip layer whose deflate data is overwritten in the middle, named by the digest of the damaged bytes
    $script:badDeflate = New-LayoutCopy 'baddeflate'
    $bad = [IO.File]::ReadAllBytes((Get-BlobPath $badDeflate $appOnlyLayer))
    for ($i = [int]($bad.Length / 2); $i -lt [int]($bad.Length / 2) + 64; $i++) { $bad[$i] = 0xff }
    $badFile = Join-Path $TestDrive 'bad.gz'
    [IO.File]::WriteAllBytes($badFile, $bad)
    # the real tool finds the damage too
    { Invoke-Native 'gzip -t "$1"' @($badFile) } | Should -Throw
    $script:badLayer = Set-LayerBytes $badDeflate 'app:2.0' $appOnlyIndex $badFile
}

Describe 'Test-ImageBlob over a damaged layout''s archive compressed whole with <Tool>' -ForEach $cases {
    It 'gives DigestMismatch for the flipped layer, with sha256sum''s digest of its bytes, and every other blob Valid' @Need {
        $path = New-CompressedArchive $flipped $Tool $Ext
        foreach ($diffIds in $false, $true) {
            $r = @(Test-ImageBlob -Path $path -DiffId:$diffIds -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
            $r.Count | Should -Be @(Get-ChildItem (Join-Path $flipped 'blobs/sha256') -File).Count
            $bad = @($r | Where-Object { "$($_.Digest)" -eq $appOnlyLayer })
            $bad.Count | Should -Be 1
            "$($bad[0].Status)" | Should -Be 'DigestMismatch'
            "$($bad[0].ActualDigest)" | Should -Be $flippedActual
            @($err | Where-Object { $_.FullyQualifiedErrorId -like 'DigestMismatch*' }).Count | Should -Be 1
            @($r | Where-Object { "$($_.Digest)" -ne $appOnlyLayer -and "$($_.Status)" -ne 'Valid' }) | Should -BeNullOrEmpty
        }
    }

    It 'gives DiffIdMismatch for a valid gzip layer of other content, with gzip -dc | sha256sum''s DiffID' @Need {
        $path = New-CompressedArchive $otherContent $Tool $Ext
        $r = @(Test-ImageBlob -Path $path -DiffId -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        $bad = @($r | Where-Object { "$($_.Digest)" -eq $otherLayer })
        $bad.Count | Should -Be 1
        "$($bad[0].Status)" | Should -Be 'DiffIdMismatch'
        "$($bad[0].ActualDiffId)" | Should -Be $otherDiffId
        "$($bad[0].ActualDigest)" | Should -Be $otherLayer
        @($err | Where-Object { $_.FullyQualifiedErrorId -like 'DiffIdMismatch*' }).Count | Should -Be 1
        # without -DiffId its bytes match its digest
        $plain = @(Test-ImageBlob -Path $path -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Where-Object { "$($_.Digest)" -eq $otherLayer })
        "$($plain[0].Status)" | Should -Be 'Valid'
    }

    It 'finds a gzip layer cut in half (its digest right) not Valid with -DiffId' @Need {
        $path = New-CompressedArchive $cutGzip $Tool $Ext
        $plain = @(Test-ImageBlob -Path $path -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Where-Object { "$($_.Digest)" -eq $cutLayer })
        $plain.Count | Should -Be 1
        "$($plain[0].Status)" | Should -Be 'Valid'
        $r = @(Test-ImageBlob -Path $path -DiffId -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Where-Object { "$($_.Digest)" -eq $cutLayer })
        $r.Count | Should -Be 1
        "$($r[0].Status)" | Should -Not -Be 'Valid'
        @($err | Where-Object { $_.FullyQualifiedErrorId -like 'CompressedStreamTruncated*' -or $_.FullyQualifiedErrorId -like 'DiffIdMismatch*' }) | Should -Not -BeNullOrEmpty
    }

    It 'finds a gzip layer with damaged deflate data (its digest right) Valid without -DiffId and not Valid with it, the other blobs Valid' @Need {
        $path = New-CompressedArchive $badDeflate $Tool $Ext
        $plain = @(Test-ImageBlob -Path $path -ErrorVariable err0 -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        $plain.Count | Should -Be @(Get-ChildItem (Join-Path $badDeflate 'blobs/sha256') -File).Count
        @($plain | Where-Object { "$($_.Status)" -ne 'Valid' }) | Should -BeNullOrEmpty
        $r = @(Test-ImageBlob -Path $path -DiffId -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        $r.Count | Should -Be $plain.Count
        $bad = @($r | Where-Object { "$($_.Digest)" -eq $badLayer })
        $bad.Count | Should -Be 1
        "$($bad[0].Status)" | Should -Not -Be 'Valid'
        @($err | Where-Object { $_.FullyQualifiedErrorId -like 'CompressedStreamTruncated*' -or $_.FullyQualifiedErrorId -like 'DiffIdMismatch*' }) | Should -Not -BeNullOrEmpty
        @($r | Where-Object { "$($_.Digest)" -ne $badLayer -and "$($_.Status)" -ne 'Valid' }) | Should -BeNullOrEmpty
    }
}
