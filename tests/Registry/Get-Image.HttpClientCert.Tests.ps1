# Client certificates from docker's certs.d (<host:port>/NAME.cert + NAME.key, beside the CA ca.crt) against a real
# docker-registry 2.8.2 on 127.0.0.1 that requires them (http.tls.clientcas); skopeo, reading the same folder with
# --cert-dir, is the judge of the digests. The certs.d root is a temp folder (IMAGETOOLS_DOCKER_CERTS_D).

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:needsRegistry = Get-RealToolNeed docker-registry, skopeo, openssl
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    if (-not (Test-RealTool docker-registry, skopeo, openssl)) { return }
    Import-Module $env:IMAGETOOLS_MODULE -Force
    . (Join-Path $PSScriptRoot 'RegistryHttp.Common.ps1')
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) "imagetools-clientcert-$PID-$(Get-Random)"
    New-Item -ItemType Directory -Path $work | Out-Null
    $script:client = New-ClientCertificate $work 'client'
    $script:other = New-ClientCertificate $work 'stranger'
    $script:plain = Start-HttpRegistry -Root (New-RegistryCopy (Join-Path $work 'plain')) -Dir (Join-Path $work 'plain-cfg')
    $script:mtls = Start-HttpRegistry -Root (Join-Path $work 'mtls') -Dir (Join-Path $work 'mtls-cfg') -Tls -ClientCa $client.Ca
    $script:m = $mtls.Address
    function New-CertsD([string] $Name, [string[]] $Files) {
        # a certs.d root with the registry's CA as ca.crt and the given files in <host:port>/
        $dir = Join-Path $work "$Name/$m"
        New-Item -ItemType Directory -Force $dir | Out-Null
        Copy-Item $mtls.Certificate (Join-Path $dir 'ca.crt')
        foreach ($f in $Files) { Copy-Item $f $dir }
        return $dir
    }
    $script:good = New-CertsD 'certs-good' @($client.Certificate, $client.Key)
    & skopeo copy --src-tls-verify=false --dest-cert-dir $good "docker://$($plain.Address)/base:1.0" "docker://$m/team/base:1.0" 2>&1 | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'skopeo could not push to the registry with the client certificate' }
    $script:skopeoDigest = 'sha256:' + ((& bash -c "skopeo inspect --cert-dir '$good' --raw 'docker://$m/team/base:1.0' | sha256sum") -split ' ')[0]
    $script:savedVariable = $env:IMAGETOOLS_DOCKER_CERTS_D
}

AfterAll {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    if (-not (Test-RealTool docker-registry, skopeo, openssl)) { return }
    $env:IMAGETOOLS_DOCKER_CERTS_D = $savedVariable
    Stop-HttpRegistry $plain; Stop-HttpRegistry $mtls
    if ($work -and (Test-Path $work)) { Remove-Item -Recurse -Force $work }
}

Describe 'Client certificates of certs.d' @needsRegistry {
    AfterEach { $env:IMAGETOOLS_DOCKER_CERTS_D = $savedVariable }

    It 'presents NAME.cert with NAME.key to a registry that requires a client certificate' {
        $env:IMAGETOOLS_DOCKER_CERTS_D = Split-Path $good
        $image = Get-Image -Reference "$m/team/base:1.0"
        $image.Digest.ToString() | Should -BeExactly $skopeoDigest
        ($image | Get-ImageManifest | Get-ImageLayer | Test-ImageBlob).Status | ForEach-Object { $_ | Should -Be 'Valid' }
    }

    It 'is refused without a client certificate, naming the registry' {
        $env:IMAGETOOLS_DOCKER_CERTS_D = Split-Path (New-CertsD 'certs-none' @())
        Get-Image -Reference "$m/team/base:1.0" -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Match '^RegistryUnavailable'
        "$($errs[0])" | Should -Match ([regex]::Escape($m))
    }

    It 'is refused with a certificate of another CA' {
        $env:IMAGETOOLS_DOCKER_CERTS_D = Split-Path (New-CertsD 'certs-stranger' @($other.Certificate, $other.Key))
        Get-Image -Reference "$m/team/base:1.0" -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Match '^RegistryUnavailable'
    }

    It 'says which file is missing when a certificate has no key, as dockerd does' {
        $env:IMAGETOOLS_DOCKER_CERTS_D = Split-Path (New-CertsD 'certs-nokey' @($client.Certificate))
        Get-Image -Reference "$m/team/base:1.0" -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Match '^ConfigurationUnreadable'
        "$($errs[0])" | Should -Match 'client\.key'
    }

    It 'pushes with the client certificate; skopeo reads the pushed image with the same digest' {
        $env:IMAGETOOLS_DOCKER_CERTS_D = Split-Path $good
        $pushed = Copy-Image -Reference "$($plain.Address)/base:1.0" -DestinationReference "$m/pushed/base:1.0"
        $digest = 'sha256:' + ((& bash -c "skopeo inspect --cert-dir '$good' --raw 'docker://$m/pushed/base:1.0' | sha256sum") -split ' ')[0]
        $pushed.Digest.ToString() | Should -BeExactly $digest
    }
}
