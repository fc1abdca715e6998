# Get-RegistryRepository -Uri and Get-RegistryTag -Uri on a real docker-registry 2.8.2 over HTTP (loopback), against
# the catalog and tag lists the registry answered when the fixture was made, and skopeo list-tags / inspect now.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:needsRegistry = Get-RealToolNeed docker-registry, skopeo
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    if (-not (Test-RealTool docker-registry, skopeo)) { return }
    Import-Module $env:IMAGETOOLS_MODULE -Force
    . (Join-Path $PSScriptRoot 'RegistryHttp.Common.ps1')
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) "imagetools-tags-$PID-$(Get-Random)"
    New-Item -ItemType Directory -Path $work | Out-Null
    $script:expected = Get-ExpectedTags
    $script:plain = Start-HttpRegistry -Root (New-RegistryCopy (Join-Path $work 'plain')) -Dir (Join-Path $work 'plain-cfg')
    $script:secure = Start-HttpRegistry -Root (Join-Path $work 'secure') -Dir (Join-Path $work 'secure-cfg') -Tls -Htpasswd
    Invoke-SkopeoHttp -Creds -Arguments @('copy', "docker://$($plain.Address)/base:1.0", "docker://$($secure.Address)/team/base:1.0") | Out-Null
    $script:a = $plain.Address
}

AfterAll {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    if (-not (Test-RealTool docker-registry, skopeo)) { return }
    Stop-HttpRegistry $plain; Stop-HttpRegistry $secure
    if ($work -and (Test-Path $work)) { Remove-Item -Recurse -Force $work }
}

Describe 'Get-RegistryRepository -Uri' @needsRegistry {
    It 'lists the catalog the registry answered (GET /v2/_catalog)' {
        $catalog = (Get-Content -Raw (Join-Path $RegistryExpected 'catalog.json') | ConvertFrom-Json).repositories
        @($catalog).Count | Should -BeGreaterThan 1
        $repos = Get-RegistryRepository -Uri $a
        @($repos.Repository) | Should -Be @($catalog)
        $repos[0].Registry | Should -BeExactly $a
    }

    It 'filters with -Name wildcards and says when a pattern matches nothing' {
        @((Get-RegistryRepository -Uri "http://$a" -Name 'aiops/*').Repository) | Should -Be @('aiops/data-cleaning')
        Get-RegistryRepository -Uri $a -Name 'nothing*' -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Match '^ImageNotFound'
    }

    It 'asks a registry with htpasswd with the credentials, and is refused without them' {
        (Get-RegistryRepository -Uri $secure.Address -SkipCertificateCheck -Credential (New-TestCredential)).Repository | Should -Be @('team/base')
        Get-RegistryRepository -Uri $secure.Address -SkipCertificateCheck -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Match '^RegistryAccessDenied'
        "$($errs[0])" | Should -Match 'registry:catalog:\*'
    }

    It 'speaks plain HTTP to a host that is not loopback by name only with -AllowHttp' {
        # the machine's own name resolves to 127.0.0.1 (/etc/hosts) without being a loopback name or address for docker's rule
        $name = [Environment]::MachineName
        if (-not ([System.Net.Dns]::GetHostAddresses($name).IPAddressToString -contains '127.0.0.1') -or $name -eq 'localhost') {
            Set-ItResult -Skipped -Because "the host name $name does not resolve to 127.0.0.1"
            return
        }
        $port = ($a -split ':')[1]
        Get-RegistryRepository -Uri "${name}:$port" -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Match '^RegistryUnavailable'
        $catalog = (Get-Content -Raw (Join-Path $RegistryExpected 'catalog.json') | ConvertFrom-Json).repositories
        @((Get-RegistryRepository -Uri "${name}:$port" -AllowHttp).Repository) | Should -Be @($catalog)
        $listed = (& skopeo list-tags --tls-verify=false "docker://$a/base" | Out-String | ConvertFrom-Json).Tags
        @((Get-RegistryTag -Uri "${name}:$port" -Repository base -AllowHttp).Tag | Sort-Object) | Should -Be @($listed | Sort-Object)
        Get-RegistryTag -Uri "${name}:$port" -Repository base -ErrorVariable errs2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs2[0].FullyQualifiedErrorId | Should -Match '^RegistryUnavailable'
    }

    It 'refuses an address that is not one' {
        Get-RegistryRepository -Uri 'ftp://x y' -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Match '^InvalidReference'
    }
}

Describe 'Get-RegistryTag -Uri' @needsRegistry {
    It 'lists the tags of <_> as skopeo list-tags does, each with the digest skopeo inspect reports' -ForEach @('base', 'aiops/data-cleaning', 'org/team/app') {
        $listed = (& skopeo list-tags --tls-verify=false "docker://$a/$_" | Out-String | ConvertFrom-Json).Tags
        $LASTEXITCODE | Should -Be 0
        @($listed).Count | Should -BeGreaterThan 0
        $tags = Get-RegistryTag -Uri $a -Repository $_
        @($tags.Tag) | Should -Be @($listed)
        foreach ($t in $tags) {
            $t.Digest.ToString() | Should -BeExactly $expected["$($_):$($t.Tag)"]
            $t.Reference | Should -BeExactly "$a/$($_):$($t.Tag)"
            $t.ManifestSize | Should -Be (Get-SkopeoRawBytes $t.Reference).Length
        }
    }

    It 'takes repositories from Get-RegistryRepository -Uri, and its tags feed Get-Image' {
        $tags = Get-RegistryRepository -Uri $a -Name 'aiops/*' | Get-RegistryTag
        @($tags).Count | Should -Be 3
        $images = $tags | Get-Image
        @($images).Count | Should -Be 3
        foreach ($i in $images) { $i.Digest.ToString() | Should -BeExactly $expected[$i.FullName.Substring($a.Length + 1)] }
    }

    It 'says which repository the registry does not have' {
        Get-RegistryTag -Uri $a -Repository 'no/such' -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Match '^ImageNotFound'
        "$($errs[0])" | Should -Match 'no/such'
    }
}
