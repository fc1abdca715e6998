# Save-Image -Reference and Copy-Image -Reference: pulls from a real docker-registry 2.8.2 on loopback (plain HTTP),
# judged by skopeo reading what was written (digests, platforms, configs).

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:needsRegistry = Get-RealToolNeed docker-registry, skopeo
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    if (-not (Test-RealTool docker-registry, skopeo)) { return }
    Import-Module $env:IMAGETOOLS_MODULE -Force
    . (Join-Path $PSScriptRoot 'RegistryHttp.Common.ps1')
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) "imagetools-pull-$PID-$(Get-Random)"
    New-Item -ItemType Directory -Path $work | Out-Null
    $script:expected = Get-ExpectedTags
    $script:plain = Start-HttpRegistry -Root (New-RegistryCopy (Join-Path $work 'plain')) -Dir (Join-Path $work 'plain-cfg')
    $script:a = $plain.Address
}

AfterAll {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    if (-not (Test-RealTool docker-registry, skopeo)) { return }
    Stop-HttpRegistry $plain
    if ($work -and (Test-Path $work)) { Remove-Item -Recurse -Force $work }
}

Describe 'Save-Image -Reference (pull)' @needsRegistry {
    It 'pulls every platform of an index into an OCI layout that skopeo reads with the registry''s digests' {
        $layout = Join-Path $work 'all-platforms'
        $saved = Save-Image -Reference "$a/org/team/app:latest" -AllPlatforms -Format OciLayout -DestinationPath $layout
        $saved.Images[0].Digest.ToString() | Should -BeExactly $expected['org/team/app:latest']
        $raw = [Text.Encoding]::UTF8.GetString((Get-SkopeoRawBytes "$a/org/team/app:latest")) | ConvertFrom-Json
        @($raw.manifests).Count | Should -Be 2
        foreach ($m in $raw.manifests) {
            $arch = $m.platform.architecture
            $inspect = & skopeo inspect --override-arch $arch "oci:${layout}:$a/org/team/app:latest" | Out-String | ConvertFrom-Json
            $LASTEXITCODE | Should -Be 0
            $inspect.Architecture | Should -BeExactly $arch
            $remote = Invoke-SkopeoHttp -Arguments @('inspect', '--override-arch', $arch, "docker://$a/org/team/app:latest") | Out-String | ConvertFrom-Json
            @($inspect.Layers) | Should -Be @($remote.Layers)
        }
        $index = Get-Content -Raw (Join-Path $layout 'index.json') | ConvertFrom-Json
        $index.manifests[0].digest | Should -BeExactly $expected['org/team/app:latest']
    }

    It 'pulls one platform into a docker archive that skopeo reads as that platform, with the registry''s config' {
        $tar = Join-Path $work 'arm64.tar'
        Save-Image -Reference "$a/org/team/app:latest" -Platform linux/arm64/v8 -DestinationPath $tar | Out-Null
        $inspect = & skopeo inspect "docker-archive:$tar" | Out-String | ConvertFrom-Json
        $LASTEXITCODE | Should -Be 0
        $inspect.Architecture | Should -BeExactly 'arm64'
        $config = & skopeo inspect --config "docker-archive:$tar" | Out-String | ConvertFrom-Json
        $remoteConfig = Invoke-SkopeoHttp -Arguments @('inspect', '--config', '--override-arch', 'arm64', '--override-variant', 'v8', "docker://$a/org/team/app:latest") | Out-String | ConvertFrom-Json
        @($config.rootfs.diff_ids) | Should -Be @($remoteConfig.rootfs.diff_ids)
        $manifest = & tar -xOf $tar manifest.json | Out-String | ConvertFrom-Json
        $manifest[0].RepoTags | Should -Contain "$a/org/team/app:latest"
    }

    It 'pulls by digest into an oci-archive, the image kept without a name' {
        $tar = Join-Path $work 'by-digest.tar'
        $digest = $expected['base:1.0']
        $saved = Save-Image -Reference "$a/base@$digest" -Format OciArchive -DestinationPath $tar
        $saved.Images[0].Digest.ToString() | Should -BeExactly $digest
        @($saved.Images[0].Names).Count | Should -Be 0
        $inspect = & skopeo inspect "oci-archive:$tar" | Out-String | ConvertFrom-Json
        $LASTEXITCODE | Should -Be 0
        $remote = Invoke-SkopeoHttp -Arguments @('inspect', "docker://$a/base:1.0") | Out-String | ConvertFrom-Json
        @($inspect.Layers) | Should -Be @($remote.Layers)
    }

    It 'takes references from Get-ImageReference through the pipeline and saves them into one archive' {
        $file = Join-Path $work 'deploy.yaml'
        "apiVersion: v1`nkind: Pod`nmetadata: { name: p }`nspec:`n  containers:`n    - { name: a, image: $a/base:1.0 }`n    - { name: b, image: $a/aiops/data-cleaning:2.0 }" | Set-Content $file
        $tar = Join-Path $work 'deploy.tar'
        $saved = Get-ImageReference -Path $file | Save-Image -DestinationPath $tar
        @($saved.Images).Count | Should -Be 2
        foreach ($name in 'base:1.0', 'aiops/data-cleaning:2.0') {
            $inspect = & skopeo inspect "docker-archive:${tar}:$a/$name" | Out-String | ConvertFrom-Json
            $LASTEXITCODE | Should -Be 0
            $remote = Invoke-SkopeoHttp -Arguments @('inspect', '--config', "docker://$a/$name") | Out-String | ConvertFrom-Json
            @($inspect.Layers).Count | Should -BeGreaterThan 0
            # skopeo names a docker archive's layers by their DiffIDs: those of the registry's config
            @($inspect.Layers) | Should -Be @($remote.rootfs.diff_ids)
        }
    }

    It 'pulls an archive that docker load reads, with the image ID of the registry''s config' {
        if (-not (Test-RealTool dockerd, docker)) { Set-ItResult -Skipped -Because 'dockerd is not runnable here'; return }
        $tar = Join-Path $work 'for-docker.tar'
        Save-Image -Reference "$a/aiops/data-cleaning:2.0" -DestinationPath $tar | Out-Null
        $configDigest = (Get-SkopeoRawBytes "$a/aiops/data-cleaning:2.0" | ForEach-Object { [char]$_ }) -join '' | ConvertFrom-Json | ForEach-Object { $_.config.digest }
        $configDigest | Should -Match '^sha256:'
        $daemon = Start-PrivateDockerd
        try {
            Invoke-PrivateDocker $daemon @('load', '-i', $tar) | Out-Null
            $id = Invoke-PrivateDocker $daemon @('image', 'inspect', '--format', '{{.Id}}', "$a/aiops/data-cleaning:2.0")
            "$id".Trim() | Should -BeExactly $configDigest
        } finally { Stop-PrivateDockerd $daemon }
    }

    It 'writes nothing when a reference is not in the registry' {
        $tar = Join-Path $work 'missing.tar'
        Save-Image -Reference "$a/base:1.0", "$a/base:absent" -DestinationPath $tar -ErrorVariable errs -ErrorAction SilentlyContinue | Out-Null
        ($errs | Where-Object { $_.FullyQualifiedErrorId -match '^ImageNotFound' }).Count | Should -Be 1
        Test-Path $tar | Should -BeFalse
        @(Get-ChildItem $work -Filter '*.tmp*').Count | Should -Be 0
    }
}

Describe 'Copy-Image -Reference -Destination (into an OCI layout)' @needsRegistry {
    It 'adds a pulled image to an existing layout; a second run skips the blobs already verified' {
        $layout = Join-Path $work 'copy-layout'
        $first = Copy-Image -Reference "$a/base:1.0" -Destination $layout
        $first.Images[0].Digest.ToString() | Should -BeExactly $expected['base:1.0']
        $second = Copy-Image -Reference "$a/aiops/data-cleaning:2.0" -Destination $layout
        $second.SkippedBlobCount | Should -BeGreaterThan 0
        $names = (Get-Content -Raw (Join-Path $layout 'index.json') | ConvertFrom-Json).manifests.annotations.'org.opencontainers.image.ref.name'
        @($names).Count | Should -Be 2
        foreach ($name in 'base:1.0', 'aiops/data-cleaning:2.0') {
            $inspect = & skopeo inspect "oci:${layout}:$a/$name" | Out-String | ConvertFrom-Json
            $LASTEXITCODE | Should -Be 0
            $inspect.Digest | Should -BeExactly $expected[$name]
        }
    }
}
