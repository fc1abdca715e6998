# One platform saved with -IncludeReferrers keeps BuildKit's attestation manifest of that platform. skopeo 1.9.3
# (copy --multi-arch system) writes the platform's manifest alone and drops it; an attestation manifest only exists
# inside an index (its vnd.docker.reference.digest names the platform manifest), so the root written is a new index
# of the two. What was written is read with python3 tarfile/json and sha256sum; the docker archive is loaded by docker.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:needsDocker = Get-RealToolNeed dockerd, docker
}

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:Fix = Join-Path $PSScriptRoot '../Fixtures/referrers'
    $script:Layout = Join-Path $Fix 'layout'
    $script:Made = Get-Content -Raw (Join-Path $Fix 'expected/made.json') | ConvertFrom-Json
    # the arm64 manifest and its attestation, as the fixture script recorded them
    $script:Arm = $Made.buildkit.platforms[1]
    $script:ArmAttestation = @($Made.buildkit.attestations | Where-Object subject -eq $Arm)
    $script:RootIndexOf = @'
import json, os, sys, tarfile
path = sys.argv[1]
if os.path.isdir(path):
    read = lambda name: open(os.path.join(path, name), "rb").read()
else:
    t = tarfile.open(path)
    read = lambda name: t.extractfile(name).read()
index = json.loads(read("index.json"))
root = [m for m in index["manifests"] if m.get("annotations", {}).get("io.containerd.image.name", m.get("annotations", {}).get("org.opencontainers.image.ref.name", "")).endswith("buildkit:1.0")][0]
print(json.dumps({"root": root, "index": json.loads(read("blobs/sha256/" + root["digest"].split(":")[1]))}))
'@
    function Assert-PlatformWithAttestation([string] $Path, [string] $BlobFolder) {
        $read = (& python3 -c $RootIndexOf $Path) | ConvertFrom-Json
        $read.root.mediaType | Should -Be 'application/vnd.oci.image.index.v1+json'
        $entries = @($read.index.manifests)
        $entries.Count | Should -Be 2
        $entries[0].digest | Should -Be $Arm
        $entries[0].platform.architecture | Should -Be 'arm64'
        $entries[1].digest | Should -Be $ArmAttestation[0].digest
        $entries[1].annotations.'vnd.docker.reference.type' | Should -Be 'attestation-manifest'
        $entries[1].annotations.'vnd.docker.reference.digest' | Should -Be $Arm
        $entries[1].platform.os | Should -Be 'unknown'
        $blobs = @(Get-ChildItem "$BlobFolder/blobs/sha256" -File)
        $blobs.Count | Should -BeGreaterThan 3
        foreach ($f in $blobs) { Get-FileDigestBySum $f.FullName | Should -Be "sha256:$($f.Name)" }
        foreach ($d in @($Arm) + @($ArmAttestation[0].digest) + @($ArmAttestation[0].blobs)) {
            Test-Path "$BlobFolder/blobs/sha256/$($d -replace '^sha256:', '')" | Should -BeTrue -Because "$d is saved"
        }
        foreach ($other in @($Made.buildkit.platforms[0]) + @(($Made.buildkit.attestations | Where-Object subject -ne $Arm).digest)) {
            Test-Path "$BlobFolder/blobs/sha256/$($other -replace '^sha256:', '')" | Should -BeFalse -Because "$other is another platform's"
        }
    }
}

Describe 'Save-Image -Platform linux/arm64 -IncludeReferrers of buildkit:1.0' {
    It 'the fixture has one attestation for the arm64 manifest' {
        $ArmAttestation.Count | Should -Be 1
    }

    It 'an oci-archive holds a new index of the arm64 manifest and its attestation manifest' {
        $out = Join-Path $TestDrive 'arm.tar'
        Save-Image -Path $Layout -Name buildkit:1.0 -Platform linux/arm64 -IncludeReferrers -Format OciArchive -DestinationPath $out -ErrorVariable e | Out-Null
        $e | Should -BeNullOrEmpty
        Assert-PlatformWithAttestation $out (Expand-TarToFolder $out (Join-Path $TestDrive 'arm'))
        $r = @(Get-ImageReferrer -Path $out -Name buildkit:1.0)
        $r.Count | Should -Be 1
        $r[0].Digest | Should -Be $ArmAttestation[0].digest
        $r[0].Subject | Should -Be $Arm
    }

    It 'Copy-Image into a layout does the same' {
        $bundle = Join-Path $TestDrive 'arm-layout'
        Copy-Image -Path $Layout -Name buildkit:1.0 -Platform linux/arm64 -IncludeReferrers -Destination $bundle -ErrorVariable e | Out-Null
        $e | Should -BeNullOrEmpty
        Assert-PlatformWithAttestation $bundle $bundle
    }

    It 'without -IncludeReferrers the root is the arm64 manifest alone' {
        $out = Join-Path $TestDrive 'arm-plain.tar'
        Save-Image -Path $Layout -Name buildkit:1.0 -Platform linux/arm64 -Format OciArchive -DestinationPath $out | Out-Null
        $read = (& python3 -c $RootIndexOf $out) | ConvertFrom-Json
        $read.root.digest | Should -Be $Arm
    }

    It 'a docker archive names the arm64 image in manifest.json and docker load takes it' @needsDocker {
        $out = Join-Path $TestDrive 'arm-docker.tar'
        Save-Image -Path $Layout -Name buildkit:1.0 -Platform linux/arm64 -IncludeReferrers -Format DockerArchive -DestinationPath $out -ErrorVariable e | Out-Null
        $e | Should -BeNullOrEmpty
        $py = 'import json, sys, tarfile; t = tarfile.open(sys.argv[1]); print(json.dumps(json.load(t.extractfile("manifest.json"))))'
        $entries = @((& python3 -c $py $out) | ConvertFrom-Json)
        $entries.Count | Should -Be 1
        $armManifest = Get-Content -Raw (Join-Path $Layout "blobs/sha256/$($Arm -replace '^sha256:', '')") | ConvertFrom-Json
        $entries[0].Config | Should -Be "blobs/sha256/$($armManifest.config.digest -replace '^sha256:', '')"
        $dockerd = Start-PrivateDockerd
        try {
            $load = Invoke-PrivateDocker $dockerd @('load', '-i', $out)
            ($load -join "`n") | Should -Match 'Loaded image: buildkit:1.0'
            (Invoke-PrivateDocker $dockerd @('image', 'inspect', '--format', '{{.Id}}', 'buildkit:1.0')) | Should -Be $armManifest.config.digest
        }
        finally { Stop-PrivateDockerd $dockerd }
    }
}
