BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $multi = @(Get-FixtureImages | Where-Object IsIndex)
    $plain = @(Get-FixtureImages | Where-Object { -not $_.IsIndex })
}

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
}

Describe 'Get-ImageIndex <Fixture> <Name>: nested image index, compared with skopeo inspect --raw' -ForEach $multi {
    BeforeAll {
        $script:raw = Invoke-Skopeo $SkopeoRef -Raw
        $script:ix = @(Get-ImageIndex -Path $Path -Name ($Name -replace ':.*$', '') -ErrorVariable err)
        $script:err = $err
    }

    It 'gives the one index, no error' {
        $err | Should -BeNullOrEmpty
        $ix.Count | Should -Be 1
        $ix[0].ImageName | Should -Be $Name
    }

    It 'has the digest, size and media type of the root descriptor, = sha256 of the bytes skopeo reads' {
        "$($ix[0].Digest)" | Should -Be $RootDigest
        "$($ix[0].Digest)" | Should -Be (Get-SkopeoDigest $SkopeoRef)
        $ix[0].Size | Should -Be $RootSize
        $ix[0].MediaType | Should -Be $RootMediaType
    }

    It 'lists the manifests and platforms of the index JSON' {
        $ix[0].ManifestCount | Should -Be @($raw.manifests).Count
        @($ix[0].ManifestDigests | ForEach-Object { "$_" }) | Should -Be @($raw.manifests.digest)
        $want = foreach ($m in $raw.manifests) { (@($m.platform.os, $m.platform.architecture, $m.platform.variant) | Where-Object { $_ }) -join '/' }
        @($ix[0].Platforms) | Should -Be @($want)
    }

    It 'has the annotations of the index JSON' {
        foreach ($p in $raw.annotations.PSObject.Properties) {
            $ix[0].Annotations[$p.Name] | Should -Be $p.Value
        }
        $ix[0].Annotations.Count | Should -Be @($raw.annotations.PSObject.Properties).Count
    }

    It 'gives the same index from Get-Image in the pipeline' {
        $p = @(Get-Image -Path $Path | Where-Object Name -eq $Name | Get-ImageIndex)
        "$($p[0].Digest)" | Should -Be "$($ix[0].Digest)"
    }
}

Describe 'Get-ImageIndex <Fixture> <Name>: a single manifest has no index' -ForEach $plain {
    It 'writes nothing and no error' {
        $got = @(Get-Image -Path $Path | Where-Object { $_.Name -eq $Name -and ($Name -or -not $_.Name) } | Get-ImageIndex -ErrorVariable err)
        $got.Count | Should -Be 0
        $err | Should -BeNullOrEmpty
    }
}
