# The read path on damaged input: FIFOs and devices where a blob or a document is expected, documents without a
# digest that are huge or endless, bytes that do not match what names them, malformed digests, and hostile names.
# Every damaged store is built here from the committed fixtures; every case runs the module through
# Invoke-HostileCase with the store watched (-Unchanged): readers never write.
BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Hostile.psm1') -Force

    function Copy-Fixture([string] $Fixture, [string] $As) {
        $dst = Join-Path $TestDrive $As
        Copy-Item -LiteralPath (Get-FixturePath $Fixture) -Destination $dst -Recurse
        return $dst
    }
    function Get-BlobPath($Layout, [string] $Digest) { Join-Path $Layout "blobs/$($Digest.Replace(':', '/'))" }
    function Add-Blob($Layout, [byte[]] $Bytes) {
        $d = 'sha256:' + (Get-Sha256Hex $Bytes)
        [IO.File]::WriteAllBytes((Get-BlobPath $Layout $d), $Bytes)
        return $d
    }
    function Get-IndexEntry($Index, [string] $RefName) {
        $Index.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq $RefName }
    }
    function Read-Json([string] $Path) { Get-Content -Raw -LiteralPath $Path | ConvertFrom-Json }
    function Write-Json([string] $Path, $Value) { Set-Content -LiteralPath $Path -Value ($Value | ConvertTo-Json -Depth 20 -Compress) -NoNewline }
    # Rewrites the manifest of <RefName> in a layout through a script block, stores it as a new blob and points index.json at it.
    function Edit-Manifest($Layout, [string] $RefName, [scriptblock] $Edit) {
        $indexPath = Join-Path $Layout 'index.json'
        $index = Read-Json $indexPath
        $entry = Get-IndexEntry $index $RefName
        $manifest = Read-Json (Get-BlobPath $Layout $entry.digest)
        & $Edit $manifest
        $bytes = [Text.Encoding]::UTF8.GetBytes(($manifest | ConvertTo-Json -Depth 20 -Compress))
        $entry.digest = Add-Blob $Layout $bytes
        $entry.size = $bytes.Length
        Write-Json $indexPath $index
    }
    # Replaces the top layer of <RefName> by a gzip of the tar python3 writes from (name, type, data) triples; the
    # config's DiffID is set to sha256sum of the tar, so that the image is consistent apart from what the tar holds.
    function Set-TopLayer($Layout, [string] $RefName, [object[]] $Entries) {
        $spec = Join-Path $TestDrive "entries-$([guid]::NewGuid()).json"
        $tar = "$spec.tar"
        Set-Content -LiteralPath $spec -Value (ConvertTo-Json -InputObject $Entries -Depth 5) -NoNewline
        $py = @'
import sys, json, tarfile, io
entries = json.load(open(sys.argv[1]))
with tarfile.open(sys.argv[2], 'w', format=tarfile.PAX_FORMAT) as t:
    for e in entries:
        ti = tarfile.TarInfo(e['Name']); ti.mtime = 1700000000
        if e['Type'] == 'dir':
            ti.type = tarfile.DIRTYPE; ti.mode = 0o755; t.addfile(ti)
        else:
            data = e['Data'].encode(); ti.size = len(data); ti.mode = 0o644; t.addfile(ti, io.BytesIO(data))
'@
        Invoke-Native 'python3 -c "$1" "$2" "$3" && gzip -n -k "$3"' @($py, $spec, $tar) | Out-Null
        $diffId = Get-FileDigestBySum $tar
        $gz = [IO.File]::ReadAllBytes("$tar.gz")
        Edit-Manifest $Layout $RefName {
            param($m)
            $config = Read-Json (Get-BlobPath $Layout $m.config.digest)
            $config.rootfs.diff_ids[-1] = $diffId
            $cBytes = [Text.Encoding]::UTF8.GetBytes(($config | ConvertTo-Json -Depth 20 -Compress))
            $m.config.digest = Add-Blob $Layout $cBytes
            $m.config.size = $cBytes.Length
            $m.layers[-1].digest = Add-Blob $Layout $gz
            $m.layers[-1].size = $gz.Length
            $m.layers[-1].mediaType = 'application/vnd.oci.image.layer.v1.tar+gzip'
        }
    }
    # python3 tarfile: where the data of one member of an archive starts, and its size.
    function Get-TarMember([string] $Archive, [string] $Name) {
        $py = 'import sys,tarfile,json; m=tarfile.open(sys.argv[1]).getmember(sys.argv[2]); print(json.dumps(dict(DataOffset=m.offset_data,Size=m.size)))'
        (Invoke-Native 'python3 -c "$1" "$2" "$3"' @($py, $Archive, $Name)) | ConvertFrom-Json
    }
    function Switch-Byte([string] $Path, [long] $Offset) {
        $b = [IO.File]::ReadAllBytes($Path); $b[$Offset] = $b[$Offset] -bxor 0x20; [IO.File]::WriteAllBytes($Path, $b)
    }
    # An archive with one member replaced by the given text (python3 tarfile rewrites it).
    function Set-TarMember([string] $From, [string] $To, [string] $Name, [string] $TextFile) {
        $py = @'
import sys, tarfile
src, dst, name, text = sys.argv[1:5]
with tarfile.open(src) as s, tarfile.open(dst, 'w', format=tarfile.PAX_FORMAT) as d:
    for m in s.getmembers():
        if m.name == name:
            data = open(text, 'rb').read(); m.size = len(data)
            import io; d.addfile(m, io.BytesIO(data))
        else:
            d.addfile(m, s.extractfile(m) if m.isfile() else None)
'@
        Invoke-Native 'python3 -c "$1" "$2" "$3" "$4" "$5"' @($py, $From, $To, $Name, $TextFile) | Out-Null
    }
    function New-Fifo([string] $Path) {
        if (Test-Path -LiteralPath $Path) { Remove-Item -LiteralPath $Path -Force }
        Invoke-Native 'mkfifo "$1"' @($Path) | Out-Null
    }

    # Every read cmdlet over one store, all errors collected; the store must stay unchanged.
    $script:ReadAll = {
        param($a)
        Get-Image -LiteralPath $a.Path
        Get-ImageManifest -LiteralPath $a.Path
        Get-ImageConfig -LiteralPath $a.Path
        Get-ImageLayer -LiteralPath $a.Path
        Test-ImageBlob -LiteralPath $a.Path -DiffId
        Get-ImageLayerEntry -LiteralPath $a.Path
    }
    $script:BaseManifest = Invoke-Skopeo "oci:$(Get-FixturePath 'oci-layout'):base:1.0" -Raw
}

Describe 'A FIFO where a blob or a document is expected (Blocking)' {
    It 'OCI layout: a FIFO at <what> is NotARegularFile at once' -ForEach @(
        @{ what = 'index.json' }, @{ what = 'the manifest blob' }, @{ what = 'the config blob' }, @{ what = 'a layer blob' }
    ) {
        $lay = Copy-Fixture 'oci-layout' "fifo-layout-$($what -replace '\W', '')"
        $target = switch ($what) {
            'index.json' { Join-Path $lay 'index.json' }
            'the manifest blob' { Get-BlobPath $lay (Get-IndexEntry (Read-Json "$lay/index.json") 'base:1.0').digest }
            'the config blob' { Get-BlobPath $lay $BaseManifest.config.digest }
            'a layer blob' { Get-BlobPath $lay $BaseManifest.layers[0].digest }
        }
        New-Fifo $target
        Invoke-HostileCase -Name "FIFO at $what of an OCI layout" -Class Blocking -TimeoutSeconds 10 -Arguments @{ Path = $lay } `
            -Unchanged $lay -ExpectErrorId NotARegularFile -Action $ReadAll | Assert-HostileCase
    }

    It '<kind>: the archive path itself is a FIFO' -ForEach @(@{ kind = 'oci-archive' }, @{ kind = 'docker save' }) {
        $fifo = Join-Path $TestDrive "$($kind -replace '\W', '').tar"
        New-Fifo $fifo
        Invoke-HostileCase -Name "$kind path is a FIFO" -Class Blocking -TimeoutSeconds 10 -Arguments @{ Path = $fifo } `
            -Unchanged $fifo -ExpectErrorId NotARegularFile -Action $ReadAll | Assert-HostileCase
    }

    It 'skopeo dir: a FIFO at <what> is NotARegularFile at once' -ForEach @(@{ what = 'manifest.json' }, @{ what = 'version' }, @{ what = 'a layer blob' }) {
        $dir = Copy-Fixture 'dir-base' "fifo-dir-$($what -replace '\W', '')"
        $target = switch ($what) {
            'a layer blob' { Join-Path $dir ((Read-Json "$dir/manifest.json").layers[0].digest.Substring(7)) }
            default { Join-Path $dir $what }
        }
        New-Fifo $target
        Invoke-HostileCase -Name "FIFO at $what of a skopeo dir:" -Class Blocking -TimeoutSeconds 10 -Arguments @{ Path = $dir } `
            -Unchanged $dir -ExpectErrorId NotARegularFile -Action $ReadAll | Assert-HostileCase
    }

    It 'Get-ContentDigest on a FIFO is NotARegularFile at once' {
        $fifo = Join-Path $TestDrive 'digest.fifo'
        New-Fifo $fifo
        Invoke-HostileCase -Name 'Get-ContentDigest of a FIFO' -Class Blocking -TimeoutSeconds 10 -Arguments @{ Path = $fifo } `
            -Unchanged $fifo -ExpectErrorId NotARegularFile -Action { param($a) Get-ContentDigest -LiteralPath $a.Path } | Assert-HostileCase
    }
}

Describe 'Documents without a digest that are huge or endless (Explosion)' {
    # A symlink to /dev/zero leads out of the store, so it is refused before its type matters; the zero device
    # itself in the store (mknod, root only) is what NotARegularFile is about.
    It 'OCI layout: index.json <what> gives <id>' -ForEach @(
        @{ what = 'a symlink to /dev/zero'; id = 'PathOutsideStore' }
        @{ what = 'the zero device (mknod c 1 5)'; id = 'NotARegularFile' }
        @{ what = 'a 1.5 GB sparse file'; id = 'ContentTooLarge' }
        @{ what = 'a 20 MB JSON document'; id = 'ContentTooLarge' }
    ) {
        if ($what -like '*mknod*' -and (id -u) -ne '0') { Set-ItResult -Skipped -Because 'mknod of a device needs root'; return }
        $lay = Copy-Fixture 'oci-layout' "big-index-$($what -replace '\W', '')"
        $index = Join-Path $lay 'index.json'
        switch -Wildcard ($what) {
            '*dev/zero' { Remove-Item $index; Invoke-Native 'ln -s /dev/zero "$1"' @($index) | Out-Null }
            '*mknod*' { Remove-Item $index; Invoke-Native 'mknod "$1" c 1 5' @($index) | Out-Null }
            '*sparse*' { Invoke-Native 'truncate -s 1500M "$1"' @($index) | Out-Null }
            '*JSON*' { Invoke-Native 'python3 -c "import sys; d=open(sys.argv[1]).read(); open(sys.argv[1],\"w\").write(d[:-1] + \" \" * (20 << 20) + d[-1])" "$1"' @($index) | Out-Null }
        }
        Invoke-HostileCase -Name "index.json is $what" -Class Explosion -TimeoutSeconds 30 -Arguments @{ Path = $lay } `
            -Unchanged $lay -ExpectErrorId $id -Action $ReadAll | Assert-HostileCase
    }

    It 'skopeo dir: manifest.json <what> gives <id>' -ForEach @(
        @{ what = 'a symlink to /dev/zero'; id = 'PathOutsideStore' }
        @{ what = 'the zero device (mknod c 1 5)'; id = 'NotARegularFile' }
        @{ what = 'a 1.5 GB sparse file'; id = 'ContentTooLarge' }
    ) {
        if ($what -like '*mknod*' -and (id -u) -ne '0') { Set-ItResult -Skipped -Because 'mknod of a device needs root'; return }
        $dir = Copy-Fixture 'dir-base' "big-dir-$($what -replace '\W', '')"
        $manifest = Join-Path $dir 'manifest.json'
        if ($what -like '*dev/zero') { Remove-Item $manifest; Invoke-Native 'ln -s /dev/zero "$1"' @($manifest) | Out-Null }
        elseif ($what -like '*mknod*') { Remove-Item $manifest; Invoke-Native 'mknod "$1" c 1 5' @($manifest) | Out-Null }
        else { Invoke-Native 'truncate -s 1500M "$1"' @($manifest) | Out-Null }
        Invoke-HostileCase -Name "dir: manifest.json is $what" -Class Explosion -TimeoutSeconds 30 -Arguments @{ Path = $dir } `
            -Unchanged $dir -ExpectErrorId $id -Action $ReadAll | Assert-HostileCase
    }

    It '<fixture>: a 20 MB <member> inside the archive gives ContentTooLarge' -ForEach @(
        @{ fixture = 'oci-archive.tar'; member = 'index.json' }
        @{ fixture = 'docker-save-legacy.tar'; member = 'manifest.json' }
    ) {
        $text = Join-Path $TestDrive "big-$member"
        # the same JSON document with 20 MB of white space before its closing bracket
        $original = (Get-TarMemberText (Get-FixturePath $fixture) $member).TrimEnd()
        [IO.File]::WriteAllText($text, $original.Substring(0, $original.Length - 1) + (' ' * (20 -shl 20)) + $original[-1])
        $archive = Join-Path $TestDrive "big-$member-$fixture"
        Set-TarMember (Get-FixturePath $fixture) $archive $member $text
        Invoke-HostileCase -Name "$fixture with a 20 MB $member" -Class Explosion -TimeoutSeconds 30 -Arguments @{ Path = $archive } `
            -Unchanged $archive -ExpectErrorId ContentTooLarge -Action $ReadAll | Assert-HostileCase
    }
}

Describe 'A legacy docker save whose config does not match the digest its name states (Corrupt)' {
    BeforeAll {
        # one flipped byte inside <id>.json; sha256sum (the real tool) says its content no longer has the digest its name states
        $script:Flipped = @{}
        foreach ($fixture in 'docker-save-legacy.tar', 'docker-archive.tar') {
            $archive = Join-Path $TestDrive "flipped-$fixture"
            Copy-Item (Get-FixturePath $fixture) $archive
            $entry = ((Get-TarMemberText $archive 'manifest.json') | ConvertFrom-Json)[0]
            $config = $entry.Config
            $member = Get-TarMember $archive $config
            Switch-Byte $archive ($member.DataOffset + [long]($member.Size / 2))
            $actual = Invoke-Native 'tar -xOf "$1" "$2" | sha256sum | cut -d" " -f1' @($archive, $config)
            $actual | Should -Not -Be $config.Replace('.json', '')
            $script:Flipped[$fixture] = @{ Path = $archive; Name = $entry.RepoTags[0] }
        }
    }

    It '<fixture> through <command>: DigestMismatch' -ForEach @(
        foreach ($f in 'docker-save-legacy.tar', 'docker-archive.tar') {
            @{ fixture = $f; command = 'Get-ImageConfig' }, @{ fixture = $f; command = 'Test-ImageBlob' }, @{ fixture = $f; command = 'Save-Image' }
        }
    ) {
        $archive = $Flipped[$fixture].Path
        $dest = Join-Path $TestDrive "saved-$command-$fixture"
        $action = switch ($command) {
            'Get-ImageConfig' { { param($a) Get-ImageConfig -LiteralPath $a.Path -Name $a.Name } }
            'Test-ImageBlob' { { param($a) Test-ImageBlob -LiteralPath $a.Path -Name $a.Name } }
            'Save-Image' { { param($a) Save-Image -LiteralPath $a.Path -Name $a.Name -DestinationPath $a.Destination } }
        }
        $case = Invoke-HostileCase -Name "$fixture with a flipped byte in its config, $command" -Class Corrupt -Arguments @{ Path = $archive; Name = $Flipped[$fixture].Name; Destination = $dest } `
            -Unchanged $archive -Destination $dest -NoTempFilesIn $TestDrive -ExpectErrorId DigestMismatch -Action $action
        $case | Assert-HostileCase
    }

    It '<fixture> through every read cmdlet: DigestMismatch, and no image under the ID of the damaged bytes' -ForEach @(
        @{ fixture = 'docker-save-legacy.tar' }, @{ fixture = 'docker-archive.tar' }
    ) {
        $archive = $Flipped[$fixture].Path
        $c = Invoke-HostileCase -Name "$fixture with a flipped byte in its config, every read cmdlet" -Class Corrupt -Arguments @{ Path = $archive } `
            -Unchanged $archive -ExpectErrorId DigestMismatch -Action $ReadAll
        $c | Assert-HostileCase
        $config = ((Get-TarMemberText $archive 'manifest.json') | ConvertFrom-Json)[0].Config
        $damagedId = Invoke-Native 'tar -xOf "$1" "$2" | sha256sum | cut -d" " -f1' @($archive, $config)
        $ids = @(Get-Image -LiteralPath $archive -ErrorAction SilentlyContinue | ForEach-Object { $_.ImageIds | ForEach-Object { "$_" } })
        $ids | Should -Not -Contain "sha256:$damagedId"
    }

    It 'still reads the intact archive the same way (the check is not a false alarm)' {
        $ids = @(Get-Image -Path (Get-FixturePath 'docker-save-legacy.tar') -ErrorVariable err -ErrorAction SilentlyContinue | ForEach-Object { $_.ImageIds | ForEach-Object { "$_" } })
        $err.Count | Should -Be 0
        $ids | Should -Contain 'sha256:ce7dbf61f5c5e95fb4800c75555defdffd448fe6ed3dee0e4c1a8cd3abf19266'
    }
}

Describe 'One flipped byte in a gzip layer (Corrupt)' {
    BeforeDiscovery {
        Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
        $layout = Get-FixturePath 'oci-layout'
        $gzip = [System.Collections.Generic.List[object]]::new()
        foreach ($name in (Get-OciIndexNames (Get-Content -Raw "$layout/index.json")).Name) {
            $raw = Invoke-Skopeo "oci:${layout}:$name" -Raw
            if (-not $raw.layers) { continue }
            for ($i = 0; $i -lt $raw.layers.Count; $i++) {
                $l = $raw.layers[$i]
                if ($l.mediaType -like '*gzip' -and -not ($gzip | Where-Object Digest -eq $l.digest)) {
                    $gzip.Add(@{ Digest = $l.digest; Image = $name; Index = $i })
                }
            }
        }
        $script:GzipLayers = $gzip
    }

    BeforeAll {
        # the listings filtered to the damaged layer: with the intact layout they emit entries (so an empty result means something)
        $script:LayerEntries = { param($a) Get-ImageLayerEntry -LiteralPath $a.Path -Name $a.Image | Where-Object { "$($_.LayerDigest)" -eq $a.Layer } }
        $script:FileSystem = { param($a) Get-ImageFileSystem -LiteralPath $a.Path -Name $a.Image | Where-Object { "$($_.LayerDigest)" -eq $a.Layer } }
    }

    It 'found the gzip layers of the layout' {
        $GzipLayers.Count | Should -BeGreaterThan 2
    }

    It 'layer <Index> of <Image> (<Digest>): every reader says DigestMismatch and lists nothing of it' -ForEach $GzipLayers {
        $intact = Get-FixturePath 'oci-layout'
        $args0 = @{ Path = $intact; Image = $Image; Layer = $Digest }
        @(& $LayerEntries $args0).Count | Should -BeGreaterThan 0
        @(& $FileSystem $args0).Count | Should -BeGreaterThan 0

        $lay = Copy-Fixture 'oci-layout' "flip-$($Digest.Substring(7, 12))"
        $blob = Get-BlobPath $lay $Digest
        Switch-Byte $blob ([long]((Get-Item $blob).Length / 2))
        (Get-FileDigestBySum $blob) | Should -Not -Be $Digest
        $a = @{ Path = $lay; Image = $Image; Layer = $Digest; Destination = (Join-Path $TestDrive "rootfs-$($Digest.Substring(7, 12))") }

        $c = Invoke-HostileCase -Name "flipped byte in $Digest, Get-ImageLayerEntry" -Class Corrupt -Arguments $a -Unchanged $lay -ExpectErrorId DigestMismatch -Action $LayerEntries
        $c | Assert-HostileCase
        $c.Output | Should -Be 0
        $c.ErrorIds | Should -Not -Contain 'CompressedStreamTruncated'

        $c = Invoke-HostileCase -Name "flipped byte in $Digest, Get-ImageFileSystem" -Class Corrupt -Arguments $a -Unchanged $lay -ExpectErrorId DigestMismatch -Action $FileSystem
        $c | Assert-HostileCase
        $c.Output | Should -Be 0

        $c = Invoke-HostileCase -Name "flipped byte in $Digest, Test-ImageBlob -DiffId" -Class Corrupt -Arguments $a -Unchanged $lay -ExpectErrorId DigestMismatch -Action {
            param($a) Test-ImageBlob -LiteralPath $a.Path -Name $a.Image -DiffId | Where-Object { "$($_.Digest)" -eq $a.Layer -and "$($_.Status)" -eq 'Valid' }
        }
        $c | Assert-HostileCase
        $c.Output | Should -Be 0
        $c.ErrorIds | Should -Not -Contain 'CompressedStreamTruncated'

        Invoke-HostileCase -Name "flipped byte in $Digest, Expand-Image" -Class Corrupt -Arguments $a -Unchanged $lay -Destination $a.Destination `
            -NoTempFilesIn $TestDrive -ExpectErrorId DigestMismatch -Action {
            param($a) Expand-Image -LiteralPath $a.Path -Name $a.Image -DestinationPath $a.Destination
        } | Assert-HostileCase
    }
}

Describe 'Malformed digests and unknown algorithms (Malformed)' {
    It 'index.json: base:1.0 with digest <digest> gives InvalidDigest' -ForEach @(
        @{ digest = 'sha256:xyz' }
        @{ digest = 'sha256:../../..' }
        @{ digest = 'sha256:5A254DD30F8171C52EEF85E5BB742E8BE493B3C83AFE89A5D540231ADEF7018D' }
        @{ digest = 'sha256:5a254dd30f8171c52eef85e5bb742e8b' }
    ) {
        $lay = Copy-Fixture 'oci-layout' "bad-index-$([Math]::Abs($digest.GetHashCode()))"
        $index = Read-Json "$lay/index.json"
        (Get-IndexEntry $index 'base:1.0').digest = $digest
        Write-Json "$lay/index.json" $index
        Invoke-HostileCase -Name "index.json digest $digest" -Class Malformed -Arguments @{ Path = $lay } -Unchanged $lay `
            -ExpectErrorId InvalidDigest -Action $ReadAll | Assert-HostileCase
    }

    It 'manifest: the <field> digest <digest> gives InvalidDigest' -ForEach @(
        foreach ($d in 'sha256:xyz', 'sha256:../../..', 'sha256:5A254DD30F8171C52EEF85E5BB742E8BE493B3C83AFE89A5D540231ADEF7018D', 'sha256:5a254dd3') {
            @{ field = 'config'; digest = $d }, @{ field = 'layer'; digest = $d }
        }
    ) {
        $lay = Copy-Fixture 'oci-layout' "bad-manifest-$field-$([Math]::Abs($digest.GetHashCode()))"
        Edit-Manifest $lay 'base:1.0' { param($m) if ($field -eq 'config') { $m.config.digest = $digest } else { $m.layers[0].digest = $digest } }
        Invoke-HostileCase -Name "manifest $field digest $digest" -Class Malformed -Arguments @{ Path = $lay } -Unchanged $lay `
            -ExpectErrorId InvalidDigest -Action $ReadAll | Assert-HostileCase
    }

    It 'an md5 digest in <where> gives UnsupportedAlgorithm' -ForEach @(@{ where = 'index.json' }, @{ where = 'a manifest''s layer' }) {
        $lay = Copy-Fixture 'oci-layout' "md5-$($where -replace '\W', '')"
        $md5 = 'md5:' + ('0123456789abcdef' * 2)
        if ($where -eq 'index.json') {
            $index = Read-Json "$lay/index.json"
            (Get-IndexEntry $index 'base:1.0').digest = $md5
            Write-Json "$lay/index.json" $index
        }
        else { Edit-Manifest $lay 'base:1.0' { param($m) $m.layers[0].digest = $md5 } }
        $c = Invoke-HostileCase -Name "md5 digest in $where" -Class Malformed -Arguments @{ Path = $lay } -Unchanged $lay `
            -ExpectErrorId UnsupportedAlgorithm -Action $ReadAll
        $c | Assert-HostileCase
        $c.ErrorIds | Should -Not -Contain 'BlobNotFound'
    }
}

Describe 'Hostile names (HostileName)' {
    BeforeAll {
        $e = [char]0x1b
        $script:EscName = "evil$e]0;window title$([char]7)$e[2J:1.0"
        $script:EscLayout = Copy-Fixture 'oci-layout' 'esc-names'
        $index = Read-Json "$EscLayout/index.json"
        (Get-IndexEntry $index 'base:1.0').annotations.'org.opencontainers.image.ref.name' = $EscName
        Write-Json "$EscLayout/index.json" $index
        Set-TopLayer $EscLayout 'app:2.0' @(
            @{ Name = 'data'; Type = 'dir'; Data = '' }
            @{ Name = "data/$e]0;pwned$([char]7)$e[2Jname"; Type = 'file'; Data = 'x' }
        )
        $script:WhiteoutLayout = Copy-Fixture 'oci-layout' 'dot-whiteouts'
        Set-TopLayer $WhiteoutLayout 'base:1.0' @(
            @{ Name = 'data'; Type = 'dir'; Data = '' }
            @{ Name = 'data/.wh..'; Type = 'file'; Data = '' }
            @{ Name = '.wh...'; Type = 'file'; Data = '' }
            @{ Name = 'data/after'; Type = 'file'; Data = 'still here' }
        )
    }

    It 'a ref.name and a layer entry name with ESC sequences: no ESC byte in the default views of <command>' -ForEach @(
        @{ command = 'Get-Image' }, @{ command = 'Get-ImageManifest' }, @{ command = 'Get-ImageConfig' }, @{ command = 'Get-ImageLayer' },
        @{ command = 'Test-ImageBlob' }, @{ command = 'Get-ImageLayerEntry' }, @{ command = 'Get-ImageFileSystem' }
    ) {
        $c = Invoke-HostileCase -Name "ESC in names, $command | Format-Table" -Class HostileName -SuccessAllowed -Arguments @{ Path = $EscLayout; Command = $command } `
            -Unchanged $EscLayout -Action {
            param($a)
            $PSStyle.OutputRendering = 'PlainText'
            $objects = if ($a.Command -eq 'Get-ImageFileSystem') { Get-ImageFileSystem -LiteralPath $a.Path -Name app:2.0 } else { & $a.Command -LiteralPath $a.Path }
            $text = $objects | Format-Table | Out-String -Width 400
            if ($text.Contains([char]0x1b)) { throw [InvalidOperationException]::new("an ESC byte reached the text of $($a.Command) | Format-Table") }
            $text
        }
        $c | Assert-HostileCase -Accept Tolerated
        $c.Output | Should -Be 1
    }

    It 'shows the ESC as \x1b, and the property keeps the name as stored' {
        $images = @(Get-Image -Path $EscLayout)
        @($images.Name) | Should -Contain $EscName
        $text = $images | Format-Table | Out-String -Width 400
        $text | Should -BeLike '*evil\x1b]0;window title\x07*'
        $entry = @(Get-ImageLayerEntry -Path $EscLayout -Name app:2.0 | Where-Object Path -like '*pwned*')
        $entry.Count | Should -Be 1
        ($entry | Format-Table | Out-String -Width 400) | Should -BeLike '*\x1b]0;pwned\x07\x1b`[2Jname*'
    }

    It 'a layer with .wh.. and .wh... entries: <command> gives UnsafeEntryPath' -ForEach @(@{ command = 'Get-ImageFileSystem' }, @{ command = 'Expand-Image' }) {
        $a = @{ Path = $WhiteoutLayout; Destination = (Join-Path $TestDrive "wh-$command"); Command = $command }
        $c = Invoke-HostileCase -Name ".wh.. and .wh... entries, $command" -Class HostileName -Arguments $a -Unchanged $WhiteoutLayout `
            -ExpectErrorId UnsafeEntryPath -Action {
            param($a)
            if ($a.Command -eq 'Expand-Image') { Expand-Image -LiteralPath $a.Path -Name base:1.0 -DestinationPath $a.Destination | Out-Null }
            else { Get-ImageFileSystem -LiteralPath $a.Path -Name base:1.0 | Where-Object Path -eq '/data/after' }
        }
        $c | Assert-HostileCase
        @($c.Messages | Where-Object { $_ -like '*.wh..*' }).Count | Should -BeGreaterThan 0
        if ($command -eq 'Get-ImageFileSystem') { $c.Output | Should -Be 1 }   # the rest of the layer is still read
    }

    It 'Get-ImageLayerEntry lists .wh.. and .wh... as they are, with UnsafeReason, never as whiteouts' {
        $entries = @(Get-ImageLayerEntry -Path $WhiteoutLayout -Name base:1.0 | Where-Object Path -like '*.wh..*')
        $entries.Count | Should -Be 2
        @($entries | Where-Object IsWhiteout).Count | Should -Be 0
        @($entries | Where-Object { $_.UnsafeReason -like '*whiteout*' }).Count | Should -Be 2
    }
}
