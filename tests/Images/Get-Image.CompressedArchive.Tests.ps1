# Archives kept as `docker save | gzip` (and bzip2, xz, zstd): every cmdlet reads them in place as it reads the plain
# tar. The compressed files are made by the real tools (tests/Fixtures/New-CompressedArchives.sh); the expected answers
# are the real tools' answers about the plain tars (names from index.json/manifest.json read by tar, configs recorded
# by skopeo, layer listings by tar).
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    # the compressed fixtures are made by the command-line tools
    $script:needsCompressors = Get-RealToolNeed gzip, bzip2, xz, zstd
    $cases = foreach ($f in 'docker-save-legacy', 'docker-archive', 'oci-archive', 'ctr-export') {
        foreach ($ext in 'gz', 'bz2', 'xz', 'zst') { @{ Fixture = $f; Ext = $ext } }
    }
}

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:Compressed = Join-Path $TestDrive 'compressed'
    if (Test-RealTool gzip, bzip2, xz, zstd) {
        Invoke-Native 'sh "$1" "$2"' @((Join-Path $PSScriptRoot '../Fixtures/New-CompressedArchives.sh'), $Compressed) | Out-Null
    }
}

Describe '<Fixture>.tar.<Ext> read in place' -ForEach $cases @needsCompressors {
    BeforeAll {
        $script:plain = Get-FixturePath "$Fixture.tar"
        $script:path = Join-Path $Compressed "$Fixture.tar.$Ext"
        $script:want = @(Get-FixtureImages -Fixture "$Fixture.tar")
        $script:named = @($want | Where-Object Name)
    }

    It 'lists the images the plain archive holds, with their names and root digests' {
        $want.Count | Should -BeGreaterThan 0
        $got = @(Get-Image -Path $path -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        @($got | Where-Object FullName | ForEach-Object FullName | Sort-Object -Unique) | Should -Be @($named | ForEach-Object FullName | Sort-Object -Unique)
        foreach ($w in @($want | Where-Object RootDigest)) {
            @($got | Where-Object { "$($_.Digest)" -eq $w.RootDigest }).Count | Should -BeGreaterThan 0 -Because "$($w.FullName) is $($w.RootDigest) in the plain tar"
        }
    }

    It 'gives each named image the config skopeo recorded for the plain tar' {
        $checked = 0
        foreach ($w in @($named | Where-Object { -not $_.IsIndex })) {
            $want = Get-SkopeoDigest $w.SkopeoRef -Config
            if (-not $want) { continue }
            "$((Get-ImageConfig -Path $path -Name $w.FullName -ErrorAction Stop).ImageId)" | Should -Be $want
            $checked++
        }
        $checked | Should -BeGreaterThan 0
    }

    It 'finds every blob valid with -DiffId in one call, and the DiffIDs are the configs''' {
        $plainResults = @(Test-ImageBlob -Path $plain -DiffId)
        $results = @(Test-ImageBlob -Path $path -DiffId -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        $results.Count | Should -Be $plainResults.Count
        $results.Count | Should -BeGreaterThan 0
        @($results | Where-Object { "$($_.Status)" -ne 'Valid' }) | Should -BeNullOrEmpty
        $diffIds = @(foreach ($w in @($named | Where-Object { -not $_.IsIndex })) { (Invoke-Skopeo $w.SkopeoRef -Config).rootfs.diff_ids }) | Sort-Object -Unique
        $diffIds.Count | Should -BeGreaterThan 0
        foreach ($w in @($named | Where-Object { -not $_.IsIndex })) {
            $layers = @(Get-Image -Path $path -Name $w.FullName | Get-ImageManifest | Get-ImageLayer)
            $layers.Count | Should -Be @((Invoke-Skopeo $w.SkopeoRef -Config).rootfs.diff_ids).Count
        }
    }

    It 'lists the first layer''s entries as tar lists that layer from the plain archive' {
        $w = $named | Where-Object { -not $_.IsIndex } | Select-Object -First 1
        $manifest = Get-Image -Path $plain -Name $w.FullName | Get-ImageManifest
        $member = if (Invoke-Native 'tar -tf "$1" manifest.json >/dev/null 2>&1 && echo yes || echo no' @($plain) | Where-Object { $_ -eq 'yes' }) {
            Invoke-Native 'tar -xOf "$1" manifest.json | jq -r --arg t "$2" ''.[] | select((.RepoTags // []) | map(sub("^docker.io/library/"; "")) | index($t)) | .Layers[0]''' @($plain, $w.Name)
        } else {
            $raw = Invoke-Skopeo $w.SkopeoRef -Raw
            "blobs/sha256/$($raw.layers[0].digest -replace '^sha256:')"
        }
        $member | Should -Not -BeNullOrEmpty
        $layerFile = Join-Path $TestDrive "layer-$Fixture-$Ext"
        # GNU tar recognizes a compressed layer by its content when it reads a file (not a pipe)
        $expected = @((Invoke-Native 'tar -xOf "$1" "$2" > "$3" && tar -tf "$3" | sed -e "s#^\./##" -e "s#/\$##" -e "s#^\.\$##"' @($plain, $member, $layerFile)) -split "`n" | ForEach-Object { "/$_" } | Sort-Object -Unique)
        $expected.Count | Should -BeGreaterThan 0
        $got = @(Get-ImageLayerEntry -Path $path -Name $w.FullName -ErrorAction Stop | Where-Object LayerIndex -eq 0 | ForEach-Object Path | Sort-Object -Unique)
        $got | Should -Be $expected
    }

    It 'expands, saves and copies the image as from the plain archive' {
        $w = $named | Where-Object { -not $_.IsIndex } | Select-Object -First 1
        $dest = Join-Path $TestDrive "fs-$Fixture-$Ext"
        Expand-Image -Path $path -Name $w.FullName -DestinationPath $dest -WarningAction SilentlyContinue -ErrorAction Stop | Out-Null
        $want = Join-Path $TestDrive "fs-plain-$Fixture-$Ext"
        Expand-Image -Path $plain -Name $w.FullName -DestinationPath $want -WarningAction SilentlyContinue -ErrorAction Stop | Out-Null
        (Invoke-Native 'cd "$1" && find . | sort' @($dest)) | Should -Be (Invoke-Native 'cd "$1" && find . | sort' @($want))

        $saved = Join-Path $TestDrive "saved-$Fixture-$Ext.tar"
        Save-Image -Path $path -Name $w.FullName -DestinationPath $saved -ErrorAction Stop | Out-Null
        $config = Get-SkopeoDigest $w.SkopeoRef -Config
        $config | Should -Not -BeNullOrEmpty
        "$((Get-ImageConfig -Path $saved -Name $w.FullName).ImageId)" | Should -Be $config
        Assert-EveryBlobValid $saved

        $layout = Join-Path $TestDrive "copied-$Fixture-$Ext"
        Copy-Image -Path $path -Name $w.FullName -Destination $layout -ErrorAction Stop | Out-Null
        "$((Get-ImageConfig -Path $layout -Name $w.FullName).ImageId)" | Should -Be $config
    }
}

Describe 'A damaged compressed archive is an error naming the damage, never a shorter listing' @needsCompressors {
    It 'names a truncated <Ext> archive as truncated, and where' -ForEach @(
        @{ Ext = 'gz' }, @{ Ext = 'bz2' }, @{ Ext = 'xz' }, @{ Ext = 'zst' }
    ) {
        $whole = Join-Path $Compressed "ctr-export.tar.$Ext"
        $cut = Join-Path $TestDrive "cut.tar.$Ext"
        $size = (Get-Item $whole).Length
        Invoke-Native 'head -c "$1" "$2" > "$3"' @([string][int]($size * 2 / 3), $whole, $cut) | Out-Null
        $got = @(Get-Image -Path $cut -ErrorVariable err -ErrorAction SilentlyContinue)
        $got.Count | Should -Be 0
        $err.Count | Should -BeGreaterThan 0
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ArchiveTruncated*'
        "$($err[0])" | Should -BeLike "*$cut*"
        "$($err[0])" | Should -BeLike '*byte*'
    }

    It 'names a corrupt <Ext> archive as corrupt (or, where the damage cuts a block short, truncated), and where' -ForEach @(
        @{ Ext = 'gz' }, @{ Ext = 'bz2' }, @{ Ext = 'xz' }, @{ Ext = 'zst' }
    ) {
        $whole = Join-Path $Compressed "ctr-export.tar.$Ext"
        $bad = Join-Path $TestDrive "bad.tar.$Ext"
        $bytes = [System.IO.File]::ReadAllBytes($whole)
        $bytes[[int]($bytes.Length / 2)] = $bytes[[int]($bytes.Length / 2)] -bxor 0x55
        [System.IO.File]::WriteAllBytes($bad, $bytes)
        # the real tool agrees that the file is damaged
        $tool = @{ gz = 'gzip'; bz2 = 'bzip2'; xz = 'xz'; zst = 'zstd' }[$Ext]
        & $tool -t $bad 2>$null
        $LASTEXITCODE | Should -Not -Be 0
        $got = @(Get-Image -Path $bad -ErrorVariable err -ErrorAction SilentlyContinue)
        $got.Count | Should -Be 0
        $err.Count | Should -BeGreaterThan 0
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ArchiveCorrupt*'
        "$($err[0])" | Should -BeLike "*$bad*"
    }

    It 'still refuses a gzip file that holds no tar, saying gzip' {
        $gz = Join-Path $TestDrive 'notes.txt.gz'
        Invoke-Native 'printf "not an image\n" | gzip -c > "$1"' @($gz) | Out-Null
        Get-Image -Path $gz -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'StoreNotRecognized*'
        "$($err[0])" | Should -BeLike '*gzip*'
    }
}
