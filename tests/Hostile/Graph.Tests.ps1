# The image graph under hostile shapes: DAGs of indexes that explode a walk which does not remember what it walked,
# and a cycle of indexes. Every damaged layout is built here from the committed oci-layout fixture.
BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Hostile.psm1') -Force

    $script:IndexType = 'application/vnd.oci.image.index.v1+json'
    $script:ManifestType = 'application/vnd.oci.image.manifest.v1+json'

    function Copy-Layout([string] $Name) {
        $dest = Join-Path $TestDrive $Name
        Copy-Item -Recurse -LiteralPath (Get-FixturePath 'oci-layout') -Destination $dest
        return $dest
    }

    function Add-Blob([string] $Layout, [string] $Json, [string] $MediaType, [string] $AsHex) {
        # -AsHex stores the bytes under a name they do not hash to (the only way to make a cycle of digests)
        $bytes = [Text.Encoding]::UTF8.GetBytes($Json)
        $hex = if ($AsHex) { $AsHex } else { Get-Sha256Hex -InputObject $bytes }
        [IO.File]::WriteAllBytes((Join-Path $Layout "blobs/sha256/$hex"), $bytes)
        return [ordered]@{ mediaType = $MediaType; digest = "sha256:$hex"; size = $bytes.Length }
    }

    function Add-IndexChain([string] $Layout, [int] $FanOut, [int] $Depth, [string] $RefName) {
        # depth 1: an index listing the base:1.0 manifest FanOut times; each level above lists the one below FanOut times
        $top = (Get-Content -Raw -LiteralPath (Join-Path $Layout 'index.json') | ConvertFrom-Json -AsHashtable)
        $base = $top.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq 'base:1.0' }
        $child = [ordered]@{ mediaType = $base.mediaType; digest = $base.digest; size = $base.size; platform = [ordered]@{ architecture = 'amd64'; os = 'linux' } }
        for ($level = 1; $level -le $Depth; $level++) {
            $json = [ordered]@{ schemaVersion = 2; mediaType = $IndexType; manifests = @(for ($i = 0; $i -lt $FanOut; $i++) { $child }) } | ConvertTo-Json -Depth 6 -Compress
            $child = Add-Blob $Layout $json $IndexType
        }
        $child.annotations = @{ 'org.opencontainers.image.ref.name' = $RefName }
        $top.manifests = @($top.manifests) + $child
        Set-Content -LiteralPath (Join-Path $Layout 'index.json') -Value ($top | ConvertTo-Json -Depth 6 -Compress) -NoNewline
    }

    $script:Dag100 = Copy-Layout 'dag-100-3'
    Add-IndexChain $Dag100 -FanOut 100 -Depth 3 -RefName 'dag:1'
    $script:Dag1000 = Copy-Layout 'dag-1000-4'
    Add-IndexChain $Dag1000 -FanOut 1000 -Depth 4 -RefName 'dag:1'
}

Describe 'A DAG of indexes is walked once per distinct blob' {
    It 'Get-Image on fan-out <FanOut>, depth <Depth> answers with one platform and the size of the distinct blobs' -ForEach @(
        @{ FanOut = 100; Depth = 3; Layout = 'Dag100' }
        @{ FanOut = 1000; Depth = 4; Layout = 'Dag1000' }
    ) {
        $layout = Get-Variable -Scope Script -Name $Layout -ValueOnly
        $c = Invoke-HostileCase -Name "Get-Image, index DAG fan-out $FanOut depth $Depth" -Class Explosion -SuccessAllowed -TimeoutSeconds 20 `
            -Arguments $layout -Unchanged $layout -Action { param($p) Get-Image -LiteralPath $p -Name dag:1 }
        $c | Assert-HostileCase -Accept Tolerated
        $c.Output | Should -Be 1
        # the size counts each distinct blob once: the index files plus base:1.0's manifest, config and layers
        $image = Get-Image -LiteralPath $layout -Name dag:1
        $base = Get-Image -LiteralPath $layout -Name base:1.0
        $indexBytes = 0
        $digest = $image.Digest.ToString()
        for ($i = 0; $i -lt $Depth; $i++) {
            $file = Join-Path $layout ('blobs/sha256/' + $digest.Substring(7))
            $indexBytes += (Get-Item -LiteralPath $file).Length
            $digest = ((Get-Content -Raw -LiteralPath $file | ConvertFrom-Json).manifests)[0].digest
        }
        $image.Size | Should -Be ($indexBytes + $base.Size)
        $image.Platforms | Should -Be @('linux/amd64')
    }

    It 'Get-ImageManifest, Get-ImageIndex, Test-ImageBlob and Save-Image on fan-out 1000, depth 4 finish and see each blob once' {
        $c = Invoke-HostileCase -Name 'Get-ImageManifest, index DAG fan-out 1000 depth 4' -Class Explosion -SuccessAllowed -TimeoutSeconds 20 `
            -Arguments $Dag1000 -Unchanged $Dag1000 -Action { param($p) Get-Image -LiteralPath $p -Name dag:1 | Get-ImageManifest }
        $c | Assert-HostileCase -Accept Tolerated
        $c.Output | Should -Be 1

        $c = Invoke-HostileCase -Name 'Get-ImageIndex, index DAG fan-out 1000 depth 4' -Class Explosion -SuccessAllowed -TimeoutSeconds 20 `
            -Arguments $Dag1000 -Unchanged $Dag1000 -Action { param($p) Get-ImageIndex -LiteralPath $p -Name dag:1 }
        $c | Assert-HostileCase -Accept Tolerated
        $c.Output | Should -Be 4

        # base:1.0 has one layer: 4 indexes + manifest + config + layer
        $layers = @((Get-Content -Raw (Join-Path $Dag1000 'blobs/sha256/5a254dd30f8171c52eef85e5bb742e8be493b3c83afe89a5d540231adef7018d') | ConvertFrom-Json).layers).Count
        $layers | Should -BeGreaterThan 0
        $c = Invoke-HostileCase -Name 'Test-ImageBlob, index DAG fan-out 1000 depth 4' -Class Explosion -SuccessAllowed -TimeoutSeconds 20 `
            -Arguments $Dag1000 -Unchanged $Dag1000 -Action { param($p) Get-Image -LiteralPath $p -Name dag:1 | Test-ImageBlob }
        $c | Assert-HostileCase -Accept Tolerated
        $c.Output | Should -Be (4 + 2 + $layers)

        $dest = Join-Path $TestDrive 'dag.tar'
        $c = Invoke-HostileCase -Name 'Save-Image, index DAG fan-out 1000 depth 4' -Class Explosion -SuccessAllowed -TimeoutSeconds 20 `
            -Arguments @($Dag1000, $dest) -Unchanged $Dag1000 -Action { param($a) Save-Image -LiteralPath $a[0] -Name dag:1 -Destination $a[1] }
        $c | Assert-HostileCase -Accept Tolerated
        $saved = @(python3 -c "import tarfile,json,sys; print(json.dumps(json.load(tarfile.open(sys.argv[1]).extractfile('manifest.json'))))" $dest | ConvertFrom-Json)
        $saved.Count | Should -Be 1
        $saved[0].RepoTags | Should -Be @('dag:1')
    }
}

Describe 'A cycle of indexes' {
    It 'is a clear error, not a hang' {
        $layout = Copy-Layout 'cycle'
        # A lists B and B lists A: only possible with blobs stored under names they do not hash to
        $hexA = 'a' * 64; $hexB = 'b' * 64
        $listing = { param($hex) [ordered]@{ schemaVersion = 2; mediaType = $IndexType; manifests = @([ordered]@{ mediaType = $IndexType; digest = "sha256:$hex"; size = 200 }) } | ConvertTo-Json -Depth 5 -Compress }
        $a = (& $listing $hexB).PadRight(200); $b = (& $listing $hexA).PadRight(200)
        $descA = Add-Blob $layout $a $IndexType -AsHex $hexA
        [void](Add-Blob $layout $b $IndexType -AsHex $hexB)
        $top = Get-Content -Raw -LiteralPath (Join-Path $layout 'index.json') | ConvertFrom-Json -AsHashtable
        $descA.annotations = @{ 'org.opencontainers.image.ref.name' = 'cycle:1' }
        $top.manifests = @($top.manifests) + $descA
        Set-Content -LiteralPath (Join-Path $layout 'index.json') -Value ($top | ConvertTo-Json -Depth 6 -Compress) -NoNewline

        foreach ($action in @(
            { param($p) Get-Image -LiteralPath $p -Name cycle:1 }
            { param($p) Get-Image -LiteralPath $p -Name cycle:1 | Test-ImageBlob }
            { param($p) Get-ImageIndex -LiteralPath $p -Name cycle:1 }
        )) {
            $c = Invoke-HostileCase -Name "cycle of indexes: $action" -Class Explosion -TimeoutSeconds 20 -Arguments $layout -Unchanged $layout `
                -ExpectErrorId DigestMismatch, MalformedContent -Action $action
            $c | Assert-HostileCase
            ($c.Messages -join "`n") | Should -Match ([regex]::Escape($hexA))
        }
    }
}
