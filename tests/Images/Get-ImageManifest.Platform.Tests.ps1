# The one platform rule: -Platform takes what containerd's platforms.Parse takes (arm64 = linux/arm64/v8,
# amd64 = linux/amd64, aarch64 and x86_64 as aliases). Expected digests come from the fixture's own index file.
BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:Layout = Get-FixturePath 'oci-layout'
    $top = Get-Content -Raw (Join-Path $Layout 'index.json') | ConvertFrom-Json
    $multi = $top.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq 'multi:latest' }
    $script:Children = @((Get-Content -Raw (Join-Path $Layout ('blobs/sha256/' + $multi.digest.Substring(7))) | ConvertFrom-Json).manifests)
    $script:Arm64 = ($Children | Where-Object { $_.platform.architecture -eq 'arm64' }).digest
    $script:Amd64 = ($Children | Where-Object { $_.platform.architecture -eq 'amd64' }).digest
}

Describe '-Platform' {
    It 'has two children to choose from' {
        $Children.Count | Should -Be 2
        $Arm64 | Should -Not -Be $Amd64
    }

    It '<Value> selects the arm64 manifest in every command' -ForEach @(
        @{ Value = 'arm64' }, @{ Value = 'aarch64' }, @{ Value = 'linux/arm64' }, @{ Value = 'linux/arm64/v8' }, @{ Value = 'Linux/ARM64/8' }
    ) {
        $m = @(Get-ImageManifest -Path $Layout -Name multi:latest -Platform $Value)
        $m.Count | Should -Be 1
        $m[0].Digest.ToString() | Should -Be $Arm64
        @(Get-ImageConfig -Path $Layout -Name multi:latest -Platform $Value).Count | Should -Be 1
        (Get-Image -Path $Layout -Name multi:latest | Get-ImageManifest -Platform $Value).Digest.ToString() | Should -Be $Arm64
    }

    It '<Value> selects the amd64 manifest' -ForEach @(@{ Value = 'amd64' }, @{ Value = 'x86_64' }, @{ Value = 'linux/amd64' }) {
        (Get-ImageManifest -Path $Layout -Name multi:latest -Platform $Value).Digest.ToString() | Should -Be $Amd64
    }

    It 'Save-Image -Platform arm64 saves the arm64 manifest (read back with python tarfile)' {
        $dest = Join-Path $TestDrive 'arm.tar'
        Save-Image -Path $Layout -Name multi:latest -Platform arm64 -Destination $dest | Out-Null
        $index = python3 -c "import tarfile,json,sys; print(json.dumps(json.load(tarfile.open(sys.argv[1]).extractfile('index.json'))))" $dest | ConvertFrom-Json
        @($index.manifests).Count | Should -Be 1
        $index.manifests[0].digest | Should -Be $Arm64
    }

    It 'a platform the image lacks is PlatformNotFound naming the ones it has' {
        $m = Get-ImageManifest -Path $Layout -Name multi:latest -Platform linux/arm/v7 -ErrorVariable err -ErrorAction SilentlyContinue
        $m | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PlatformNotFound*'
        $err[0].Exception.Message | Should -BeLike '*linux/arm/v7*linux/amd64*linux/arm64/v8*'
    }

    It 'a value that is no platform stops the command with InvalidReference' {
        { Get-ImageManifest -Path $Layout -Name multi:latest -Platform nosuch -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidReference*'
        { Get-ImageManifest -Path $Layout -Name multi:latest -Platform 'linux/' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidReference*'
    }
}
