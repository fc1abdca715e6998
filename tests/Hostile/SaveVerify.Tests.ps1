# Hostile cases for Save-Image's one-pass verification: the archive checks each blob from the buffers it hashes for
# its own digest, so a blob whose bytes are not what its descriptor says must still stop the save, with nothing put
# in place and no temporary file left. The damaged layouts are built here from the committed OCI layout fixture; that
# the damage is real is checked with sha256sum and stat.
BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Hostile.psm1') -Force

    # A copy of the layout fixture whose last layer of app:2.0 is changed by $Damage (a bash script given the file).
    function New-DamagedLayout([string] $Name, [string] $Damage) {
        $layout = Join-Path $TestDrive $Name
        Copy-Item -Recurse (Get-FixturePath 'oci-layout') $layout
        $index = Get-Content -Raw "$layout/index.json" | ConvertFrom-Json
        $entry = $index.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq 'app:2.0' }
        $manifest = Get-Content -Raw "$layout/blobs/sha256/$($entry.digest.Substring(7))" | ConvertFrom-Json
        $layer = $manifest.layers[-1]
        $file = "$layout/blobs/sha256/$($layer.digest.Substring(7))"
        Invoke-Native $Damage @($file) | Out-Null
        [pscustomobject]@{ Path = $layout; Layer = $layer; File = $file }
    }
}

Describe 'Save-Image of a layer blob that is not what its descriptor says' {
    It '<Label>: <ErrorId>, nothing in place, no temp file, the layout unchanged' -ForEach @(
        @{ Label = 'bytes appended'; Damage = 'head -c 3000000 /dev/urandom >> "$1"'; ErrorId = 'SizeMismatch'; Format = 'DockerArchive' }
        @{ Label = 'cut short'; Damage = 'truncate -s -100 "$1"'; ErrorId = 'SizeMismatch'; Format = 'OciArchive' }
        @{ Label = 'a byte flipped in the first MiB'; Damage = 'printf "\xff" | dd of="$1" bs=1 seek=100 conv=notrunc status=none'; ErrorId = 'DigestMismatch'; Format = 'OciArchive' }
    ) {
        $d = New-DamagedLayout ($Label -replace '\W', '-') $Damage
        # the real tools see the damage
        $actualSize = [long](Invoke-Native 'stat -c %s "$1"' @($d.File)).Trim()
        $actualHex = (Invoke-Native 'sha256sum "$1" | cut -d" " -f1' @($d.File)).Trim()
        if ($ErrorId -eq 'SizeMismatch') { $actualSize | Should -Not -Be $d.Layer.size }
        else { $actualSize | Should -Be $d.Layer.size; $actualHex | Should -Not -Be $d.Layer.digest.Substring(7) }
        $parent = Join-Path $TestDrive "out-$($Label -replace '\W', '-')"
        New-Item -ItemType Directory $parent | Out-Null
        $dest = Join-Path $parent 'a.tar'
        $case = Invoke-HostileCase -Name "Save-Image -Format $Format of a layer with $Label" -Class Corrupt -Arguments @{ Src = $d.Path; Dest = $dest; Format = $Format } -Action {
            param($a) Save-Image -Path $a.Src -Name app:2.0 -Format $a.Format -DestinationPath $a.Dest
        } -ExpectErrorId $ErrorId -Destination $dest -NoTempFilesIn $parent -Unchanged $d.Path
        $case | Assert-HostileCase
        $case.Output | Should -Be 0
        @(Get-ChildItem -Force $parent).Count | Should -Be 0
    }
}
