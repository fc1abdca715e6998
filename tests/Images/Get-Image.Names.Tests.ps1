BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    # every name each store records, with the forms a user may type for it
    $named = foreach ($i in Get-FixtureImages | Where-Object Name) {
        $i + @{ Forms = @($i.Name, $i.FullName, ($i.FullName -replace '^docker\.io/', 'index.docker.io/'), ($i.FullName -replace '^docker\.io/', '')) }
    }
    $untagged = @(Get-FixtureImages -Fixture 'docker-save-untagged.tar', 'dir-base')
}

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:layout = Get-FixturePath 'oci-layout'
    $script:layoutNames = @(Get-FixtureImages -Fixture 'oci-layout')
    function Names($Path, [string[]] $Name) {
        @(Get-Image -Path $Path -Name $Name -ErrorVariable +script:nameErr -ErrorAction SilentlyContinue | ForEach-Object Name | Sort-Object)
    }
}

Describe 'Reference normalization: <Name> in <Fixture>' -ForEach $named {
    It 'finds it as <_>' -ForEach $Forms {
        $script:nameErr = @()
        $got = @(Get-Image -Path $Path -Name $_ -ErrorVariable e -ErrorAction SilentlyContinue)
        $e | Should -BeNullOrEmpty
        $got.Count | Should -Be 1
        $got[0].Name | Should -Be $Name
        $got[0].FullName | Should -Be $FullName
        if ($RootDigest) { "$($got[0].Digest)" | Should -Be $RootDigest }
    }
}

Describe 'A repository alone selects all its tags' {
    It '<repo> in <f> gives every tag the store records for it' -ForEach @(
        @{ f = 'oci-layout'; repo = 'app' }, @{ f = 'oci-layout'; repo = 'docker.io/library/app' }, @{ f = 'oci-layout'; repo = 'multi' }
        @{ f = 'docker-save-legacy.tar'; repo = 'app' }, @{ f = 'docker-archive.tar'; repo = 'docker.io/library/app' }
        @{ f = 'ctr-export.tar'; repo = 'base' }
    ) {
        $want = @(Get-FixtureImages -Fixture $f | Where-Object { $_.FullName -like "$(ConvertTo-FullName $repo):*" } | ForEach-Object Name | Sort-Object)
        $want.Count | Should -BeGreaterThan 0
        Names (Get-FixturePath $f) $repo | Should -Be $want
    }

    It 'does not select a tag the repository does not have' {
        $got = @(Get-Image -Path $layout -Name 'base:2.0' -ErrorVariable e -ErrorAction SilentlyContinue)
        $got.Count | Should -Be 0
        $e[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound*'
    }
}

Describe 'Tags without a dot (latest, v2): <_>' -ForEach @('app:latest', 'multi:latest') {
    # distribution/reference: "app:latest" is a tag; only algorithm:hex of a known algorithm is a digest
    It 'selects the image the store names so' {
        $want = @($layoutNames | Where-Object Name -eq $_)
        $want.Count | Should -Be 1
        $got = @(Get-Image -Path $layout -Name $_ -ErrorVariable e -ErrorAction SilentlyContinue)
        $e | Should -BeNullOrEmpty
        @($got.Name) | Should -Be @($_)
        "$($got[0].Digest)" | Should -Be $want[0].RootDigest
    }
}

Describe 'Image IDs and unique prefixes' {
    It 'selects every name of an image ID (sha256 of the config skopeo reads) in <f>' -ForEach @(
        @{ f = 'oci-layout'; n = 'app:2.0' }, @{ f = 'docker-save-legacy.tar'; n = 'base:1.0' }, @{ f = 'docker-archive.tar'; n = 'app:2.0' }
    ) {
        $i = Get-FixtureImages -Fixture $f | Where-Object Name -eq $n
        $id = Get-SkopeoDigest $i.SkopeoRef -Config
        # every name whose config is the same
        $want = @(Get-FixtureImages -Fixture $f | Where-Object { $_.Name -and (Get-SkopeoDigest $_.SkopeoRef -Config) -eq $id } | ForEach-Object Name | Sort-Object)
        Names (Get-FixturePath $f) $id | Should -Be $want
        Names (Get-FixturePath $f) $id.Substring(7) | Should -Be $want
        Names (Get-FixturePath $f) $id.Substring(7, 12) | Should -Be $want
    }

    It 'selects a multi-platform image by the image ID of either platform' {
        $raw = Invoke-Skopeo "oci:${layout}:multi:latest" -Raw
        foreach ($m in $raw.manifests) {
            $id = Get-SkopeoDigest "oci:${layout}:multi:latest" -Config -Extra @('--override-arch', $m.platform.architecture)
            Names $layout $id.Substring(7, 12) | Should -Be @('multi:latest')
        }
    }

    It 'selects the unnamed image of <Fixture> by its image ID' -ForEach $untagged {
        $id = Get-SkopeoDigest $SkopeoRef -Config
        $got = @(Get-Image -Path $Path -Name $id.Substring(7, 12))
        $got.Count | Should -Be 1
        $got[0].Name | Should -BeNullOrEmpty
        @($got[0].ImageIds | ForEach-Object { "$_" }) | Should -Be @($id)
    }
}

Describe 'Digests' {
    It 'selects by the root digest alone, and by name@digest' {
        foreach ($i in $layoutNames) {
            $byDigest = Names $layout $i.RootDigest
            $want = @($layoutNames | Where-Object RootDigest -eq $i.RootDigest | ForEach-Object Name | Sort-Object)
            $byDigest | Should -Be $want
            $repo = $i.Name -replace ':[^:]*$', ''
            Names $layout "$repo@$($i.RootDigest)" | Should -Be @($layoutNames | Where-Object { $_.RootDigest -eq $i.RootDigest -and $_.Name -like "${repo}:*" } | ForEach-Object Name | Sort-Object)
        }
    }

    It 'selects nothing for a repository with a digest it does not point to' {
        $base = $layoutNames | Where-Object Name -eq 'base:1.0'
        $got = @(Get-Image -Path $layout -Name "app@$($base.RootDigest)" -ErrorVariable e -ErrorAction SilentlyContinue)
        $got.Count | Should -Be 0
        $e[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound*'
    }
}

Describe 'Wildcards' {
    It '<pattern> matches what -like matches on the store''s names' -ForEach @(
        @{ pattern = 'app:*' }, @{ pattern = '*:latest' }, @{ pattern = 'docker.io/library/*:1.0' }, @{ pattern = '*' }, @{ pattern = 'm?lti*' }
    ) {
        $want = @($layoutNames | Where-Object { $_.Name -like $pattern -or $_.FullName -like $pattern } | ForEach-Object Name | Sort-Object)
        $want.Count | Should -BeGreaterThan 0
        Names $layout $pattern | Should -Be $want
    }
}

Describe 'Several -Name values and names that match nothing' {
    It 'returns each match once, and one ImageNotFound per name that matched nothing' {
        $script:nameErr = @()
        $got = Names $layout @('base:1.0', 'nosuch:1.0', 'base', 'docker.io/library/base:1.0', 'other')
        $got | Should -Be @('base:1.0')
        $nameErr.Count | Should -Be 2
        foreach ($e in $nameErr) { $e.FullyQualifiedErrorId | Should -BeLike 'ImageNotFound*' }
    }
}
