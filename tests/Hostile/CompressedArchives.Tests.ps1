# Compressed archives (docker save | gzip, bzip2, xz, zstd) cut short or with a damaged byte: every case is an error
# naming the truncation or the corruption, never a shorter listing. The damaged files are made here from the
# fixtures compressed by the real tools (tests/Fixtures/New-CompressedArchives.sh).
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    # the compressed fixtures are made by the command-line tools
    $script:needsCompressors = Get-RealToolNeed gzip, bzip2, xz, zstd
    $codecs = @(@{ Ext = 'gz' }, @{ Ext = 'bz2' }, @{ Ext = 'xz' }, @{ Ext = 'zst' })
}

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Hostile.psm1') -Force
    $script:Compressed = Join-Path $TestDrive 'compressed'
    if (Test-RealTool gzip, bzip2, xz, zstd) {
        Invoke-Native 'sh "$1" "$2"' @((Join-Path $PSScriptRoot '../Fixtures/New-CompressedArchives.sh'), $Compressed) | Out-Null
    }
    $script:ReadAll = { param($a) Get-Image -Path $a.Path | Out-Null; Test-ImageBlob -Path $a.Path -DiffId | Out-Null }
}

Describe 'Hostile: compressed archives cut short' @needsCompressors {
    It '<Ext> cut at <Keep> of its bytes is ArchiveTruncated' -ForEach @(
        foreach ($c in $codecs) { foreach ($k in '10%', '50%', '90%', 'all but 1 byte') { @{ Ext = $c.Ext; Keep = $k } } }
    ) {
        $whole = Join-Path $Compressed "ctr-export.tar.$Ext"
        $cut = Join-Path $TestDrive "cut-$($Keep -replace '\W', '')-ctr-export.tar.$Ext"
        $bytes = [IO.File]::ReadAllBytes($whole)
        $n = if ($Keep -like '*%') { [int]($bytes.Length * [int]$Keep.TrimEnd('%') / 100) } else { $bytes.Length - 1 }
        [IO.File]::WriteAllBytes($cut, $bytes[0..($n - 1)])
        Invoke-HostileCase -Name "$Ext archive cut at $Keep" -Class Truncated -Arguments @{ Path = $cut } -Unchanged $cut `
            -ExpectErrorId ArchiveTruncated -Action $ReadAll | Assert-HostileCase
    }

    It 'a whole gzip of a tar that is itself cut short is ArchiveTruncated' {
        $cut = Join-Path $TestDrive 'tar-cut.tar.gz'
        Invoke-Native 'head -c 20000 "$1" | gzip -c > "$2"' @((Get-FixturePath 'ctr-export.tar'), $cut) | Out-Null
        Invoke-HostileCase -Name 'gzip of a cut tar' -Class Truncated -Arguments @{ Path = $cut } -Unchanged $cut `
            -ExpectErrorId ArchiveTruncated -Action $ReadAll | Assert-HostileCase
    }
}

Describe 'Hostile: compressed archives with a damaged byte' @needsCompressors {
    It '<Ext> with the byte at <At> flipped is ArchiveCorrupt' -ForEach @(
        foreach ($c in $codecs) { foreach ($at in '30%', '60%', '95%') { @{ Ext = $c.Ext; At = $at } } }
    ) {
        $whole = Join-Path $Compressed "docker-save-legacy.tar.$Ext"
        $bad = Join-Path $TestDrive "bad-$($At -replace '\W', '')-docker-save-legacy.tar.$Ext"
        $bytes = [IO.File]::ReadAllBytes($whole)
        $i = [int]($bytes.Length * [int]$At.TrimEnd('%') / 100)
        $bytes[$i] = $bytes[$i] -bxor 0x24
        [IO.File]::WriteAllBytes($bad, $bytes)
        Invoke-HostileCase -Name "$Ext archive with byte $At flipped" -Class Corrupt -Arguments @{ Path = $bad } -Unchanged $bad `
            -ExpectErrorId ArchiveCorrupt -Action $ReadAll | Assert-HostileCase
    }
}
