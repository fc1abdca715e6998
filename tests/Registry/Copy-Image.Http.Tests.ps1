# Copy-Image -DestinationReference (push) and Remove-RegistryImage against real docker-registry 2.8.2 instances on
# loopback; skopeo inspects what was pushed (digests of the raw manifests, every platform, configs).

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:needsRegistry = Get-RealToolNeed docker-registry, skopeo
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    if (-not (Test-RealTool docker-registry, skopeo)) { return }
    Import-Module $env:IMAGETOOLS_MODULE -Force
    . (Join-Path $PSScriptRoot 'RegistryHttp.Common.ps1')
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) "imagetools-push-$PID-$(Get-Random)"
    New-Item -ItemType Directory -Path $work | Out-Null
    $script:layout = (Resolve-Path (Join-Path $PSScriptRoot '../Fixtures/data/oci-layout')).Path
    $script:source = Start-HttpRegistry -Root (New-RegistryCopy (Join-Path $work 'source')) -Dir (Join-Path $work 'source-cfg')
    $script:target = Start-HttpRegistry -Root (Join-Path $work 'target') -Dir (Join-Path $work 'target-cfg')
    $script:tokenPair = New-SelfSignedPair $work 'token-signer' '/CN=test-token-signer'
    $script:tokens = Start-TokenServer -Pair $tokenPair
    $script:tokened = Start-HttpRegistry -Root (Join-Path $work 'token') -Dir (Join-Path $work 'token-cfg') -Tls -TokenRealm $tokens.Realm -TokenCertificate $tokenPair.Certificate
    $script:s = $source.Address
    $script:t = $target.Address
}

AfterAll {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    if (-not (Test-RealTool docker-registry, skopeo)) { return }
    Stop-HttpRegistry $source; Stop-HttpRegistry $target; Stop-HttpRegistry $tokened; Stop-TokenServer $tokens
    if ($work -and (Test-Path $work)) { Remove-Item -Recurse -Force $work }
}

Describe 'Copy-Image -DestinationReference (push)' @needsRegistry {
    It 'pushes an OCI layout''s image; skopeo finds the manifest bytes unchanged (same digest) and reads the image' {
        $expectedDigest = 'sha256:' + [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData(
            [IO.File]::ReadAllBytes((Join-Path $layout 'blobs/sha256/5a254dd30f8171c52eef85e5bb742e8be493b3c83afe89a5d540231adef7018d')))).ToLowerInvariant()
        $pushed = Copy-Image -Path $layout -Name base:1.0 -DestinationReference "$t/pushed/base:1.0"
        $pushed.Digest.ToString() | Should -BeExactly $expectedDigest
        Get-SkopeoRawDigest "$t/pushed/base:1.0" | Should -BeExactly $expectedDigest
        $remote = Invoke-SkopeoHttp -Arguments @('inspect', "docker://$t/pushed/base:1.0") | Out-String | ConvertFrom-Json
        $local = & skopeo inspect "oci:${layout}:base:1.0" | Out-String | ConvertFrom-Json
        @($remote.Layers) | Should -Be @($local.Layers)
        $pushed.UploadedBlobCount | Should -Be (@($local.Layers).Count + 1)
    }

    It 'pushes a second time sending nothing: every blob is there already (HEAD)' {
        $again = Copy-Image -Path $layout -Name base:1.0 -DestinationReference "$t/pushed/base:1.0"
        $again.UploadedBlobCount | Should -Be 0
        $again.SkippedBlobCount | Should -BeGreaterThan 1
    }

    It 'copies a multi-platform index between registries with all its platforms, the index digest kept' {
        $digest = Get-SkopeoRawDigest "$s/org/team/app:latest"
        $pushed = Copy-Image -Reference "$s/org/team/app:latest" -DestinationReference "$t/mirror/app:latest"
        $pushed.Digest.ToString() | Should -BeExactly $digest
        Get-SkopeoRawDigest "$t/mirror/app:latest" | Should -BeExactly $digest
        $raw = [Text.Encoding]::UTF8.GetString((Get-SkopeoRawBytes "$t/mirror/app:latest")) | ConvertFrom-Json
        @($raw.manifests).Count | Should -Be 2
        foreach ($m in $raw.manifests) {
            $arch = $m.platform.architecture
            $there = Invoke-SkopeoHttp -Arguments @('inspect', '--override-arch', $arch, "docker://$t/mirror/app:latest") | Out-String | ConvertFrom-Json
            $from = Invoke-SkopeoHttp -Arguments @('inspect', '--override-arch', $arch, "docker://$s/org/team/app:latest") | Out-String | ConvertFrom-Json
            $there.Architecture | Should -BeExactly $arch
            @($there.Layers) | Should -Be @($from.Layers)
        }
    }

    It 'pushes one platform with -Platform: that platform''s manifest, its digest kept' {
        $raw = [Text.Encoding]::UTF8.GetString((Get-SkopeoRawBytes "$s/org/team/app:latest")) | ConvertFrom-Json
        $arm = $raw.manifests | Where-Object { $_.platform.architecture -eq 'arm64' }
        @($arm).Count | Should -Be 1
        $pushed = Copy-Image -Reference "$s/org/team/app:latest" -Platform linux/arm64/v8 -DestinationReference "$t/arm/app:1"
        $pushed.Digest.ToString() | Should -BeExactly $arm.digest
        Get-SkopeoRawDigest "$t/arm/app:1" | Should -BeExactly $arm.digest
    }

    It 'mounts blobs from another repository of the same registry instead of sending them' {
        $pushed = Copy-Image -Reference "$s/aiops/data-cleaning:2.0" -DestinationReference "$s/other/cleaning:2.0"
        $pushed.MountedBlobCount | Should -BeGreaterThan 0
        $pushed.UploadedBlobCount | Should -Be 0
        Get-SkopeoRawDigest "$s/other/cleaning:2.0" | Should -BeExactly (Get-SkopeoRawDigest "$s/aiops/data-cleaning:2.0")
        # skopeo can read every blob of it through the new repository
        Invoke-SkopeoHttp -Arguments @('copy', "docker://$s/other/cleaning:2.0", "dir:$(Join-Path $work 'mounted-dir')") | Out-Null
    }

    It 'pushes to a registry with token authentication, with a token for pull,push' {
        $pushed = Copy-Image -Path $layout -Name base:1.0 -DestinationReference "$($tokened.Address)/team/base:1.0" -Credential (New-TestCredential) -SkipCertificateCheck
        $tokens.State.Scopes | Should -Contain 'repository:team/base:pull,push'
        Get-SkopeoRawDigest "$($tokened.Address)/team/base:1.0" -Creds | Should -BeExactly $pushed.Digest.ToString()
    }

    It 'is refused without credentials by the token registry, naming the scope' {
        { Copy-Image -Path $layout -Name base:1.0 -DestinationReference "$($tokened.Address)/team/other:1.0" -SkipCertificateCheck -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegistryAccessDenied*'
    }

    It 'refuses two images for one destination reference, before sending anything' {
        { Copy-Image -Path $layout -Name base:1.0, app:2.0 -DestinationReference "$t/two/images:1" -ErrorAction Stop } | Should -Throw -ErrorId 'NameConflict*'
        & skopeo inspect --tls-verify=false "docker://$t/two/images:1" 2>$null | Out-Null
        $LASTEXITCODE | Should -Not -Be 0
    }
}

Describe 'Remove-RegistryImage' @needsRegistry {
    It 'shows with -WhatIf and deletes nothing' {
        Copy-Image -Path $layout -Name app:2.0 -DestinationReference "$t/doomed/app:2.0" | Out-Null
        Invoke-WithoutHost -ArgumentList "$t/doomed/app:2.0" { param($r) Remove-RegistryImage -Reference $r -WhatIf } | Should -BeNullOrEmpty
        Get-SkopeoRawDigest "$t/doomed/app:2.0" | Should -Match '^sha256:'
    }

    It 'deletes the manifest a tag names; skopeo then finds neither the tag nor the digest' {
        $digest = Get-SkopeoRawDigest "$t/doomed/app:2.0"
        $removed = Remove-RegistryImage -Reference "$t/doomed/app:2.0" -Confirm:$false -PassThru
        $removed.Digest.ToString() | Should -BeExactly $digest
        & skopeo inspect --tls-verify=false --raw "docker://$t/doomed/app:2.0" 2>$null | Out-Null
        $LASTEXITCODE | Should -Not -Be 0
        & skopeo inspect --tls-verify=false --raw "docker://$t/doomed/app@$digest" 2>$null | Out-Null
        $LASTEXITCODE | Should -Not -Be 0
    }

    It 'says ImageNotFound for a tag the registry does not have' {
        Remove-RegistryImage -Reference "$t/doomed/app:none" -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Match '^ImageNotFound'
    }
}
