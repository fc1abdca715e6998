# The referrers fixture (tests/Fixtures/referrers: base:1.0 with a cosign signature tag, a Notation signature, an
# SPDX SBOM and an in-toto attestation attached with subject, the fallback index; buildkit:1.0 with BuildKit
# attestation manifests) served over HTTP two ways: the real docker-registry 2.8 over the fixture's registry storage
# (no referrers API: the fallback tag and the cosign tag), and the tests' own registry with the referrers API
# (ReferrersServer.ps1) filled with curl PUTs of the fixture layout's blobs and manifests. Expected values come from
# expected/made.json (what the fixture script wrote) and the layout's bytes.

$script:ReferrerFixture = (Resolve-Path (Join-Path $PSScriptRoot '../Fixtures/referrers')).Path
$script:ReferrerLayout = Join-Path $script:ReferrerFixture 'layout'
$script:Made = Get-Content -Raw (Join-Path $script:ReferrerFixture 'expected/made.json') | ConvertFrom-Json
$script:subject = $script:Made.subject
$script:fallbackTag = $script:Made.fallbackTag
$script:withSubject = @($script:Made.referrers | Where-Object { -not $_.tag })   # attached with subject: listed by the API or the fallback tag
$script:cosign = @($script:Made.referrers | Where-Object { $_.tag })            # found by cosign's .sig tag
$script:allDigests = @($script:Made.referrers.digest | Sort-Object)

function Get-Sha256([byte[]] $Bytes) { 'sha256:' + [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($Bytes)).ToLowerInvariant() }

function Get-LayoutBlob([string] $Digest) { [IO.File]::ReadAllBytes((Join-Path $script:ReferrerLayout "blobs/sha256/$($Digest.Substring(7))")) }

function Start-ReferrerFixtureRegistry([string] $Work) {
    # docker-registry 2.8 over a copy of the fixture's registry storage (base and buildkit, every artifact, the fallback tag).
    $root = Join-Path $Work 'fixture-storage'
    New-Item -ItemType Directory -Force -Path $root | Out-Null
    & tar -xf (Join-Path $script:ReferrerFixture 'registry-storage.tar') -C $root
    if ($LASTEXITCODE -ne 0) { throw 'tar -x of registry-storage.tar failed' }
    Start-HttpRegistry -Root $root -Dir (Join-Path $Work 'fixture-cfg')
}

function Invoke-Curl([string[]] $Arguments) {
    $out = & curl -sS @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "curl $($Arguments -join ' ') failed: $out" }
    return $out
}

function Send-CurlBlob([string] $Address, [string] $Repository, [byte[]] $Bytes) {
    # POST an upload, then PUT the bytes with ?digest= (monolithic), as the distribution spec allows.
    $file = [IO.Path]::GetTempFileName(); $headers = [IO.Path]::GetTempFileName()
    try {
        [IO.File]::WriteAllBytes($file, $Bytes)
        Invoke-Curl @('-o', '/dev/null', '-D', $headers, '-X', 'POST', '-d', '', "http://$Address/v2/$Repository/blobs/uploads/") | Out-Null
        $location = (Get-Content $headers | Where-Object { $_ -match '^Location:' }) -replace '^Location:\s*', '' -replace '\s+$', ''
        if (-not $location) { throw "no upload Location from $Address" }
        if ($location -notmatch '^https?://') { $location = "http://$Address$location" }
        $sep = if ($location.Contains('?')) { '&' } else { '?' }
        $code = Invoke-Curl @('-o', '/dev/null', '-w', '%{http_code}', '-X', 'PUT', '-H', 'Content-Type: application/octet-stream', '--data-binary', "@$file", "$location${sep}digest=$(Get-Sha256 $Bytes)")
        if ("$code" -ne '201') { throw "blob PUT to $Address answered $code" }
    } finally { Remove-Item $file, $headers -ErrorAction SilentlyContinue }
}

function Send-CurlManifest([string] $Address, [string] $Repository, [string] $Reference, [byte[]] $Bytes, [string] $MediaType) {
    # PUT a manifest's bytes; returns the response headers (a hashtable, names lower-case).
    $file = [IO.Path]::GetTempFileName(); $headers = [IO.Path]::GetTempFileName()
    try {
        [IO.File]::WriteAllBytes($file, $Bytes)
        $code = Invoke-Curl @('-o', '/dev/null', '-D', $headers, '-w', '%{http_code}', '-X', 'PUT', '-H', "Content-Type: $MediaType", '--data-binary', "@$file", "http://$Address/v2/$Repository/manifests/$Reference")
        if ("$code" -ne '201') { throw "manifest PUT $Repository/$Reference to $Address answered $code" }
        $h = @{}
        foreach ($line in Get-Content $headers) { if ($line -match '^([^:]+):\s*(.*?)\s*$') { $h[$Matches[1].ToLowerInvariant()] = $Matches[2] } }
        return $h
    } finally { Remove-Item $file, $headers -ErrorAction SilentlyContinue }
}

function Publish-LayoutManifest {
    # A manifest or index of the fixture layout pushed with curl: blobs (an index's manifests first), then its bytes
    # under $Reference (a tag, or its digest when omitted). Returns the PUT's response headers.
    param([string] $Address, [string] $Repository, [string] $Digest, [string] $Reference)
    $bytes = Get-LayoutBlob $Digest
    $doc = [Text.Encoding]::UTF8.GetString($bytes) | ConvertFrom-Json
    $mediaType = if ($doc.mediaType) { $doc.mediaType } elseif ($doc.manifests) { 'application/vnd.oci.image.index.v1+json' } else { 'application/vnd.oci.image.manifest.v1+json' }
    if ($doc.manifests) {
        foreach ($m in $doc.manifests) { Publish-LayoutManifest $Address $Repository $m.digest | Out-Null }
    } else {
        foreach ($d in @($doc.config) + @($doc.layers)) { Send-CurlBlob $Address $Repository (Get-LayoutBlob $d.digest) }
    }
    if (-not $Reference) { $Reference = $Digest }
    Send-CurlManifest $Address $Repository $Reference $bytes $mediaType
}

function Publish-ReferrerFixture([string] $Address, [string] $Repository = 'base') {
    # base:1.0, its cosign signature under the .sig tag, the three artifacts with subject (by digest: a registry with
    # the referrers API lists them itself), and buildkit:1.0; no fallback tag.
    Publish-LayoutManifest $Address $Repository $script:Made.subject '1.0' | Out-Null
    foreach ($r in $script:Made.referrers) {
        if ($r.tag) { Publish-LayoutManifest $Address $Repository $r.digest $r.tag | Out-Null }
        else { Publish-LayoutManifest $Address $Repository $r.digest | Out-Null }
    }
    Publish-LayoutManifest $Address 'buildkit' $script:Made.buildkit.digest '1.0' | Out-Null
}

function Get-RawManifest([string] $Reference) {
    # skopeo inspect --raw, parsed, with the digest of the bytes.
    $bytes = Get-SkopeoRawBytes $Reference
    [pscustomobject]@{ Digest = (Get-Sha256 $bytes); Json = ([Text.Encoding]::UTF8.GetString($bytes) | ConvertFrom-Json) }
}

function Get-SkopeoTags([string] $Repository) {
    $out = & skopeo list-tags --tls-verify=false "docker://$Repository" 2>&1
    if ($LASTEXITCODE -ne 0) { throw "skopeo list-tags $Repository failed: $out" }
    @(($out | Out-String | ConvertFrom-Json).Tags)
}
