# Get-Image -Reference and the read cmdlets on images in a real docker-registry 2.8.2 over HTTP: plain HTTP on
# loopback, TLS with a self-signed certificate and htpasswd, TLS with token authentication (a token server of the
# tests' own). skopeo is the judge: it pushed what is read here, and its inspect gives the expected digests.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:needsRegistry = Get-RealToolNeed docker-registry, skopeo
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    if (-not (Test-RealTool docker-registry, skopeo)) { return }
    Import-Module $env:IMAGETOOLS_MODULE -Force
    . (Join-Path $PSScriptRoot 'RegistryHttp.Common.ps1')
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) "imagetools-http-$PID-$(Get-Random)"
    New-Item -ItemType Directory -Path $work | Out-Null
    $script:expected = Get-ExpectedTags
    # plain HTTP on loopback, over the committed storage tree written by docker-registry and skopeo
    $script:plain = Start-HttpRegistry -Root (New-RegistryCopy (Join-Path $work 'plain')) -Dir (Join-Path $work 'plain-cfg')
    # TLS + htpasswd, filled by skopeo from the plain one
    $script:secure = Start-HttpRegistry -Root (Join-Path $work 'secure') -Dir (Join-Path $work 'secure-cfg') -Tls -Htpasswd
    # TLS + token authentication
    $script:tokenPair = New-SelfSignedPair $work 'token-signer' '/CN=test-token-signer'
    $script:tokens = Start-TokenServer -Pair $tokenPair
    $script:tokened = Start-HttpRegistry -Root (Join-Path $work 'token') -Dir (Join-Path $work 'token-cfg') -Tls -TokenRealm $tokens.Realm -TokenCertificate $tokenPair.Certificate
    foreach ($target in $secure, $tokened) {
        foreach ($name in 'base:1.0', 'org/team/app:latest') {
            Invoke-SkopeoHttp -Creds -Arguments @('copy', '--all', "docker://$($plain.Address)/$name", "docker://$($target.Address)/$name") | Out-Null
        }
    }
    $script:cred = New-TestCredential
}

AfterAll {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    if (-not (Test-RealTool docker-registry, skopeo)) { return }
    Stop-HttpRegistry $plain; Stop-HttpRegistry $secure; Stop-HttpRegistry $tokened; Stop-TokenServer $tokens
    if ($work -and (Test-Path $work)) { Remove-Item -Recurse -Force $work }
}

Describe 'Get-Image -Reference on a registry over plain HTTP on loopback' @needsRegistry {
    It 'gives, for <_>, the digest skopeo inspect reported and skopeo computes from the raw manifest now' -ForEach @('base:1.0', 'aiops/data-cleaning:2.0', 'aiops/data-cleaning:zdgt', 'org/team/app:latest') {
        $image = Get-Image -Reference "$($plain.Address)/$_"
        @($image).Count | Should -Be 1
        $image.Digest.ToString() | Should -BeExactly $expected[$_]
        $image.Digest.ToString() | Should -BeExactly (Get-SkopeoRawDigest "$($plain.Address)/$_")
        $image.FullName | Should -BeExactly "$($plain.Address)/$_"
        $image.StoreKind | Should -Be 'RemoteRegistry'
    }

    It 'takes several references, a digest reference among them, and says which one the registry lacks' {
        $a = $plain.Address
        $images = Get-Image -Reference "$a/base:1.0", "$a/base@$($expected['org/team/app:latest'])", "$a/base:no-such-tag", "$a/org/team/app@$($expected['org/team/app:latest'])" -ErrorVariable errs -ErrorAction SilentlyContinue
        @($images).Count | Should -Be 2
        $images[0].Digest.ToString() | Should -BeExactly $expected['base:1.0']
        $images[1].Digest.ToString() | Should -BeExactly $expected['org/team/app:latest']
        $errs.Count | Should -Be 2
        $errs.FullyQualifiedErrorId | ForEach-Object { $_ | Should -Match '^ImageNotFound' }
        ($errs | Where-Object { "$_" -match 'no-such-tag' }).Count | Should -Be 1
    }

    It 'gives every platform of the multi-platform index, as its raw manifest lists them' {
        $raw = [Text.Encoding]::UTF8.GetString((Get-SkopeoRawBytes "$($plain.Address)/org/team/app:latest")) | ConvertFrom-Json
        $platforms = @($raw.manifests | ForEach-Object { (@($_.platform.os, $_.platform.architecture, $_.platform.variant) | Where-Object { $_ }) -join '/' })
        $platforms.Count | Should -Be 2
        $image = Get-Image -Reference "$($plain.Address)/org/team/app:latest"
        @($image.Platforms | Sort-Object) | Should -Be @($platforms | Sort-Object)
        $manifests = $image | Get-ImageManifest
        @($manifests.Digest | ForEach-Object { "$_" } | Sort-Object) | Should -Be @($raw.manifests.digest | Sort-Object)
    }

    It 'reads configs and layers as skopeo inspect does, and verifies every layer blob' {
        $ref = "$($plain.Address)/aiops/data-cleaning:2.0"
        $inspect = Invoke-SkopeoHttp -Arguments @('inspect', "docker://$ref") | Out-String | ConvertFrom-Json
        $config = Invoke-SkopeoHttp -Arguments @('inspect', '--config', "docker://$ref") | Out-String | ConvertFrom-Json
        $layers = Get-Image -Reference $ref | Get-ImageManifest | Get-ImageLayer
        @($layers).Count | Should -Be @($inspect.Layers).Count
        @($layers.Digest | ForEach-Object { "$_" }) | Should -Be @($inspect.Layers)
        $cfg = Get-Image -Reference $ref | Get-ImageConfig
        $cfg.Architecture | Should -BeExactly $config.architecture
        @($cfg.DiffIds | ForEach-Object { "$_" }) | Should -Be @($config.rootfs.diff_ids)
        $tests = $layers | Test-ImageBlob -DiffId
        @($tests).Count | Should -Be @($inspect.Layers).Count
        $tests.Status | ForEach-Object { $_ | Should -Be 'Valid' }
    }

    It 'lists the files of a layer as tar does on the blob skopeo fetched' {
        $ref = "$($plain.Address)/base:1.0"
        $dir = Join-Path $work 'skopeo-dir-base'
        Invoke-SkopeoHttp -Arguments @('copy', "docker://$ref", "dir:$dir") | Out-Null
        $first = (Invoke-SkopeoHttp -Arguments @('inspect', "docker://$ref") | Out-String | ConvertFrom-Json).Layers[0]
        $expectedNames = @(& tar -tzf (Join-Path $dir $first.Substring(7)) | ForEach-Object { '/' + $_.TrimStart('.', '/').TrimEnd('/') } | ForEach-Object { if ($_ -eq '/') { '/' } else { $_ } })
        $expectedNames.Count | Should -BeGreaterThan 0
        $entries = Get-Image -Reference $ref | Get-ImageManifest | Get-ImageLayer | Select-Object -First 1 | Get-ImageLayerEntry
        @($entries.Path | Where-Object { $_ -ne '/' }) | Should -Be @($expectedNames | Where-Object { $_ -ne '/' })
    }

    It 'takes references from Get-ImageReference through the pipeline' {
        $file = Join-Path $work 'pod.yaml'
        @"
apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  containers:
    - name: a
      image: $($plain.Address)/base:1.0
    - name: b
      image: $($plain.Address)/org/team/app:latest
"@ | Set-Content $file
        $images = Get-ImageReference -Path $file | Get-Image
        @($images).Count | Should -Be 2
        $images[0].Digest.ToString() | Should -BeExactly $expected['base:1.0']
        $images[1].Digest.ToString() | Should -BeExactly $expected['org/team/app:latest']
    }

    It 'feeds Get-ImageFileSystem and Compare-Image as a local store does: the pushed layout image is the same tree' {
        # the OCI layout fixture holds the image skopeo pushed as base:1.0 (same digest)
        $layout = (Resolve-Path (Join-Path $PSScriptRoot '../Fixtures/data/oci-layout')).Path
        $local = Get-Image -Path $layout -Name base:1.0
        $remote = Get-Image -Reference "$($plain.Address)/base:1.0"
        $remote.Digest | Should -Be $local.Digest
        $remoteTree = @($remote | Get-ImageFileSystem -ContentDigest)
        $localTree = @($local | Get-ImageFileSystem -ContentDigest)
        $remoteTree.Count | Should -BeGreaterThan 1
        @($remoteTree | ForEach-Object { "$($_.Path) $($_.ContentDigest)" }) | Should -Be @($localTree | ForEach-Object { "$($_.Path) $($_.ContentDigest)" })
        @(Compare-Image -ReferenceImage $local -DifferenceImage $remote).Count | Should -Be 0
        $measure = $remote | Get-ImageManifest | Measure-Image
        @($measure).Count | Should -Be 1
    }

    It 'refuses a reference that is not one, with InvalidReference' {
        Get-Image -Reference "$($plain.Address)/Bad_Name:1" -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Match '^InvalidReference'
    }
}

Describe 'Get-Image -Reference on a registry with TLS (self-signed) and htpasswd' @needsRegistry {
    It 'refuses the self-signed certificate without -SkipCertificateCheck or a certs.d CA' {
        Get-Image -Reference "$($secure.Address)/base:1.0" -Credential $cred -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Match '^RegistryUnavailable'
        "$($errs[0])" | Should -Match ([regex]::Escape($secure.Address))
        "$($errs[0])" | Should -Match 'certificate'
        "$($errs[0])" | Should -Match 'SkipCertificateCheck'

    }

    It 'says which registry and scope refused an anonymous request' {
        Get-Image -Reference "$($secure.Address)/base:1.0" -SkipCertificateCheck -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Match '^RegistryAccessDenied'
        "$($errs[0])" | Should -Match ([regex]::Escape($secure.Address))
        "$($errs[0])" | Should -Match 'repository:base:pull'
    }

    It 'says a wrong password is refused, naming the user' {
        Get-Image -Reference "$($secure.Address)/base:1.0" -SkipCertificateCheck -Credential (New-TestCredential -Password 'wrong') -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Match '^RegistryAccessDenied'
        "$($errs[0])" | Should -Match "'tester'"
    }

    It 'reads what skopeo pushed with the credentials, with the digests skopeo reports' {
        foreach ($name in 'base:1.0', 'org/team/app:latest') {
            $image = Get-Image -Reference "$($secure.Address)/$name" -SkipCertificateCheck -Credential $cred
            $image.Digest.ToString() | Should -BeExactly (Get-SkopeoRawDigest "$($secure.Address)/$name" -Creds)
            ($image | Get-ImageManifest | Get-ImageLayer | Test-ImageBlob).Status | ForEach-Object { $_ | Should -Be 'Valid' }
        }
    }

    It 'trusts the CA in certs.d/HOST:PORT/ca.crt, as docker does (the certs.d root moved with IMAGETOOLS_DOCKER_CERTS_D)' {
        $root = Join-Path $work 'certs.d'
        $dir = Join-Path $root $secure.Address
        $saved = $env:IMAGETOOLS_DOCKER_CERTS_D
        try {
            New-Item -ItemType Directory -Force $dir | Out-Null
            Copy-Item $secure.Certificate (Join-Path $dir 'ca.crt')
            $env:IMAGETOOLS_DOCKER_CERTS_D = $root
            $image = Get-Image -Reference "$($secure.Address)/base:1.0" -Credential $cred
            $image.Digest.ToString() | Should -BeExactly $expected['base:1.0']
        } finally { $env:IMAGETOOLS_DOCKER_CERTS_D = $saved }
    }

    It 'takes the credentials from Docker''s config.json (auths) when -Credential is not given' {
        $config = Join-Path $work 'docker-config'
        New-Item -ItemType Directory -Force $config | Out-Null
        $auth = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("${HtUser}:$HtPassword"))
        @{ auths = @{ $secure.Address = @{ auth = $auth } } } | ConvertTo-Json -Depth 4 | Set-Content (Join-Path $config 'config.json')
        $saved = $env:DOCKER_CONFIG
        try {
            $env:DOCKER_CONFIG = $config
            (Get-Image -Reference "$($secure.Address)/base:1.0" -SkipCertificateCheck).Digest.ToString() | Should -BeExactly $expected['base:1.0']
        } finally { $env:DOCKER_CONFIG = $saved }
    }
}

Describe 'Credentials from a docker credential helper' @needsRegistry {
    It 'asks docker-credential-<name> get for the host named in credHelpers' {
        $bin = Join-Path $work 'helper-bin'
        New-Item -ItemType Directory -Force $bin | Out-Null
        $log = Join-Path $work 'helper.log'
        # a helper as docker runs it: the server URL on stdin, {"Username","Secret"} on stdout
        "#!/bin/sh`nread host`necho `"`$host`" >> '$log'`necho '{`"ServerURL`":`"'`$host'`",`"Username`":`"$HtUser`",`"Secret`":`"$HtPassword`"}'`n" |
            Set-Content (Join-Path $bin 'docker-credential-imagetools-test') -NoNewline
        & chmod +x (Join-Path $bin 'docker-credential-imagetools-test')
        $config = Join-Path $work 'docker-config-helper'
        New-Item -ItemType Directory -Force $config | Out-Null
        @{ credHelpers = @{ $secure.Address = 'imagetools-test' } } | ConvertTo-Json | Set-Content (Join-Path $config 'config.json')
        $saved = $env:DOCKER_CONFIG; $savedPath = $env:PATH
        try {
            $env:DOCKER_CONFIG = $config; $env:PATH = "${bin}:$env:PATH"
            (Get-Image -Reference "$($secure.Address)/org/team/app:latest" -SkipCertificateCheck).Digest.ToString() | Should -BeExactly $expected['org/team/app:latest']
            Get-Content $log | Should -Be @($secure.Address)
        } finally { $env:DOCKER_CONFIG = $saved; $env:PATH = $savedPath }
    }
}

Describe 'Get-Image -Reference on a registry with token authentication' @needsRegistry {
    It 'is refused anonymously, naming the registry and the scope the token server would not grant' {
        Get-Image -Reference "$($tokened.Address)/base:1.0" -SkipCertificateCheck -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Match '^RegistryAccessDenied'
        "$($errs[0])" | Should -Match ([regex]::Escape($tokened.Address))
        "$($errs[0])" | Should -Match 'repository:base:pull'
    }

    It 'reads with a token fetched with the credentials, for the pull scope, and verifies every blob' {
        $image = Get-Image -Reference "$($tokened.Address)/org/team/app:latest" -SkipCertificateCheck -Credential $cred
        $image.Digest.ToString() | Should -BeExactly (Get-SkopeoRawDigest "$($tokened.Address)/org/team/app:latest" -Creds)
        $tokens.State.Scopes | Should -Contain 'repository:org/team/app:pull'
        $results = $image | Get-ImageManifest | Get-ImageLayer | Test-ImageBlob
        @($results).Count | Should -BeGreaterThan 1
        $results.Status | ForEach-Object { $_ | Should -Be 'Valid' }
    }

    It 'keeps the token for its scope: a second command asks the token server nothing' {
        Get-Image -Reference "$($tokened.Address)/base:1.0" -SkipCertificateCheck -Credential $cred | Out-Null
        $before = $tokens.State.Requests
        $again = Get-Image -Reference "$($tokened.Address)/base:1.0" -SkipCertificateCheck -Credential $cred
        $again.Digest.ToString() | Should -BeExactly $expected['base:1.0']
        $tokens.State.Requests | Should -Be $before
    }
}
