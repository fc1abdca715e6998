BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    . "$PSScriptRoot/../Fixtures/layers/Helpers.ps1"
}

Describe 'Measure-Image' {
    It 'counts as wasted exactly the file bytes of the layers that umoci unpack does not show (app:2.0)' {
        $manifest = Get-FixtureManifest $DataLayout 'app:2.0'
        $all = for ($i = 0; $i -lt $manifest.layers.Count; $i++) {
            Get-PythonTarListing $DataLayout $manifest.layers[$i].digest | Where-Object { $_.type -eq 'File' -and $_.name -notlike '*.wh.*' } | ForEach-Object { [pscustomobject]@{ Layer = $i; Path = '/' + $_.name; Size = $_.size } }
        }
        $umoci = Get-UmociListing 'app_2.0'
        # A copy is wasted when a later layer has the same path, or when the path is gone from the final filesystem.
        $wasted = $all | Where-Object { $c = $_; -not $umoci.Contains($c.Path) -or ($all | Where-Object { $_.Path -eq $c.Path -and $_.Layer -gt $c.Layer }) }
        $allBytes = ($all | Measure-Object Size -Sum).Sum
        $wastedBytes = ($wasted | Measure-Object Size -Sum).Sum
        $m = Measure-Image -Path $DataLayout -Name app:2.0 -Top 100
        $m.TotalBytes | Should -Be $allBytes
        $m.WastedBytes | Should -Be $wastedBytes
        ($m.WastedPaths.Path | Sort-Object) | Should -Be ($wasted.Path | Sort-Object -Unique)
        $m.Efficiency | Should -Be ([math]::Round(1 - $wastedBytes / $allBytes, 6))
        $m.FinalBytes | Should -Be (($umoci.Values | Where-Object { $_.type -eq 'File' -and (-not $_.hardlink -or $_.hardlink -eq $_.path) } | Measure-Object size -Sum).Sum)
        $os = $m.WastedPaths | Where-Object Path -eq '/etc/os-release'
        $os.Layers | Should -Be @(0); $os.HiddenBy | Should -Be @(2); $os.Removed | Should -BeFalse
        ($m.WastedPaths | Where-Object Path -eq '/opt/remove-me/b/c.txt').HiddenBy | Should -Be @(3)
        ($m.WastedPaths | Where-Object Path -eq '/data/old1.txt').Removed | Should -BeTrue
    }

    It 'puts the largest waste first and honours -Top' {
        $m = Get-Image $LayersLayout edge | Measure-Image -Top 2 -WarningAction SilentlyContinue
        $m.WastedPaths.Count | Should -Be 2
        $m.WastedPaths[0].Path | Should -Be '/data/big.bin'
        $m.WastedPaths[0].WastedBytes | Should -Be 70000
        $m.WastedPaths[0].HiddenBy | Should -Be @(3)
    }

    It 'has no waste in an image without overwrites or deletions' {
        $m = Measure-Image -Path $DataLayout -Name multi:latest -Platform linux/amd64
        $m.WastedBytes | Should -Be 0
        $m.Efficiency | Should -Be 1
    }

    It 'supports the CI check its help shows' {
        $m = Measure-Image -Path $LayersLayout -Name edge -WarningAction SilentlyContinue
        $failed = $m.WastedBytes -gt 50KB -or $m.Efficiency -lt 0.95
        $failed | Should -BeTrue
    }
}
