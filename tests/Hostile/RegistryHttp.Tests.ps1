# Hostile cases for registries over HTTP: a registry (the fault-injecting server of tests/Registry/FaultServer.ps1,
# HttpListener on 127.0.0.1) that serves wrong blobs, oversized or endless bodies, malformed JSON, looping pages, a
# token realm over plain HTTP on another host, a digest header that contradicts the body. Each must end in a clear
# error with a stable id, nothing at the destination and no temporary file beside it. The image is made here with
# tar and gzip (New-FaultImage); every damaged answer is built from its bytes in this file.

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Hostile.psm1') -Force
    . (Join-Path $PSScriptRoot '../Registry/RegistryHttp.Common.ps1')
    . (Join-Path $PSScriptRoot '../Registry/FaultServer.ps1')
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) "imagetools-hostile-http-$PID-$(Get-Random)"
    New-Item -ItemType Directory -Path $work | Out-Null
    $script:image = New-FaultImage (Join-Path $work 'image')
    $script:server = Start-FaultServer
    $script:a = $server.Address
    $script:outDir = Join-Path $work 'out'
    New-Item -ItemType Directory -Path $outDir | Out-Null

    function Invoke-Pull([string] $Name, [hashtable] $LayerAnswer, [string[]] $Expect, [string] $Format = 'OciLayout') {
        # Save-Image -Reference of the fault image whose layer is answered with $LayerAnswer
        Clear-FaultServer $server
        Add-ImageRoutes $server $image -LayerAnswers @($LayerAnswer)
        $dest = Join-Path $outDir ($Name -replace '\W', '-')
        Invoke-HostileCase -Name "pull: $Name ($Format)" -Class HttpFault -Arguments @{ Ref = "$a/team/app:1"; Dest = $dest; Format = $Format } -Action {
            param($x) Save-Image -Reference $x.Ref -Format $x.Format -DestinationPath $x.Dest
        } -ExpectErrorId $Expect -Destination $dest -NoTempFilesIn $outDir -TimeoutSeconds 120
    }

    function New-Bytes([string] $Text) { [Text.Encoding]::UTF8.GetBytes($Text) }
}

AfterAll {
    Stop-FaultServer $server
    if ($work -and (Test-Path $work)) { Remove-Item -Recurse -Force $work }
}

Describe 'Blobs from a hostile registry' {
    It 'a layer with wrong content of the right size: DigestMismatch, nothing written (<_>)' -ForEach @('OciLayout', 'DockerArchive') {
        $bad = [byte[]]$image.Layer.Clone(); $bad[1000] = $bad[1000] -bxor 0xFF
        Invoke-Pull 'wrong content' @{ Body = $bad } @('DigestMismatch') -Format $_ | Assert-HostileCase
    }

    It 'a layer with bytes past its size: SizeMismatch' {
        Invoke-Pull 'too long' @{ Body = [byte[]]($image.Layer + [byte[]]::new(4096)) } @('SizeMismatch') | Assert-HostileCase
    }

    It 'a layer that ends short every time, ranges included: SizeMismatch or RegistryUnavailable' {
        Invoke-Pull 'too short' @{ Body = [byte[]]$image.Layer[0..1000]; Ranged = $true } @('SizeMismatch', 'RegistryUnavailable') | Assert-HostileCase
    }

    It 'an endless layer body (1 GiB promised for a 300 KiB blob): stopped at the descriptor''s size' {
        $case = Invoke-Pull 'endless' @{ Body = $image.Layer; ContentLength = 1GB } @('SizeMismatch')
        $case | Assert-HostileCase
        $case.Seconds | Should -BeLessThan 100
    }

    It 'a config whose Docker-Content-Digest and bytes disagree with the manifest: DigestMismatch' {
        Clear-FaultServer $server
        Add-FaultRoute $server "* /v2/team/app/blobs/$($image.ConfigDigest)" @(@{ Body = (New-Bytes '{"architecture":"amd64","os":"linux"}'); Headers = @{ 'Docker-Content-Digest' = $image.ConfigDigest } })
        Add-ImageRoutes $server $image
        $dest = Join-Path $outDir 'config-digest'
        Invoke-HostileCase -Name 'pull: config with other bytes' -Class HttpFault -Arguments @{ Ref = "$a/team/app:1"; Dest = $dest } -Action {
            param($x) Save-Image -Reference $x.Ref -Format OciLayout -DestinationPath $x.Dest
        } -ExpectErrorId DigestMismatch, SizeMismatch -Destination $dest -NoTempFilesIn $outDir | Assert-HostileCase
    }
}

Describe 'Manifests from a hostile registry' {
    It 'a manifest over the 4 MiB cap, endless: ContentTooLarge, not read' {
        Clear-FaultServer $server
        Add-FaultRoute $server 'GET /v2/' @(@{ Status = 200 })
        Add-FaultRoute $server '* /v2/team/big/manifests/1' @(@{ Headers = @{ 'Content-Type' = 'application/vnd.oci.image.manifest.v1+json' }; Body = (New-Bytes '{'); ContentLength = 64MB })
        Invoke-HostileCase -Name 'manifest over the cap' -Class HttpFault -Arguments "$a/team/big:1" -Action {
            param($r) Get-Image -Reference $r
        } -ExpectErrorId ContentTooLarge | Assert-HostileCase
    }

    It 'a manifest that is not JSON (its digest header right): MalformedContent, nothing written' {
        $bytes = New-Bytes '{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "layers": ['
        Clear-FaultServer $server
        Add-FaultRoute $server 'GET /v2/' @(@{ Status = 200 })
        Add-FaultRoute $server '* /v2/team/broken/manifests/1' @(@{ Headers = @{ 'Content-Type' = 'application/vnd.oci.image.manifest.v1+json'; 'Docker-Content-Digest' = (Get-BytesDigest $bytes) }; Body = $bytes })
        $dest = Join-Path $outDir 'malformed-manifest'
        Invoke-HostileCase -Name 'malformed manifest' -Class HttpFault -Arguments @{ Ref = "$a/team/broken:1"; Dest = $dest } -Action {
            param($x) Save-Image -Reference $x.Ref -Format OciLayout -DestinationPath $x.Dest
        } -ExpectErrorId MalformedContent -Destination $dest -NoTempFilesIn $outDir | Assert-HostileCase
    }

    It 'a manifest whose Docker-Content-Digest disagrees with its bytes: DigestMismatch' {
        Clear-FaultServer $server
        Add-FaultRoute $server 'GET /v2/' @(@{ Status = 200 })
        Add-FaultRoute $server '* /v2/team/lying/manifests/1' @(@{ Headers = @{ 'Content-Type' = 'application/vnd.oci.image.manifest.v1+json'; 'Docker-Content-Digest' = $image.ConfigDigest }; Body = $image.Manifest })
        Invoke-HostileCase -Name 'digest header against the body' -Class HttpFault -Arguments "$a/team/lying:1" -Action {
            param($r) Get-Image -Reference $r
        } -ExpectErrorId DigestMismatch | Assert-HostileCase
    }

    It 'a manifest asked by digest that comes back as other bytes: DigestMismatch' {
        Clear-FaultServer $server
        Add-FaultRoute $server 'GET /v2/' @(@{ Status = 200 })
        Add-FaultRoute $server "* /v2/team/swap/manifests/$($image.ManifestDigest)" @(@{ Headers = @{ 'Content-Type' = 'application/vnd.oci.image.manifest.v1+json' }; Body = (New-Bytes '{"schemaVersion":2}') })
        Invoke-HostileCase -Name 'manifest by digest with other bytes' -Class HttpFault -Arguments "$a/team/swap@$($image.ManifestDigest)" -Action {
            param($r) Get-Image -Reference $r
        } -ExpectErrorId DigestMismatch | Assert-HostileCase
    }
}

Describe 'Lists from a hostile registry' {
    It 'a tag list that is not JSON: a clear error' {
        Clear-FaultServer $server
        Add-FaultRoute $server 'GET /v2/' @(@{ Status = 200 })
        Add-FaultRoute $server 'GET /v2/team/app/tags/list*' @(@{ Body = (New-Bytes '{"name":"team/app","tags":["1",') })
        Invoke-HostileCase -Name 'malformed tag list' -Class HttpFault -Arguments $a -Action {
            param($u) Get-RegistryTag -Uri $u -Repository team/app
        } -ExpectErrorId MalformedContent, RegistryUnavailable | Assert-HostileCase
    }

    It 'a catalog that is not JSON: a clear error' {
        Clear-FaultServer $server
        Add-FaultRoute $server 'GET /v2/' @(@{ Status = 200 })
        Add-FaultRoute $server 'GET /v2/_catalog*' @(@{ Body = (New-Bytes '{"repositories":{"a":1}}') })
        Invoke-HostileCase -Name 'malformed catalog' -Class HttpFault -Arguments $a -Action {
            param($u) Get-RegistryRepository -Uri $u
        } -ExpectErrorId MalformedContent, RegistryUnavailable | Assert-HostileCase
    }

    It 'a tag list naming something that is not a tag: a clear error for it, no request built from it' {
        Clear-FaultServer $server
        Add-ImageRoutes $server $image
        Add-FaultRoute $server 'GET /v2/team/app/tags/list*' @(@{ Body = (New-Bytes '{"name":"team/app","tags":["1","../../../v2/_catalog"]}') })
        $case = Invoke-HostileCase -Name 'tag list with a path for a tag' -Class HttpFault -Arguments $a -Action {
            param($u) Get-RegistryTag -Uri $u -Repository team/app
        } -ExpectErrorId InvalidReference, MalformedContent
        $case | Assert-HostileCase
        @($server.State.Log | Where-Object { $_.Key -like '*_catalog*' -or $_.Key -like '*..*' }).Count | Should -Be 0
    }

    It 'a Link header that points back to its own page: stopped, not followed for ever' {
        Clear-FaultServer $server
        Add-FaultRoute $server 'GET /v2/' @(@{ Status = 200 })
        Add-FaultRoute $server 'GET /v2/_catalog*' @(@{ Headers = @{ Link = '</v2/_catalog?last=a&n=100>; rel="next"' }; Body = (New-Bytes '{"repositories":["a"]}') })
        Invoke-HostileCase -Name 'looping Link' -Class HttpFault -Arguments $a -Action {
            param($u) Get-RegistryRepository -Uri $u
        } -ExpectErrorId RegistryUnavailable | Assert-HostileCase
    }
}

Describe 'Uploads to a hostile registry' {
    It 'an upload Location with ''..'' in its path: refused, nothing sent there' {
        Clear-FaultServer $server
        Add-ImageRoutes $server $image
        Add-FaultRoute $server 'HEAD /v2/team/dest/blobs/*' @(@{ Status = 404 })
        Add-FaultRoute $server 'POST /v2/team/dest/blobs/uploads/*' @(@{ Status = 202; Headers = @{ Location = '/v2/team/dest/blobs/uploads/../../../../../admin/x' } })
        Add-FaultRoute $server 'PUT /admin/*' @(@{ Status = 201 })
        Add-FaultRoute $server 'PUT /v2/team/dest/manifests/*' @(@{ Status = 201 })
        Invoke-HostileCase -Name 'upload Location with ..' -Class HttpFault -Arguments @{ Src = "$a/team/app:1"; Dest = "$a/team/dest:1" } -Action {
            param($x) Copy-Image -Reference $x.Src -DestinationReference $x.Dest
        } -ExpectErrorId RegistryUnavailable | Assert-HostileCase
        @($server.State.Log | Where-Object { $_.Key -like '* /admin*' -or $_.Key -like 'PUT /v2/team/dest/manifests/*' }).Count | Should -Be 0
    }

    It 'an upload Location on another host: the blob goes there, the credentials do not' {
        $other = Start-FaultServer
        try {
            Clear-FaultServer $server
            Add-ImageRoutes $server $image
            Add-FaultRoute $server 'HEAD /v2/team/dest/blobs/*' @(@{ Status = 401; Headers = @{ 'WWW-Authenticate' = 'Basic realm="r"' } }, @{ Status = 404 })
            Add-FaultRoute $server 'POST /v2/team/dest/blobs/uploads/*' @(@{ Status = 202; Headers = @{ Location = "http://$($other.Address)/upload/x" } })
            Add-FaultRoute $server 'PUT /v2/team/dest/manifests/*' @(@{ Status = 201 })
            Add-FaultRoute $other 'PUT /upload/x*' @(@{ Status = 201 })
            $case = Invoke-HostileCase -Name 'upload Location on another host' -Class HttpFault -SuccessAllowed `
                -Arguments @{ Src = "$a/team/app:1"; Dest = "$a/team/dest:1" } -Action {
                param($x) Copy-Image -Reference $x.Src -DestinationReference $x.Dest -Credential ([pscredential]::new('u', (ConvertTo-SecureString 'p' -AsPlainText -Force)))
            } -LiveCheck {
                @($other.State.Log | Where-Object Authorization | ForEach-Object { "credentials sent to $($other.Address): $($_.Key)" })
            }
            $case | Assert-HostileCase -Accept Tolerated
            @($other.State.Log | Where-Object Key -like 'PUT /upload/x*').Count | Should -Be 2
            # the registry itself did get them
            @($server.State.Log | Where-Object { $_.Key -like 'PUT /v2/team/dest/manifests/*' -and $_.Authorization -like 'Basic *' }).Count | Should -Be 1
        } finally { Stop-FaultServer $other }
    }
}

Describe 'Authentication from a hostile registry' {
    It 'a token realm over plain HTTP on another host: refused, nothing sent there' {
        Clear-FaultServer $server
        Add-FaultRoute $server 'GET /v2/' @(@{ Status = 401; Headers = @{ 'WWW-Authenticate' = 'Bearer realm="http://127.0.0.2:9/token",service="x"' } })
        Add-FaultRoute $server '* /v2/team/app/manifests/1' @(@{ Status = 401; Headers = @{ 'WWW-Authenticate' = 'Bearer realm="http://127.0.0.2:9/token",service="x",scope="repository:team/app:pull"' } })
        $case = Invoke-HostileCase -Name 'plain-HTTP realm on another host' -Class HttpFault -Arguments "$a/team/app:1" -Action {
            param($r) Get-Image -Reference $r -Credential ([pscredential]::new('u', (ConvertTo-SecureString 'p' -AsPlainText -Force)))
        } -ExpectErrorId RegistryAccessDenied
        $case | Assert-HostileCase
        ($case.Messages -join ' ') | Should -Match ([regex]::Escape($a))
    }
}
