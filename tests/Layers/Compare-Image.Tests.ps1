BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    . "$PSScriptRoot/../Fixtures/layers/Helpers.ps1"
}

Describe 'Compare-Image' {
    It 'finds the paths added, removed and changed between base:1.0 and app:2.0 as umoci unpack listings differ' {
        $a = Get-UmociListing 'base_1.0'; $b = Get-UmociListing 'app_2.0'
        $added = @($b.Keys | Where-Object { -not $a.Contains($_) })
        $removed = @($a.Keys | Where-Object { -not $b.Contains($_) })
        $changed = @($a.Keys | Where-Object { $b.Contains($_) } | Where-Object {
                $x = $a[$_]; $y = $b[$_]
                $x.type -ne $y.type -or $x.size -ne $y.size -or ($x.mode -ne $y.mode -and $x.type -ne 'Symlink') -or $x.uid -ne $y.uid -or $x.gid -ne $y.gid -or $x.digest -ne $y.digest -or $x.link -ne $y.link })
        $diff = @(Compare-Image -ReferenceImage (Get-Image $DataLayout base:1.0) -DifferenceImage (Get-Image $DataLayout app:2.0))
        @($diff | Where-Object Change -eq Added).Path | Sort-Object | Should -Be ($added | Sort-Object)
        @($diff | Where-Object Change -eq Removed).Path | Sort-Object | Should -Be ($removed | Sort-Object)
        @($diff | Where-Object Change -eq Changed).Path | Sort-Object | Should -Be ($changed | Sort-Object)
        ($diff | Where-Object Path -eq '/data/keep').SideIndicator | Should -Be '<='
    }

    It 'finds a changed file between two platforms of multi:latest (content and size as tar shows them)' {
        $amd = Get-ImageManifest -Path $DataLayout -Name multi:latest -Platform linux/amd64
        $arm = Get-ImageManifest -Path $DataLayout -Name multi:latest -Platform linux/arm64
        $diff = @(Compare-Image -ReferenceImage $amd -DifferenceImage $arm)
        $facts = foreach ($m in $amd, $arm) {
            $blob = Join-Path $DataLayout ('blobs/sha256/' + $m.LayerDigests[0].Substring(7))
            [pscustomobject]@{ Sha = (& bash -c "zcat '$blob' | tar -xOf - etc/platform | sha256sum").Split(' ')[0]; Size = [long](& bash -c "zcat '$blob' | tar -xOf - etc/platform | wc -c") }
        }
        $expected = @(if ($facts[0].Size -ne $facts[1].Size) { 'Size' }) + @(if ($facts[0].Sha -ne $facts[1].Sha) { 'Content' })
        $facts[0].Sha | Should -Not -Be $facts[1].Sha
        ($diff | ForEach-Object { "$($_.Change) $($_.Path)" }) | Should -Be @('Changed /etc/platform')
        $diff[0].Properties | Should -Be $expected
        "$($diff[0].ReferenceEntry.ContentDigest)" | Should -Be "sha256:$($facts[0].Sha)"
    }

    It 'finds no difference between an image and itself, and takes the difference image from the pipeline' {
        Get-Image $DataLayout base:1.0 | Compare-Image -ReferenceImage (Get-Image $DataLayout base:1.0) | Should -BeNullOrEmpty
    }

    It 'compares images from different stores and compressions (zstd:1.0 against base:1.0)' {
        $diff = @(Compare-Image (Get-Image $DataLayout base:1.0) (Get-Image $DataLayout zstd:1.0))
        ($diff | ForEach-Object { "$($_.Change) $($_.Path)" }) | Should -Be @('Added /etc/zstd.txt')
    }

    It 'finds no difference between the same image in an OCI layout and a docker-archive' {
        $archive = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../Fixtures/data/docker-archive.tar'))
        Compare-Image (Get-Image $DataLayout app:2.0) (Get-Image $archive app:2.0) | Should -BeNullOrEmpty
    }

    It 'asks for -Platform when an image has several' {
        $null = Compare-Image (Get-Image $DataLayout multi:latest) (Get-Image $DataLayout base:1.0) -ErrorVariable err -ErrorAction SilentlyContinue
        "$($err[0])" | Should -BeLike '*-Platform*'
    }
}
