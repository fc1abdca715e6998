# One path rule: -Path (wildcards) and -LiteralPath (alias PSPath, bound by property name) name the store in every
# cmdlet that reads one; a value that cannot be read is a non-terminating error naming it, the others are still read.
BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:Layout = Get-FixturePath 'oci-layout'
    $script:StoreCmdlets = @(Get-Command -Module ImageTools | Where-Object { $_.Parameters.ContainsKey('LiteralPath') -and $_.Name -notin 'Get-ContentDigest', 'Get-ImageReference' })
}

Describe 'The -Path and -LiteralPath parameters' {
    It 'every store cmdlet has them, declared the same way' {
        $StoreCmdlets.Count | Should -BeGreaterThan 20
        foreach ($c in $StoreCmdlets) {
            $path = $c.Parameters['Path']
            $literal = $c.Parameters['LiteralPath']
            $path | Should -Not -BeNullOrEmpty -Because $c.Name
            @($path.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count | Should -Be 1 -Because $c.Name
            $literal.Aliases | Should -Contain 'PSPath' -Because $c.Name
            @($literal.ParameterSets.Values | Where-Object ValueFromPipelineByPropertyName).Count | Should -BeGreaterThan 0 -Because $c.Name
        }
    }

    It 'Get-ImageFileSystem names the store with -Path and the paths inside the image with -Include' {
        (Get-Command Get-ImageFileSystem).Parameters['Include'] | Should -Not -BeNullOrEmpty
        $byPath = @(Get-ImageFileSystem -Path $Layout -Name base:1.0 -Include '/etc/*')
        $byPipe = @(Get-Image -Path $Layout -Name base:1.0 | Get-ImageFileSystem -Include '/etc/*')
        $byPath.Count | Should -BeGreaterThan 0
        @($byPath.Path) | Should -Be @($byPipe.Path)
    }
}

Describe 'Unreadable paths' {
    It '<Command> reports <Bad> and still reads the layout' -ForEach @(
        @{ Command = 'Get-Image'; Bad = 'nosuchdrive:/x' }
        @{ Command = 'Get-Image'; Bad = 'Env:/HOME' }
        @{ Command = 'Get-Image'; Bad = '/nonexistent/imagetools/store' }
        @{ Command = 'Get-ImageManifest'; Bad = 'nosuchdrive:/x' }
        @{ Command = 'Test-ImageBlob'; Bad = 'Env:/HOME' }
    ) {
        $expected = @((Get-Content -Raw (Join-Path $Layout 'index.json') | ConvertFrom-Json).manifests).Count
        $expected | Should -BeGreaterThan 0
        $got = @(& $Command -Path $Bad, $Layout -ErrorVariable err -ErrorAction SilentlyContinue)
        $got.Count | Should -BeGreaterThan 0
        if ($Command -eq 'Get-Image') { $got.Count | Should -Be $expected }
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FileNotFound*'
        $err[0].Exception.Message | Should -BeLike "*$Bad*"
    }

    It 'Save-Image reads the other paths too' {
        $dest = Join-Path $TestDrive 'a.tar'
        Save-Image -Path 'nosuchdrive:/x', $Layout -Name base:1.0 -DestinationPath $dest -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err.Count | Should -Be 1
        $err[0].Exception.Message | Should -BeLike '*nosuchdrive:/x*'
        Test-Path $dest | Should -BeTrue
    }

    It 'Get-Item | Save-Image binds the store by PSPath' {
        $dest = Join-Path $TestDrive 'b.tar'
        $saved = Get-Item $Layout | Save-Image -Name base:1.0 -DestinationPath $dest
        @($saved.Images.Names) | Should -Be @('base:1.0')
    }
}
