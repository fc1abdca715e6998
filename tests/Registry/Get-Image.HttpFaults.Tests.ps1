# The registry client against a fault-injecting server of the tests' own (tests/Registry/FaultServer.ps1), for what
# the real registry will not do on demand: 429 with Retry-After, 500 then success, a connection cut mid-blob
# (resumed with Range), a blob with the wrong content, a huge manifest, a token realm on another port, a mount
# answered 202, paged catalogs and tag lists, Docker Hub's rate-limit headers. The image served is made here with
# tar and gzip; its digests are computed here from the bytes served.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:needsSkopeo = Get-RealToolNeed skopeo
}

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    . (Join-Path $PSScriptRoot 'RegistryHttp.Common.ps1')
    . (Join-Path $PSScriptRoot 'FaultServer.ps1')
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) "imagetools-faults-$PID-$(Get-Random)"
    New-Item -ItemType Directory -Path $work | Out-Null
    $script:image = New-FaultImage (Join-Path $work 'image')
    $script:server = Start-FaultServer
    $script:a = $server.Address
}

AfterAll {
    Stop-FaultServer $server
    if ($work -and (Test-Path $work)) { Remove-Item -Recurse -Force $work }
}

Describe 'Retries' {
    BeforeEach { Clear-FaultServer $server }

    It 'waits out a 429 with Retry-After and then reads the manifest' {
        Add-FaultRoute $server 'GET /v2/' @(@{ Status = 200 })
        Add-FaultRoute $server 'GET /v2/team/app/manifests/1' @(@{ Status = 429; Headers = @{ 'Retry-After' = '1' } },
            @{ Headers = @{ 'Content-Type' = 'application/vnd.oci.image.manifest.v1+json' }; Body = $image.Manifest })
        Add-ImageRoutes $server $image
        $found = Get-Image -Reference "$a/team/app:1" -Verbose 4>&1
        $img = $found | Where-Object { $_ -is [ImageTools.Image] }
        $img.Digest.ToString() | Should -BeExactly $image.ManifestDigest
        @($server.State.Log | Where-Object Key -eq 'GET /v2/team/app/manifests/1').Count | Should -Be 2
        ($found | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Out-String) | Should -Match 'answered 429'
    }

    It 'tries again after 500s and reads the layer' {
        Add-FaultRoute $server "GET /v2/team/app/blobs/$($image.LayerDigest)" @(@{ Status = 500 }, @{ Status = 503 }, @{ Body = $image.Layer })
        Add-ImageRoutes $server $image
        $result = Get-Image -Reference "$a/team/app:1" | Get-ImageManifest | Get-ImageLayer | Test-ImageBlob
        $result.Status | Should -Be 'Valid'
        @($server.State.Log | Where-Object Key -eq "GET /v2/team/app/blobs/$($image.LayerDigest)").Count | Should -BeGreaterOrEqual 3
    }

    It 'gives up after the last attempt with RegistryUnavailable, naming the registry' {
        Add-ImageRoutes $server $image
        Add-FaultRoute $server 'GET /v2/team/broken/manifests/1' @(@{ Status = 502 })
        Get-Image -Reference "$a/team/broken:1" -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Match '^RegistryUnavailable'
        "$($errs[0])" | Should -Match ([regex]::Escape($a))
        @($server.State.Log | Where-Object Key -eq 'GET /v2/team/broken/manifests/1').Count | Should -Be 5
    }
}

Describe 'Blobs verified as they stream' @needsSkopeo {
    BeforeEach { Clear-FaultServer $server }

    It 'resumes a layer cut mid-way with Range and verifies the whole' {
        $half = [int]($image.Layer.Length / 2)
        Add-FaultRoute $server "GET /v2/team/app/blobs/$($image.LayerDigest)" @(@{ Body = $image.Layer; CutAfter = $half; Ranged = $true }, @{ Body = $image.Layer; Ranged = $true })
        Add-ImageRoutes $server $image
        $tar = Join-Path $work 'resumed.tar'
        Save-Image -Reference "$a/team/app:1" -DestinationPath $tar | Out-Null
        Test-Path $tar | Should -BeTrue
        $ranged = @($server.State.Log | Where-Object { $_.Key -eq "GET /v2/team/app/blobs/$($image.LayerDigest)" -and $_.Range })
        $ranged.Count | Should -Be 1
        $ranged[0].Range | Should -Match '^bytes=\d+-$'
        [long]($ranged[0].Range -replace '\D', '') | Should -BeGreaterThan 0
        # what was saved is the layer as served: skopeo reads its DiffID from the archive
        (& skopeo inspect "docker-archive:$tar" | Out-String | ConvertFrom-Json).Layers | Should -Be @($image.DiffId)
    }

    It 'refuses a layer with the wrong content (DigestMismatch) and leaves no file' {
        $bad = [byte[]]$image.Layer.Clone(); $bad[100] = $bad[100] -bxor 0xFF
        Add-ImageRoutes $server $image -LayerAnswers @(@{ Body = $bad })
        $tar = Join-Path $work 'bad.tar'
        { Save-Image -Reference "$a/team/app:1" -DestinationPath $tar -ErrorAction Stop } | Should -Throw -ErrorId 'DigestMismatch*'
        Test-Path $tar | Should -BeFalse
        @(Get-ChildItem $work -File | Where-Object Name -like '*bad*').Count | Should -Be 0
    }

    It 'refuses a manifest whose bytes do not have the Docker-Content-Digest the registry sends' {
        Add-FaultRoute $server 'GET /v2/' @(@{ Status = 200 })
        Add-FaultRoute $server 'GET /v2/team/app/manifests/lying' @(@{ Headers = @{ 'Content-Type' = 'application/vnd.oci.image.manifest.v1+json'; 'Docker-Content-Digest' = $image.ConfigDigest }; Body = $image.Manifest })
        Get-Image -Reference "$a/team/app:lying" -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Match '^DigestMismatch'
    }

    It 'does not read a manifest over 4 MiB, whether its Content-Length says so or not' {
        Add-FaultRoute $server 'GET /v2/' @(@{ Status = 200 })
        Add-FaultRoute $server 'GET /v2/team/app/manifests/huge' @(@{ Headers = @{ 'Content-Type' = 'application/vnd.oci.image.manifest.v1+json' }; ContentLength = 5MB })
        Get-Image -Reference "$a/team/app:huge" -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Match '^ContentTooLarge'
    }
}

Describe 'Token realms' {
    BeforeEach { Clear-FaultServer $server }

    It 'follows a token realm on another port of the same host, and sends the token' {
        $tokenServer = Start-FaultServer
        try {
            Add-FaultRoute $tokenServer 'GET /token?*' @(@{ Headers = @{ 'Content-Type' = 'application/json' }; Body = [Text.Encoding]::UTF8.GetBytes('{"token":"tok-123","expires_in":300}') })
            Add-FaultRoute $server 'GET /v2/' @(@{ Status = 200 })
            Add-FaultRoute $server 'GET /v2/team/app/manifests/1' @(
                @{ Status = 401; Headers = @{ 'WWW-Authenticate' = "Bearer realm=`"http://$($tokenServer.Address)/token`",service=`"faults`",scope=`"repository:team/app:pull`"" } },
                @{ Headers = @{ 'Content-Type' = 'application/vnd.oci.image.manifest.v1+json' }; Body = $image.Manifest })
            Add-ImageRoutes $server $image
            (Get-Image -Reference "$a/team/app:1").Digest.ToString() | Should -BeExactly $image.ManifestDigest
            $asked = @($tokenServer.State.Log)
            $asked.Count | Should -Be 1
            $asked[0].Key | Should -Match 'service=faults'
            $asked[0].Key | Should -Match 'scope=repository%3Ateam%2Fapp%3Apull'
            @($server.State.Log | Where-Object { $_.Key -eq 'GET /v2/team/app/manifests/1' -and $_.Authorization -eq 'Bearer tok-123' }).Count | Should -Be 1
        } finally { Stop-FaultServer $tokenServer }
    }

    It 'exchanges docker''s identity token (config.json identitytoken) by the refresh_token grant' {
        $tokenServer = Start-FaultServer
        $config = Join-Path $work 'identity-config'
        New-Item -ItemType Directory -Force $config | Out-Null
        @{ auths = @{ $a = @{ identitytoken = 'refresh-abc' } } } | ConvertTo-Json -Depth 4 | Set-Content (Join-Path $config 'config.json')
        $saved = $env:DOCKER_CONFIG
        try {
            $env:DOCKER_CONFIG = $config
            Add-FaultRoute $tokenServer 'POST /token' @(@{ Headers = @{ 'Content-Type' = 'application/json' }; Body = [Text.Encoding]::UTF8.GetBytes('{"access_token":"from-refresh","expires_in":300}') })
            Add-FaultRoute $server 'GET /v2/' @(@{ Status = 200 })
            Add-FaultRoute $server 'GET /v2/team/app/manifests/1' @(
                @{ Status = 401; Headers = @{ 'WWW-Authenticate' = "Bearer realm=`"http://$($tokenServer.Address)/token`",service=`"faults`"" } },
                @{ Headers = @{ 'Content-Type' = 'application/vnd.oci.image.manifest.v1+json' }; Body = $image.Manifest })
            Add-ImageRoutes $server $image
            (Get-Image -Reference "$a/team/app:1").Digest.ToString() | Should -BeExactly $image.ManifestDigest
            $form = [Text.Encoding]::UTF8.GetString($tokenServer.State.Bodies['POST /token'])
            $form | Should -Match 'grant_type=refresh_token'
            $form | Should -Match 'refresh_token=refresh-abc'
            $form | Should -Match 'scope=repository%3Ateam%2Fapp%3Apull'
            @($server.State.Log | Where-Object { $_.Authorization -eq 'Bearer from-refresh' }).Count | Should -BeGreaterThan 0
        } finally { $env:DOCKER_CONFIG = $saved; Stop-FaultServer $tokenServer }
    }

    It 'refuses a plain-HTTP realm on another host, sending it nothing' {
        Add-FaultRoute $server 'GET /v2/' @(@{ Status = 200 })
        Add-FaultRoute $server 'GET /v2/team/app/manifests/1' @(@{ Status = 401; Headers = @{ 'WWW-Authenticate' = 'Bearer realm="http://elsewhere.invalid/token",service="x"' } })
        Get-Image -Reference "$a/team/app:1" -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Match '^RegistryAccessDenied'
        "$($errs[0])" | Should -Match 'only over HTTPS'
    }
}

Describe 'Push: a mount the registry answers with 202' {
    BeforeEach { Clear-FaultServer $server }

    It 'uploads into the upload the 202 opened, and pushes the manifest bytes unchanged' {
        Add-ImageRoutes $server $image -Repository 'source/app'
        Add-FaultRoute $server 'HEAD /v2/dest/app/blobs/*' @(@{ Status = 404 })
        Add-FaultRoute $server 'POST /v2/dest/app/blobs/uploads/?mount=*' @(@{ Status = 202; Headers = @{ Location = '/v2/dest/app/blobs/uploads/session-1' } })
        Add-FaultRoute $server 'PUT /v2/dest/app/blobs/uploads/session-1?digest=*' @(@{ Status = 201 })
        Add-FaultRoute $server 'PUT /v2/dest/app/manifests/2' @(@{ Status = 201; Headers = @{ 'Docker-Content-Digest' = $image.ManifestDigest } })
        $pushed = Copy-Image -Reference "$a/source/app:1" -DestinationReference "$a/dest/app:2"
        $pushed.Digest.ToString() | Should -BeExactly $image.ManifestDigest
        $pushed.UploadedBlobCount | Should -Be 2
        @($server.State.Log | Where-Object Key -like 'POST /v2/dest/app/blobs/uploads/?mount=*from=source%2Fapp').Count | Should -Be 2
        $layerPut = "PUT /v2/dest/app/blobs/uploads/session-1?digest=$([uri]::EscapeDataString($image.LayerDigest))"
        Get-BytesDigest $server.State.Bodies[$layerPut] | Should -BeExactly $image.LayerDigest
        Get-BytesDigest $server.State.Bodies['PUT /v2/dest/app/manifests/2'] | Should -BeExactly $image.ManifestDigest
    }
}

Describe 'Push: an upload that fails' {
    BeforeEach { Clear-FaultServer $server }

    It 'sends a blob again from its first byte after a 500, and the registry gets the whole blob' {
        Add-ImageRoutes $server $image -Repository 'source/app'
        Add-FaultRoute $server 'HEAD /v2/dest/app/blobs/*' @(@{ Status = 404 })
        Add-FaultRoute $server 'POST /v2/dest/app/blobs/uploads/*' @(@{ Status = 202; Headers = @{ Location = "http://$a/v2/dest/app/blobs/uploads/s2" } })
        $layerPut = "PUT /v2/dest/app/blobs/uploads/s2?digest=$([uri]::EscapeDataString($image.LayerDigest))"
        Add-FaultRoute $server $layerPut @(@{ Status = 500 }, @{ Status = 201 })
        Add-FaultRoute $server 'PUT /v2/dest/app/blobs/uploads/s2?digest=*' @(@{ Status = 201 })
        Add-FaultRoute $server 'PUT /v2/dest/app/manifests/3' @(@{ Status = 201 })
        $pushed = Copy-Image -Reference "$a/source/app:1" -DestinationReference "$a/dest/app:3"
        $pushed.UploadedBlobCount | Should -Be 2
        $puts = @($server.State.Log | Where-Object Key -eq $layerPut)
        $puts.Count | Should -Be 2
        $puts | ForEach-Object { $_.BodyLength | Should -Be $image.Layer.Length }
        Get-BytesDigest $server.State.Bodies[$layerPut] | Should -BeExactly $image.LayerDigest
    }
}

Describe 'Push: chunked uploads' {
    BeforeEach { Clear-FaultServer $server }

    It 'sends a blob in chunks of OCI-Chunk-Min-Length once the whole-blob upload failed, going on from where a cut chunk stopped' {
        $min = 100000
        $server.State.Received = [System.IO.MemoryStream]::new()
        $server.State.Ranges = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
        Add-ImageRoutes $server $image -Repository 'source/app'
        Add-FaultRoute $server 'HEAD /v2/chunk/app/blobs/*' @(@{ Status = 404 })
        Add-FaultRoute $server 'POST /v2/chunk/app/blobs/uploads/*' @(@{ Status = 202; Headers = @{ Location = '/v2/chunk/app/blobs/uploads/c1'; 'OCI-Chunk-Min-Length' = "$min" } })
        # a registry that keeps failing whole-blob uploads of the layer, takes chunks only at the offset it holds, and
        # keeps half of the second chunk before its connection drops
        Add-FaultRoute $server "PUT /v2/chunk/app/blobs/uploads/c1?digest=$([uri]::EscapeDataString($image.LayerDigest))" @(@{ Script = {
            param($req, $body, $state)
            if ($body.Length -gt 0) { return @{ Status = 500; Headers = @{ 'Retry-After' = '0' } } }
            $got = 'sha256:' + [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($state.Received.ToArray())).ToLowerInvariant()
            if ($req.Url.Query -like "*digest=$([uri]::EscapeDataString($got))") { @{ Status = 201 } } else { @{ Status = 400 } }
        } })
        Add-FaultRoute $server 'PUT /v2/chunk/app/blobs/uploads/c1?digest=*' @(@{ Status = 201 })
        Add-FaultRoute $server 'PATCH /v2/chunk/app/blobs/uploads/c1' @(@{ Script = {
            param($req, $body, $state)
            $range = $req.Headers['Content-Range']
            $null = $state.Ranges.Add($range)
            if ([long]($range -split '-')[0] -ne $state.Received.Length) { return @{ Status = 416 } }
            if ($state.Ranges.Count -eq 2) { $state.Received.Write($body, 0, [int]($body.Length / 2)); return @{ Status = 500 } }
            $state.Received.Write($body, 0, $body.Length)
            @{ Status = 202; Headers = @{ Location = '/v2/chunk/app/blobs/uploads/c1'; Range = "0-$($state.Received.Length - 1)" } }
        } })
        Add-FaultRoute $server 'GET /v2/chunk/app/blobs/uploads/c1' @(@{ Script = {
            param($req, $body, $state)
            @{ Status = 204; Headers = @{ Range = "0-$($state.Received.Length - 1)" } }
        } })
        Add-FaultRoute $server 'PUT /v2/chunk/app/manifests/4' @(@{ Status = 201 })
        $pushed = Copy-Image -Reference "$a/source/app:1" -DestinationReference "$a/chunk/app:4"
        $pushed.UploadedBlobCount | Should -Be 2
        Get-BytesDigest $server.State.Received.ToArray() | Should -BeExactly $image.LayerDigest
        # chunks of $min bytes; the second is cut half way and goes on from byte 150000
        $size = $image.Layer.Length
        $size | Should -BeGreaterThan (2 * $min)
        $expected = @('0-99999', '100000-199999', '150000-199999')
        for ($at = 2 * $min; $at -lt $size; $at += $min) { $expected += "$at-$([Math]::Min($at + $min, $size) - 1)" }
        @($server.State.Ranges) | Should -Be $expected
        @($server.State.Log | Where-Object Key -eq 'GET /v2/chunk/app/blobs/uploads/c1').Count | Should -Be 1
    }
}

Describe 'Paged lists and rate limits' {
    BeforeEach { Clear-FaultServer $server }

    It 'follows the Link header through every page of the catalog' {
        Add-FaultRoute $server 'GET /v2/' @(@{ Status = 200 })
        Add-FaultRoute $server 'GET /v2/_catalog?n=*' @(@{ Headers = @{ Link = '</v2/_catalog?last=b&n=2>; rel="next"' }; Body = [Text.Encoding]::UTF8.GetBytes('{"repositories":["a","b"]}') })
        Add-FaultRoute $server 'GET /v2/_catalog?last=b*' @(@{ Headers = @{ Link = '</v2/_catalog?last=d&n=2>; rel="next"' }; Body = [Text.Encoding]::UTF8.GetBytes('{"repositories":["c","d"]}') })
        Add-FaultRoute $server 'GET /v2/_catalog?last=d*' @(@{ Body = [Text.Encoding]::UTF8.GetBytes('{"repositories":["e"]}') })
        @((Get-RegistryRepository -Uri $a).Repository) | Should -Be @('a', 'b', 'c', 'd', 'e')
    }

    It 'follows the pages of a tag list and gives each tag the digest of its HEAD' {
        Add-ImageRoutes $server $image -Tag '*'
        Add-FaultRoute $server 'GET /v2/team/app/tags/list?n=*' @(@{ Headers = @{ Link = '<http://ignored.example/v2/team/app/tags/list?last=1&n=1>; rel="next"' }; Body = [Text.Encoding]::UTF8.GetBytes('{"name":"team/app","tags":["1"]}') })
        Add-FaultRoute $server 'GET /v2/team/app/tags/list?last=1*' @(@{ Body = [Text.Encoding]::UTF8.GetBytes('{"name":"team/app","tags":["2"]}') })
        $tags = Get-RegistryTag -Uri $a -Repository team/app
        @($tags.Tag) | Should -Be @('1', '2')
        $tags.Digest | ForEach-Object { "$_" | Should -BeExactly $image.ManifestDigest }
        @($server.State.Log | Where-Object Key -like 'HEAD /v2/team/app/manifests/*').Count | Should -Be 2
    }

    It 'reports Docker Hub''s rate-limit headers, and warns when few pulls are left' {
        Add-FaultRoute $server 'GET /v2/' @(@{ Status = 200 })
        Add-FaultRoute $server '* /v2/team/app/manifests/1' @(@{ Headers = @{ 'Content-Type' = 'application/vnd.oci.image.manifest.v1+json'; 'RateLimit-Limit' = '100;w=21600'; 'RateLimit-Remaining' = '3;w=21600' }; Body = $image.Manifest })
        Add-ImageRoutes $server $image
        $out = Get-Image -Reference "$a/team/app:1" -Verbose -WarningVariable warns 4>&1 3>$null
        ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Out-String) | Should -Match '3 of 100'
        @($warns).Count | Should -Be 1
        "$($warns[0])" | Should -Match '3 more pulls of 100'
    }
}
