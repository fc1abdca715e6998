# Referrers on damaged input: a fallback tag that is no index, a referrer whose manifest is corrupt or missing, a
# BuildKit annotation that names no digest, an -IncludeReferrers save whose artifact is missing. Every damaged store
# is a copy of the referrers fixture (Fixtures/referrers/layout) changed here; readers leave it unchanged.
BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Hostile.psm1') -Force
    $script:Fix = Join-Path $PSScriptRoot '../Fixtures/referrers'
    $script:Made = Get-Content -Raw (Join-Path $Fix 'expected/made.json') | ConvertFrom-Json
    $script:Hex = $Made.subject -replace '^sha256:', ''
    function Copy-Layout([string] $As) {
        $dst = Join-Path $TestDrive $As
        Copy-Item -Recurse (Join-Path $Fix 'layout') $dst
        return $dst
    }
    function Get-BlobPath($Layout, [string] $Digest) { Join-Path $Layout "blobs/$($Digest.Replace(':', '/'))" }
    function Read-Index($Layout) { Get-Content -Raw "$Layout/index.json" | ConvertFrom-Json }
    function Write-Index($Layout, $Index) { Set-Content -LiteralPath "$Layout/index.json" -Value ($Index | ConvertTo-Json -Depth 20 -Compress) -NoNewline }
    $script:ListReferrers = { param($a) Get-ImageReferrer -Path $a.Path -Name $a.Name | Select-Object Kind, Digest, FoundBy }
}

Describe 'Get-ImageReferrer on damaged referrers' {
    It 'a fallback tag that points at an image manifest, not an index, is MalformedContent; the other referrers are still listed' {
        $lay = Copy-Layout 'fallback-not-index'
        $index = Read-Index $lay
        $fallback = $index.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq "sha256-$Hex" }
        $image = $index.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq 'base:1.0' }
        $fallback.digest = $image.digest; $fallback.size = $image.size; $fallback.mediaType = $image.mediaType
        Write-Index $lay $index
        $case = Invoke-HostileCase -Name 'referrers: fallback tag is a manifest' -Class Malformed -Arguments @{ Path = $lay; Name = 'base:1.0' } `
            -Unchanged $lay -ExpectErrorId MalformedContent -Action $ListReferrers
        $case | Assert-HostileCase
        $r = @(Get-ImageReferrer -Path $lay -Name base:1.0 -ErrorAction SilentlyContinue)
        $r.Count | Should -Be $Made.referrers.Count   # found by subject and by the cosign tag instead
    }

    It 'a cosign signature whose manifest blob is corrupt is DigestMismatch, naming it' {
        $lay = Copy-Layout 'corrupt-sig'
        $sig = $Made.referrers | Where-Object foundBy -eq CosignTag
        $blob = Get-BlobPath $lay $sig.digest
        $bytes = [IO.File]::ReadAllBytes($blob); $bytes[10] = $bytes[10] -bxor 1; [IO.File]::WriteAllBytes($blob, $bytes)
        Invoke-HostileCase -Name 'referrers: corrupt cosign manifest' -Class Corrupt -Arguments @{ Path = $lay; Name = 'base:1.0' } `
            -Unchanged $lay -ExpectErrorId DigestMismatch -Action $ListReferrers | Assert-HostileCase
        $r = @(Get-ImageReferrer -Path $lay -Name base:1.0 -ErrorVariable e -ErrorAction SilentlyContinue)
        ($e | Where-Object { $_.Exception.Message -like "*$($sig.digest)*" }) | Should -Not -BeNullOrEmpty
        $x = $r | Where-Object Digest -eq $sig.digest
        $x.BlobCount | Should -BeNullOrEmpty      # listed from its tag, its manifest unread
        $x.Kind | Should -Be 'Signature'          # from cosign's tag suffix
    }

    It 'a BuildKit attestation entry whose vnd.docker.reference.digest is no digest is InvalidDigest; it is still no platform' {
        $lay = Copy-Layout 'buildkit-bad-annotation'
        $index = Read-Index $lay
        $entry = $index.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq 'buildkit:1.0' }
        $bkPath = Get-BlobPath $lay $entry.digest
        $bk = Get-Content -Raw $bkPath | ConvertFrom-Json
        $att = @($bk.manifests | Where-Object { $_.annotations.'vnd.docker.reference.type' -eq 'attestation-manifest' })
        $att.Count | Should -Be 2
        $att[0].annotations.'vnd.docker.reference.digest' = 'sha256:../../etc/passwd'
        $bytes = [Text.Encoding]::UTF8.GetBytes(($bk | ConvertTo-Json -Depth 20 -Compress))
        $d = 'sha256:' + (Get-Sha256Hex $bytes)
        [IO.File]::WriteAllBytes((Get-BlobPath $lay $d), $bytes)
        $entry.digest = $d; $entry.size = $bytes.Length
        Write-Index $lay $index
        $case = Invoke-HostileCase -Name 'referrers: BuildKit annotation names no digest' -Class Malformed -Arguments @{ Path = $lay; Name = 'buildkit:1.0' } `
            -Unchanged $lay -ExpectErrorId InvalidDigest -Action $ListReferrers
        $case | Assert-HostileCase
        @(Get-ImageReferrer -Path $lay -Name buildkit:1.0 -ErrorAction SilentlyContinue).Count | Should -Be 1
        $m = @(Get-ImageManifest -Path $lay -Name buildkit:1.0)
        @($m | Where-Object Kind -eq Attestation).Count | Should -Be 2
        (Get-Image -Path $lay -Name buildkit:1.0).Platforms.Count | Should -Be 2
    }
}

Describe 'Save-Image -IncludeReferrers with a referrer missing from the source' {
    It 'fails naming the missing blob and leaves no archive and no temp file' {
        $lay = Copy-Layout 'missing-referrer'
        $sbom = $Made.referrers | Where-Object kind -eq Sbom
        Remove-Item (Get-BlobPath $lay $sbom.digest)
        $out = Join-Path $TestDrive 'out-missing'
        New-Item -ItemType Directory $out | Out-Null
        $dest = Join-Path $out 'saved.tar'
        Invoke-HostileCase -Name 'referrers: -IncludeReferrers with a missing artifact' -Class Truncated `
            -Arguments @{ Path = $lay; Destination = $dest } -Unchanged $lay -Destination $dest -NoTempFilesIn $out -ExpectErrorId BlobNotFound `
            -Action { param($a) Save-Image -Path $a.Path -Name base:1.0 -IncludeReferrers -DestinationPath $a.Destination } | Assert-HostileCase
    }
}
