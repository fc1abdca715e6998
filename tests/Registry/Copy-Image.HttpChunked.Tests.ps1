# Chunked uploads against the real docker-registry 2.8.2: a proxy of the tests' own (the fault server, forwarding
# each request to the registry with HttpClient) refuses every whole-blob upload with 500, so Copy-Image sends each
# blob again in chunks (PATCH with Content-Range, then PUT ?digest= without a body), which the real registry must
# accept; skopeo then reads the pushed image straight from the registry and checks its blobs.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:needsRegistry = Get-RealToolNeed docker-registry, skopeo
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    if (-not (Test-RealTool docker-registry, skopeo)) { return }
    Import-Module $env:IMAGETOOLS_MODULE -Force
    . (Join-Path $PSScriptRoot 'RegistryHttp.Common.ps1')
    . (Join-Path $PSScriptRoot 'FaultServer.ps1')
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) "imagetools-chunked-$PID-$(Get-Random)"
    New-Item -ItemType Directory -Path $work | Out-Null
    $script:expected = Get-ExpectedTags
    $script:source = Start-HttpRegistry -Root (New-RegistryCopy (Join-Path $work 'source')) -Dir (Join-Path $work 'source-cfg')
    $script:target = Start-HttpRegistry -Root (Join-Path $work 'target') -Dir (Join-Path $work 'target-cfg')
    $script:proxy = Start-FaultServer


}

AfterAll {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    if (-not (Test-RealTool docker-registry, skopeo)) { return }
    Stop-FaultServer $proxy
    Stop-HttpRegistry $source; Stop-HttpRegistry $target
    if ($work -and (Test-Path $work)) { Remove-Item -Recurse -Force $work }
}

Describe 'Copy-Image -DestinationReference in chunks, to the real registry' @needsRegistry {
    It 'sends every blob in chunks once whole-blob uploads fail; skopeo reads the image with the source''s digest' {
        $proxy.State.Target = "http://$($target.Address)"
        $proxy.State.Self = "http://$($proxy.Address)"
        Add-FaultRoute $proxy '*' @(@{ Script = {
            param($req, $body, $state)
            # a whole-blob upload (a PUT with a body to an upload session) fails; everything else goes to the registry
            if ($req.HttpMethod -eq 'PUT' -and $req.Url.AbsolutePath -like '*/blobs/uploads/*' -and $body.Length -gt 0) {
                return @{ Status = 500; Headers = @{ 'Retry-After' = '0' } }
            }
            $client = [System.Net.Http.HttpClient]::new([System.Net.Http.HttpClientHandler]@{ AllowAutoRedirect = $false })
            $forward = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::new($req.HttpMethod), $state.Target + $req.Url.PathAndQuery)
            $payload = [byte[]]::new(0)
            if ($body) { $payload = [byte[]]$body }
            $content = [System.Net.Http.ByteArrayContent]::new($payload)
            foreach ($h in 'Content-Type', 'Content-Range') { if ($req.Headers[$h]) { $null = $content.Headers.TryAddWithoutValidation($h, $req.Headers[$h]) } }
            if ($req.HttpMethod -notin 'GET', 'HEAD') { $forward.Content = $content }
            foreach ($h in 'Accept', 'Authorization') { if ($req.Headers[$h]) { $null = $forward.Headers.TryAddWithoutValidation($h, $req.Headers[$h]) } }
            $answer = $client.SendAsync($forward).GetAwaiter().GetResult()
            $headers = @{}
            foreach ($h in 'Location', 'Range', 'Docker-Content-Digest', 'Docker-Upload-UUID') {
                $v = $null
                if ($answer.Headers.TryGetValues($h, [ref]$v)) { $headers[$h] = (@($v)[0]).Replace($state.Target, $state.Self) }
            }
            $bytes = $answer.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult()
            if ($answer.Content.Headers.ContentType) { $headers['Content-Type'] = $answer.Content.Headers.ContentType.ToString() }
            @{ Status = [int]$answer.StatusCode; Headers = $headers; Body = $bytes; ContentLength = $(if ($req.HttpMethod -eq 'HEAD') { $answer.Content.Headers.ContentLength } else { $null }) }
        } })
        $pushed = Copy-Image -Reference "$($source.Address)/base:1.0" -DestinationReference "$($proxy.Address)/chunky/base:1.0"
        $pushed.Digest.ToString() | Should -BeExactly $expected['base:1.0']
        $pushed.UploadedBlobCount | Should -BeGreaterThan 1
        $log = @($proxy.State.Log)
        $patches = @($log | Where-Object Key -like 'PATCH /v2/chunky/base/blobs/uploads/*')
        $patches.Count | Should -BeGreaterOrEqual $pushed.UploadedBlobCount
        @($log | Where-Object { $_.Key -like 'PUT /v2/chunky/base/blobs/uploads/*digest=*' -and -not $_.BodyLength }).Count | Should -Be $pushed.UploadedBlobCount
        # the judge reads from the registry itself, not through the proxy
        Get-SkopeoRawDigest "$($target.Address)/chunky/base:1.0" | Should -BeExactly $expected['base:1.0']
        & skopeo copy --src-tls-verify=false "docker://$($target.Address)/chunky/base:1.0" "oci:$work/pulled:x" 2>&1 | Out-Null
        $LASTEXITCODE | Should -Be 0
    }
}
