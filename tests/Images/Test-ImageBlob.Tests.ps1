BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $fixtures = foreach ($f in Get-FixtureList) { @{ Fixture = $f } }
}

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
}

Describe 'Test-ImageBlob on <Fixture>' -ForEach $fixtures {
    BeforeAll {
        $script:path = Get-FixturePath $Fixture
        $script:plain = @(Test-ImageBlob -Path $path -ErrorVariable err1 -WarningVariable warn1)
        $script:err1 = $err1; $script:warn1 = $warn1
        $script:withDiff = @(Test-ImageBlob -Path $path -DiffId -ErrorVariable err2)
        $script:err2 = $err2
        # every layer skopeo (or docker save's manifest.json) knows, with the DiffID of the config skopeo reads
        $script:want = foreach ($i in Get-FixtureImages -Fixture $Fixture) {
            $extraSets = [System.Collections.Generic.List[object]]::new()
            if ($i.IsIndex) {
                foreach ($m in (Invoke-Skopeo $i.SkopeoRef -Raw).manifests) { $extraSets.Add(@('--override-os', $m.platform.os, '--override-arch', $m.platform.architecture)) }
            }
            else { $extraSets.Add(@()) }
            foreach ($extra in $extraSets) {
                $cfg = Invoke-Skopeo $i.SkopeoRef -Config -Extra $extra
                [pscustomobject]@{ Config = (Get-SkopeoDigest $i.SkopeoRef -Config -Extra $extra); DiffIds = @($cfg.rootfs.diff_ids) }
            }
        }
    }

    It 'finds every blob valid, with no error or warning' {
        $plain.Count | Should -BeGreaterThan 0
        @($plain | Where-Object { "$($_.Status)" -ne 'Valid' }) | Should -BeNullOrEmpty
        $err1 | Should -BeNullOrEmpty
        $warn1 | Should -BeNullOrEmpty
    }

    It 'finds every blob valid with -DiffId too, and every DiffID it recomputes is the config''s' {
        @($withDiff | Where-Object { "$($_.Status)" -ne 'Valid' }) | Should -BeNullOrEmpty
        $err2 | Should -BeNullOrEmpty
        $layers = @($withDiff | Where-Object { "$($_.Kind)" -eq 'Layer' })
        $layers.Count | Should -BeGreaterThan 0
        $allDiffIds = @($want | ForEach-Object { $_.DiffIds })
        foreach ($l in $layers) {
            "$($l.ActualDiffId)" | Should -BeIn $allDiffIds
            "$($l.ActualDiffId)" | Should -Be "$($l.DiffId)"
        }
        @($layers | ForEach-Object { "$($_.ActualDiffId)" } | Sort-Object -Unique) | Should -Be @($allDiffIds | Sort-Object -Unique)
    }

    It 'checks each config skopeo reads' {
        $configs = @($plain | Where-Object { "$($_.Kind)" -eq 'Config' } | ForEach-Object { "$($_.Digest)" } | Sort-Object -Unique)
        $configs | Should -Be @($want.Config | Sort-Object -Unique)
    }
}

Describe 'Test-ImageBlob on the whole store <Fixture>' -ForEach @(@{ Fixture = 'oci-layout' }, @{ Fixture = 'oci-archive.tar' }, @{ Fixture = 'ctr-export.tar' }) {
    BeforeAll {
        $script:path = Get-FixturePath $Fixture
        $script:plain = @(Test-ImageBlob -Path $path)
    }

    It 'checks every blob file of an OCI layout / archive, referenced or not' {
        $files = if ($Fixture -eq 'oci-layout') { @(Get-ChildItem (Join-Path $path 'blobs/sha256') -File | ForEach-Object { "sha256:$($_.Name)" }) }
        else { @((Invoke-Native 'tar -tf "$1"' @($path)) -split "`n" | Where-Object { $_ -match '^blobs/sha256/[0-9a-f]{64}$' } | ForEach-Object { 'sha256:' + $_.Substring(13) }) }
        @($plain | ForEach-Object { "$($_.Digest)" } | Sort-Object -Unique) | Should -Be @($files | Sort-Object -Unique)
    }
}

Describe 'Test-ImageBlob input forms' {
    BeforeAll { $script:layout = Get-FixturePath 'oci-layout' }

    It 'checks the layers piped from Get-ImageLayer, with -DiffId (zstd included)' {
        $layers = @(Get-ImageLayer -Path $layout -Name 'zstd:1.0')
        $r = @($layers | Test-ImageBlob -DiffId)
        $r.Count | Should -Be $layers.Count
        @($r | Where-Object { "$($_.Status)" -ne 'Valid' }) | Should -BeNullOrEmpty
        $z = $r | Where-Object { "$($_.Digest)" -eq "$(($layers | Where-Object MediaType -like '*zstd').Digest)" }
        "$($z.ActualDiffId)" | Should -Be (Get-FileDigestBySum (Join-Path $layout "blobs/sha256/$("$($z.Digest)".Substring(7))") -Decompress zstd)
    }

    It 'checks a piped manifest: manifest, config and every layer' {
        $m = Get-ImageManifest -Path $layout -Name 'base:1.0'
        $r = @($m | Test-ImageBlob)
        $raw = Invoke-Skopeo "oci:${layout}:base:1.0" -Raw
        @($r | ForEach-Object { "$($_.Digest)" } | Sort-Object) | Should -Be @(@($raw.config.digest) + @($raw.layers.digest) + @("$($m.Digest)") | Sort-Object)
    }

    It 'checks only the selected image''s blobs with -Name (no orphans)' {
        $r = @(Test-ImageBlob -Path $layout -Name 'multi:*')
        $raw = Invoke-Skopeo "oci:${layout}:multi:latest" -Raw
        @($r | Where-Object { "$($_.Kind)" -eq 'Manifest' } | ForEach-Object { "$($_.Digest)" } | Sort-Object) | Should -Be @($raw.manifests.digest | Sort-Object)
        @($r | Where-Object { "$($_.Kind)" -eq 'Index' }).Count | Should -Be 1
    }

    It 'gives the same answers with -ThrottleLimit 1' {
        $a = @(Test-ImageBlob -Path $layout -DiffId -ThrottleLimit 1 | ForEach-Object { "$($_.Digest) $($_.Status) $($_.ActualDiffId)" } | Sort-Object)
        $b = @(Test-ImageBlob -Path $layout -DiffId | ForEach-Object { "$($_.Digest) $($_.Status) $($_.ActualDiffId)" } | Sort-Object)
        $a | Should -Be $b
    }
}
