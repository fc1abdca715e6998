# Folder stores as closed rooms: a blob or document of an OCI layout or a skopeo dir: that is a symlink leading out
# of the store is refused (PathOutsideStore) by every reader, and nothing out there is read or changed; a symlink
# that stays inside the store is followed as before. (Registry storage, the Docker data root and containerd have
# their own cases in RegistryGarbage, DockerRoot and Bolt.)
BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Hostile.psm1') -Force

    # A copy of a fixture store whose file <Relative> is moved to a folder outside it and replaced by a symlink there.
    function New-StoreWithFileOutside([string] $Fixture, [string] $Relative, [string] $Name) {
        $store = Join-Path $TestDrive "$Name/store"
        $outside = Join-Path $TestDrive "$Name/outside"
        New-Item -ItemType Directory -Force (Split-Path $store), $outside | Out-Null
        Copy-Item -LiteralPath (Get-FixturePath $Fixture) -Destination $store -Recurse
        $inside = Join-Path $store $Relative
        $moved = Join-Path $outside (Split-Path -Leaf $Relative)
        Move-Item -LiteralPath $inside -Destination $moved
        New-Item -ItemType SymbolicLink -Path $inside -Target $moved | Out-Null
        return [pscustomobject]@{ Store = $store; Outside = $outside }
    }
    $script:layoutIndex = Get-Content -Raw (Get-FixturePath 'oci-layout/index.json') | ConvertFrom-Json
    $script:baseManifest = ($layoutIndex.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq 'base:1.0' }).digest
    $script:baseRaw = Get-Content -Raw (Get-FixturePath "oci-layout/blobs/sha256/$($baseManifest.Substring(7))") | ConvertFrom-Json
    $script:dirRaw = Get-Content -Raw (Get-FixturePath 'dir-base/manifest.json') | ConvertFrom-Json
    $script:readAll = {
        param($a)
        Get-Image -LiteralPath $a.Store | Out-Null
        Get-ImageManifest -LiteralPath $a.Store | Get-ImageLayer | Out-Null
        Test-ImageBlob -LiteralPath $a.Store -DiffId | Out-Null
    }
}

Describe 'A file of a folder store symlinked out of it (PathAttack)' {
    It 'OCI layout: <What> leading out is PathOutsideStore and nothing outside changes' -ForEach @(
        @{ What = 'index.json'; Relative = 'index.json' }
        @{ What = 'the manifest of base:1.0'; Relative = 'MANIFEST' }
        @{ What = 'the config of base:1.0'; Relative = 'CONFIG' }
        @{ What = 'a layer of base:1.0'; Relative = 'LAYER' }
    ) {
        $rel = switch ($Relative) {
            'MANIFEST' { "blobs/sha256/$($baseManifest.Substring(7))" }
            'CONFIG' { "blobs/sha256/$($baseRaw.config.digest.Substring(7))" }
            'LAYER' { "blobs/sha256/$($baseRaw.layers[0].digest.Substring(7))" }
            default { $Relative }
        }
        $s = New-StoreWithFileOutside 'oci-layout' $rel ("layout-" + ($What -replace '\W', ''))
        Invoke-HostileCase -Name "OCI layout: $What symlinked out" -Class PathAttack -Arguments $s -Action $readAll `
            -ExpectErrorId PathOutsideStore -Unchanged $s.Store, $s.Outside | Assert-HostileCase
    }

    It 'skopeo dir: <What> leading out is PathOutsideStore and nothing outside changes' -ForEach @(
        @{ What = 'manifest.json'; Relative = 'manifest.json' }
        @{ What = 'the config'; Relative = 'CONFIG' }
        @{ What = 'a layer'; Relative = 'LAYER' }
    ) {
        $rel = switch ($Relative) {
            'CONFIG' { $dirRaw.config.digest.Substring(7) }
            'LAYER' { $dirRaw.layers[0].digest.Substring(7) }
            default { $Relative }
        }
        $s = New-StoreWithFileOutside 'dir-base' $rel ("dir-" + ($What -replace '\W', ''))
        Invoke-HostileCase -Name "skopeo dir: $What symlinked out" -Class PathAttack -Arguments $s -Action $readAll `
            -ExpectErrorId PathOutsideStore -Unchanged $s.Store, $s.Outside | Assert-HostileCase
    }

    It 'a blob symlinked to another file inside the layout is still read (and verified)' {
        $store = Join-Path $TestDrive 'inside/store'
        New-Item -ItemType Directory -Force (Split-Path $store) | Out-Null
        Copy-Item -LiteralPath (Get-FixturePath 'oci-layout') -Destination $store -Recurse
        $layer = Join-Path $store "blobs/sha256/$($baseRaw.layers[0].digest.Substring(7))"
        $kept = Join-Path $store 'kept-layer'
        Move-Item -LiteralPath $layer -Destination $kept
        New-Item -ItemType SymbolicLink -Path $layer -Target $kept | Out-Null
        $results = @(Test-ImageBlob -LiteralPath $store -ErrorVariable err -ErrorAction SilentlyContinue | Where-Object Digest -eq $baseRaw.layers[0].digest)
        $err | Should -BeNullOrEmpty
        $results.Count | Should -BeGreaterThan 0
        $results.Status | Sort-Object -Unique | Should -Be 'Valid'
    }
}
