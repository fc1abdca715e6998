# Artifacts attached to an image, made here from their published media types, and pushed to a registry over HTTP
# with curl (monolithic blob uploads, manifest PUTs), so that what the module finds or copies is compared with bytes
# it did not write: an SPDX SBOM, an in-toto (SLSA provenance) attestation and a Notation signature attached with
# `subject` (oras-style manifests: artifactType, empty config), and a cosign simple-signing signature under cosign's
# tag sha256-<hex>.sig (no subject). For a registry without the referrers API, the fallback tag's index is written
# here too, as the distribution spec tells a client to (descriptor: artifactType, else the config media type; every
# annotation of the manifest).

function Get-Sha256([byte[]] $Bytes) { 'sha256:' + [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($Bytes)).ToLowerInvariant() }

function ConvertTo-JsonBytes($Value) { [Text.Encoding]::UTF8.GetBytes(($Value | ConvertTo-Json -Depth 10 -Compress)) }

function New-ReferrerArtifacts {
    # The four artifacts for a subject @{ Digest; MediaType; Size } and the image reference they speak of.
    param($Subject, [string] $Reference)
    $hex = $Subject.Digest.Substring(7)
    $emptyConfig = [Text.Encoding]::UTF8.GetBytes('{}')
    $subjectDescriptor = [ordered]@{ mediaType = $Subject.MediaType; digest = $Subject.Digest; size = $Subject.Size }

    function New-Artifact([string] $Name, [string] $ArtifactType, [string] $LayerType, [byte[]] $Payload, $Annotations, [switch] $Cosign, [byte[]] $Config) {
        $configType = if ($Config) { 'application/vnd.oci.image.config.v1+json' } else { 'application/vnd.oci.empty.v1+json' }
        if (-not $Config) { $Config = $emptyConfig }
        $layer = [ordered]@{ mediaType = $LayerType; digest = (Get-Sha256 $Payload); size = $Payload.Length }
        if ($Cosign) { $layer.annotations = $Annotations }
        $manifest = [ordered]@{ schemaVersion = 2; mediaType = 'application/vnd.oci.image.manifest.v1+json' }
        if ($ArtifactType) { $manifest.artifactType = $ArtifactType }
        $manifest.config = [ordered]@{ mediaType = $configType; digest = (Get-Sha256 $Config); size = $Config.Length }
        $manifest.layers = @($layer)
        if (-not $Cosign) { $manifest.subject = $subjectDescriptor; $manifest.annotations = $Annotations }
        $bytes = ConvertTo-JsonBytes $manifest
        [pscustomobject]@{
            Name = $Name; Bytes = $bytes; Digest = (Get-Sha256 $bytes); MediaType = $manifest.mediaType; Size = $bytes.Length
            ArtifactType = $(if ($ArtifactType) { $ArtifactType } else { $configType }); Annotations = $Annotations
            Blobs = @(@{ Digest = (Get-Sha256 $Config); Bytes = $Config }, @{ Digest = $layer.digest; Bytes = $Payload })
            CosignTag = $(if ($Cosign) { "sha256-$hex.sig" } else { $null }); LayerDigest = $layer.digest; LayerType = $LayerType
        }
    }

    $created = '2026-01-02T03:04:05Z'
    $spdx = ConvertTo-JsonBytes ([ordered]@{ spdxVersion = 'SPDX-2.3'; dataLicense = 'CC0-1.0'; SPDXID = 'SPDXRef-DOCUMENT'; name = $Reference
        documentNamespace = "https://example.invalid/spdx/$hex"; creationInfo = [ordered]@{ created = $created; creators = @('Tool: test-script') }
        packages = @([ordered]@{ name = 'busybox'; SPDXID = 'SPDXRef-Package-busybox'; versionInfo = '1.36.1'; downloadLocation = 'NOASSERTION' }) })
    $statement = ConvertTo-JsonBytes ([ordered]@{ _type = 'https://in-toto.io/Statement/v1'
        subject = @([ordered]@{ name = $Reference; digest = @{ sha256 = $hex } }); predicateType = 'https://slsa.dev/provenance/v1'
        predicate = [ordered]@{ buildDefinition = [ordered]@{ buildType = 'https://example.invalid/build/v1'; externalParameters = @{} }; runDetails = [ordered]@{ builder = @{ id = 'https://example.invalid/builder' } } } })
    $jws = ConvertTo-JsonBytes ([ordered]@{ payload = [Convert]::ToBase64String((ConvertTo-JsonBytes @{ targetArtifact = $subjectDescriptor })); protected = 'eyJhbGciOiJQUzI1NiJ9'
        header = @{ x5c = @('MIIBfake') }; signature = 'c2lnbmF0dXJl' })
    $simpleSigning = ConvertTo-JsonBytes ([ordered]@{ critical = [ordered]@{ identity = @{ 'docker-reference' = $Reference }; image = @{ 'docker-manifest-digest' = $Subject.Digest }
        type = 'cosign container image signature' }; optional = $null })
    $cosignConfig = ConvertTo-JsonBytes ([ordered]@{ architecture = ''; created = '0001-01-01T00:00:00Z'; history = @(@{ created = '0001-01-01T00:00:00Z' }); os = ''
        rootfs = [ordered]@{ type = 'layers'; diff_ids = @((Get-Sha256 $simpleSigning)) }; config = @{} })
    @(
        New-Artifact 'sbom' 'application/spdx+json' 'application/spdx+json' $spdx ([ordered]@{ 'org.opencontainers.image.created' = $created })
        New-Artifact 'attestation' 'application/vnd.in-toto+json' 'application/vnd.in-toto+json' $statement ([ordered]@{ 'org.opencontainers.image.created' = $created; 'in-toto.io/predicate-type' = 'https://slsa.dev/provenance/v1' })
        New-Artifact 'notation' 'application/vnd.cncf.notary.signature' 'application/jose+json' $jws ([ordered]@{ 'io.cncf.notary.x509chain.thumbprint#S256' = '["0a1b2c"]'; 'org.opencontainers.image.created' = $created })
        New-Artifact 'cosign' $null 'application/vnd.dev.cosign.simplesigning.v1+json' $simpleSigning ([ordered]@{ 'dev.cosignproject.cosign/signature' = 'MEUCIQCfakesignature' }) -Cosign -Config $cosignConfig
    )
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

function Publish-LayoutImage([string] $Address, [string] $Repository, [string] $Tag, [string] $Layout, [string] $Digest,
    [string] $MediaType = 'application/vnd.oci.image.manifest.v1+json') {
    # An image of an OCI layout (a plain manifest; its media type as the layout's index.json says) pushed with curl:
    # config and layers, then the manifest bytes.
    $path = Join-Path $Layout "blobs/sha256/$($Digest.Substring(7))"
    $bytes = [IO.File]::ReadAllBytes($path)
    $manifest = [Text.Encoding]::UTF8.GetString($bytes) | ConvertFrom-Json
    foreach ($d in @($manifest.config) + @($manifest.layers)) {
        Send-CurlBlob $Address $Repository ([IO.File]::ReadAllBytes((Join-Path $Layout "blobs/sha256/$($d.digest.Substring(7))")))
    }
    Send-CurlManifest $Address $Repository $Tag $bytes $MediaType | Out-Null
    [pscustomobject]@{ Digest = (Get-Sha256 $bytes); MediaType = $MediaType; Size = $bytes.Length }
}

function Publish-ReferrerArtifacts {
    # Every artifact's blobs and manifest (by digest); the cosign one under its tag too; with -FallbackTag, the index
    # of the artifacts with a subject under sha256-<hex>, made here. Returns the fallback index's bytes (or $null).
    param([string] $Address, [string] $Repository, $Artifacts, $Subject, [switch] $FallbackTag)
    foreach ($a in $Artifacts) {
        foreach ($b in $a.Blobs) { Send-CurlBlob $Address $Repository $b.Bytes }
        Send-CurlManifest $Address $Repository $a.Digest $a.Bytes $a.MediaType | Out-Null
        if ($a.CosignTag) { Send-CurlManifest $Address $Repository $a.CosignTag $a.Bytes $a.MediaType | Out-Null }
    }
    if (-not $FallbackTag) { return $null }
    $index = ConvertTo-JsonBytes ([ordered]@{ schemaVersion = 2; mediaType = 'application/vnd.oci.image.index.v1+json'
        manifests = @($Artifacts | Where-Object { -not $_.CosignTag } | ForEach-Object {
            [ordered]@{ mediaType = $_.MediaType; digest = $_.Digest; size = $_.Size; artifactType = $_.ArtifactType; annotations = $_.Annotations } }) })
    Send-CurlManifest $Address $Repository "sha256-$($Subject.Digest.Substring(7))" $index 'application/vnd.oci.image.index.v1+json' | Out-Null
    return $index
}
