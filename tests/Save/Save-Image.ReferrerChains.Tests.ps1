# -IncludeReferrers into an archive or a layout follows referrers of referrers (a signature of the SBOM), as the
# registry push does. The signature is written here, with python3, into a copy of the referrers fixture's layout;
# what was written is read back with python3 tarfile/json and sha256sum.
BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:Fix = Join-Path $PSScriptRoot '../Fixtures/referrers'
    $script:Made = Get-Content -Raw (Join-Path $Fix 'expected/made.json') | ConvertFrom-Json
    $script:Layout = Join-Path $TestDrive 'layout'
    Copy-Item -Recurse (Join-Path $Fix 'layout') $Layout
    $script:Sbom = @($Made.referrers | Where-Object kind -eq 'Sbom')
    $py = @'
import hashlib, json, os, sys
layout, subject_digest = sys.argv[1], sys.argv[2]
def put(data):
    d = hashlib.sha256(data).hexdigest()
    with open(os.path.join(layout, "blobs", "sha256", d), "wb") as f: f.write(data)
    return "sha256:" + d, len(data)
subject = open(os.path.join(layout, "blobs", "sha256", subject_digest.split(":")[1]), "rb").read()
cfg, cfg_size = put(b"{}")
sig, sig_size = put(b"placeholder signature of the SBOM")
manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "artifactType": "application/vnd.dev.cosign.artifact.sig.v1+json",
            "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": cfg, "size": cfg_size},
            "layers": [{"mediaType": "application/vnd.dev.cosign.simplesigning.v1+json", "digest": sig, "size": sig_size}],
            "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": subject_digest, "size": len(subject)}}
data = json.dumps(manifest, separators=(",", ":")).encode()
digest, size = put(data)
path = os.path.join(layout, "index.json")
index = json.load(open(path))
index["manifests"].append({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest, "size": size,
                           "artifactType": manifest["artifactType"]})
json.dump(index, open(path, "w"))
print(digest)
'@
    $script:SignatureOfSbom = (& python3 -c $py $Layout $Sbom[0].digest).Trim()
    function Get-ArchiveIndexDigests([string] $Archive) {
        $read = 'import json, sys, tarfile; t = tarfile.open(sys.argv[1]); print("\n".join(m["digest"] for m in json.load(t.extractfile("index.json"))["manifests"]))'
        @(& python3 -c $read $Archive)
    }
}

Describe 'Save-Image / Copy-Image -IncludeReferrers follow a signature of the SBOM' {
    It 'the fixture copy has the SBOM and the new signature about it' {
        $Sbom.Count | Should -Be 1
        $SignatureOfSbom | Should -Match '^sha256:[0-9a-f]{64}$'
        Get-FileDigestBySum (Join-Path $Layout ('blobs/sha256/' + ($SignatureOfSbom -replace '^sha256:', ''))) | Should -Be $SignatureOfSbom
    }

    It 'an oci-archive of base:1.0 holds the four artifacts and the signature of the SBOM' {
        $out = Join-Path $TestDrive 'chain.tar'
        $saved = Save-Image -Path $Layout -Name base:1.0 -IncludeReferrers -Format OciArchive -DestinationPath $out -ErrorVariable e
        $e | Should -BeNullOrEmpty
        $saved.ReferrerCount | Should -Be ($Made.referrers.Count + 1)
        $listed = Get-ArchiveIndexDigests $out
        $listed | Should -Contain $SignatureOfSbom
        $dir = Expand-TarToFolder $out (Join-Path $TestDrive 'chain')
        $blob = Join-Path $dir ('blobs/sha256/' + ($SignatureOfSbom -replace '^sha256:', ''))
        Get-FileDigestBySum $blob | Should -Be $SignatureOfSbom
        $sig = Get-Content -Raw $blob | ConvertFrom-Json
        foreach ($b in @($sig.config.digest) + @($sig.layers.digest)) {
            Get-FileDigestBySum (Join-Path $dir ('blobs/sha256/' + ($b -replace '^sha256:', ''))) | Should -Be $b
        }
        $r = @(Get-ImageManifest -Path $out -Name $Sbom[0].digest | Get-ImageReferrer)
        $r.Count | Should -Be 1
        $r[0].Digest | Should -Be $SignatureOfSbom
        $r[0].Subject | Should -Be $Sbom[0].digest
    }

    It 'Copy-Image into a layout carries it too' {
        $bundle = Join-Path $TestDrive 'bundle'
        $copied = Copy-Image -Path $Layout -Name base:1.0 -IncludeReferrers -Destination $bundle -ErrorVariable e
        $e | Should -BeNullOrEmpty
        $copied.ReferrerCount | Should -Be ($Made.referrers.Count + 1)
        $index = Get-Content -Raw (Join-Path $bundle 'index.json') | ConvertFrom-Json
        $index.manifests.digest | Should -Contain $SignatureOfSbom
        Get-FileDigestBySum (Join-Path $bundle ('blobs/sha256/' + ($SignatureOfSbom -replace '^sha256:', ''))) | Should -Be $SignatureOfSbom
    }
}
