# Hostile answers of a registry's referrers API to Get-ImageReferrer -Reference, from the fault-injecting server of
# tests/Registry/FaultServer.ps1 (an image made there with tar and gzip): a Link that loops, a page over the 4 MiB
# an index may have, a page that is not JSON, a descriptor whose digest is a path, a listed referrer whose manifest
# is not what its digest says. Each must end in an error with a stable id, in time; what else is found is listed.

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'Hostile.psm1') -Force
    . (Join-Path $PSScriptRoot '../Registry/RegistryHttp.Common.ps1')
    . (Join-Path $PSScriptRoot '../Registry/FaultServer.ps1')
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) "imagetools-hostile-referrers-$PID-$(Get-Random)"
    New-Item -ItemType Directory -Path $work | Out-Null
    $script:image = New-FaultImage (Join-Path $work 'image')
    $script:server = Start-FaultServer
    $script:ref = "$($server.Address)/team/app:1"
    $script:referrersPath = "/v2/team/app/referrers/$($image.ManifestDigest)"
    $script:indexType = @{ 'Content-Type' = 'application/vnd.oci.image.index.v1+json' }
    function ConvertTo-Utf8([string] $Text) { [Text.Encoding]::UTF8.GetBytes($Text) }
}

AfterAll {
    Stop-FaultServer $server
    if ($work -and (Test-Path $work)) { Remove-Item -Recurse -Force $work }
}

Describe 'Hostile referrers API answers' {
    BeforeEach { Clear-FaultServer $server }

    It 'a Link that points back at the same page: RegistryUnavailable, not a loop' {
        Add-FaultRoute $server "GET $referrersPath*" @(@{ Headers = $indexType + @{ Link = "<$referrersPath>; rel=`"next`"" }
            Body = (ConvertTo-Utf8 '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}') })
        Add-ImageRoutes $server $image
        $c = Invoke-HostileCase -Name 'Get-ImageReferrer, referrers Link loop' -Class Malformed -TimeoutSeconds 30 -ExpectErrorId RegistryUnavailable `
            -Arguments $ref -Action { param($r) Get-ImageReferrer -Reference $r }
        $c | Assert-HostileCase
        # the Link names the page just read: not asked again
        @($server.State.Log | Where-Object Key -like "GET $referrersPath*").Count | Should -Be 1
    }

    It 'a page over 4 MiB: ContentTooLarge, not read' {
        Add-FaultRoute $server "GET $referrersPath*" @(@{ Headers = $indexType; Body = (ConvertTo-Utf8 '{'); ContentLength = 5MB })
        Add-ImageRoutes $server $image
        $c = Invoke-HostileCase -Name 'Get-ImageReferrer, 5 MiB referrers page' -Class Explosion -TimeoutSeconds 30 -ExpectErrorId ContentTooLarge `
            -Arguments $ref -Action { param($r) Get-ImageReferrer -Reference $r }
        $c | Assert-HostileCase
    }

    It 'a page that is not JSON: MalformedContent' {
        Add-FaultRoute $server "GET $referrersPath*" @(@{ Headers = @{ 'Content-Type' = 'text/html' }; Body = (ConvertTo-Utf8 '<html>referrers</html>') })
        Add-ImageRoutes $server $image
        $c = Invoke-HostileCase -Name 'Get-ImageReferrer, referrers page not JSON' -Class Malformed -TimeoutSeconds 30 -ExpectErrorId MalformedContent `
            -Arguments $ref -Action { param($r) Get-ImageReferrer -Reference $r }
        $c | Assert-HostileCase
    }

    It 'a listed digest that is a path: InvalidDigest, never a request for it' {
        Add-FaultRoute $server "GET $referrersPath*" @(@{ Headers = $indexType
            Body = (ConvertTo-Utf8 '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:../../../etc/passwd","size":2}]}') })
        Add-ImageRoutes $server $image
        $c = Invoke-HostileCase -Name 'Get-ImageReferrer, referrer digest is a path' -Class PathAttack -TimeoutSeconds 30 -ExpectErrorId InvalidDigest, MalformedContent `
            -Arguments $ref -Action { param($r) Get-ImageReferrer -Reference $r }
        $c | Assert-HostileCase
        @($server.State.Log | Where-Object Key -like '*passwd*').Count | Should -Be 0
    }

    It 'a listed referrer whose manifest has other bytes: DigestMismatch, and it is still listed from the index' {
        $fake = ConvertTo-Utf8 '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/spdx+json","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}'
        $claimed = 'sha256:' + ('ab' * 32)
        Add-FaultRoute $server "GET $referrersPath*" @(@{ Headers = $indexType
            Body = (ConvertTo-Utf8 "{`"schemaVersion`":2,`"manifests`":[{`"mediaType`":`"application/vnd.oci.image.manifest.v1+json`",`"digest`":`"$claimed`",`"size`":$($fake.Length),`"artifactType`":`"application/spdx+json`"}]}") })
        Add-FaultRoute $server "* /v2/team/app/manifests/$claimed" @(@{ Headers = @{ 'Content-Type' = 'application/vnd.oci.image.manifest.v1+json' }; Body = $fake })
        Add-ImageRoutes $server $image
        $c = Invoke-HostileCase -Name 'Get-ImageReferrer, referrer manifest with other bytes' -Class Corrupt -TimeoutSeconds 30 -ExpectErrorId DigestMismatch `
            -Arguments $ref -Action { param($r) Get-ImageReferrer -Reference $r }
        $c | Assert-HostileCase
        $c.Output | Should -Be 1
    }
}
