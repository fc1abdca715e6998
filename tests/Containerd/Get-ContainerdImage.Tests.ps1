# Get-ContainerdImage and Get-Image on a containerd root, compared with ctr images ls of the same root.
BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    $script:Fx = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../Fixtures/containerd'))
    $script:Root = Join-Path $Fx 'root'
    function Read-CtrImages([string]$Ns) {
        Get-Content (Join-Path $Fx "ctr-images-$Ns.txt") | Select-Object -Skip 1 | Where-Object { $_.Trim() } | ForEach-Object {
            $f = $_.Trim() -split '\s+'
            [pscustomobject]@{ Ref = $f[0]; Type = $f[1]; Digest = $f[2]; Size = "$($f[3]) $($f[4])"; Platforms = $f[5] }
        }
    }
}

Describe 'Get-ContainerdImage' {
    It 'lists the images of <Ns> as ctr images ls does: name, media type, digest' -TestCases @(@{ Ns = 'k8s.io' }, @{ Ns = 'team-b' }) {
        $expected = @(Read-CtrImages $Ns)
        $actual = @(Get-ContainerdImage -Path $Root -Namespace $Ns)
        $actual.Name | Should -Be $expected.Ref
        $actual.MediaType | Should -Be $expected.Type
        @($actual.Digest | ForEach-Object ToString) | Should -Be $expected.Digest
        $actual | ForEach-Object { $_.Namespace | Should -Be $Ns }
    }
    It 'has the target size of the manifest blob, the annotations and creation times' {
        $app = Get-ContainerdImage -Path $Root -Namespace k8s.io -Name 'docker.io/library/app:2.0'
        $app.Size | Should -Be (Get-Item (Join-Path $Root "io.containerd.content.v1.content/blobs/sha256/$($app.Digest -replace "^sha256:")")).Length
        $app.Annotations['io.containerd.image.name'] | Should -Be 'docker.io/library/app:2.0'
        $app.Annotations['org.opencontainers.image.ref.name'] | Should -Be '2.0'
        $app.CreatedAt | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$'
        [DateTimeOffset]$app.UpdatedAt | Should -BeGreaterOrEqual ([DateTimeOffset]$app.CreatedAt)
    }
    It 'has the whole image size and the platforms ctr images ls shows for <Ns>, as a number and a list' -TestCases @(@{ Ns = 'k8s.io' }, @{ Ns = 'team-b' }) {
        $expected = @(Read-CtrImages $Ns)
        $actual = @(Get-ContainerdImage -Path $Root -Namespace $Ns)
        $actual.Count | Should -Be $expected.Count
        for ($i = 0; $i -lt $expected.Count; $i++) {
            $actual[$i].ImageSize | Should -BeOfType [long]
            # ctr prints progress.Bytes: one decimal in KiB for these sizes
            ('{0:0.0} KiB' -f ($actual[$i].ImageSize / 1024)) | Should -Be $expected[$i].Size -Because $expected[$i].Ref
            (@($actual[$i].Platforms) -join ',') | Should -Be $expected[$i].Platforms -Because $expected[$i].Ref
        }
    }
    It 'shows in its default table the columns ctr images ls shows first, with the size as ctr prints it (<Ns>)' -TestCases @(@{ Ns = 'k8s.io' }, @{ Ns = 'team-b' }) {
        $expected = @(Read-CtrImages $Ns)
        $lines = @((Get-ContainerdImage -Path $Root -Namespace $Ns | Format-Table | Out-String -Width 300) -split '\r?\n' | Where-Object { $_.Trim() })
        $header = $lines | Where-Object { $_ -match '^REF\s' }
        @($header).Count | Should -Be 1
        (($header.Trim() -split '\s+') | Select-Object -First 5) | Should -Be @('REF', 'TYPE', 'DIGEST', 'SIZE', 'PLATFORMS')
        $expected.Count | Should -BeGreaterThan 0
        foreach ($e in $expected) {
            $row = @($lines | Where-Object { ($_.Trim() -split '\s+')[0] -eq $e.Ref })
            $row.Count | Should -Be 1 -Because $e.Ref
            $f = $row[0].Trim() -split '\s+'
            $f[1] | Should -Be $e.Type
            $f[2] | Should -Be $e.Digest
            "$($f[3]) $($f[4])" | Should -Be $e.Size
            $f[5] | Should -Be $e.Platforms
        }
    }
    It 'matches names with wildcards across namespaces' {
        $b = @(Get-ContainerdImage -Path $Root -Name 'base:*')
        $b.Namespace | Should -Be @('k8s.io', 'team-b')
    }
}

Describe 'Get-Image on a containerd root' {
    It 'lists the images of every namespace with their namespace, and the sizes and platforms ctr reports' {
        $images = @(Get-Image -Path $Root)
        $images.Count | Should -Be 4
        foreach ($ns in 'k8s.io', 'team-b') {
            foreach ($e in Read-CtrImages $ns) {
                $i = $images | Where-Object { $_.Namespace -eq $ns -and $_.Digest.ToString() -eq $e.Digest }
                $i | Should -Not -BeNullOrEmpty -Because "$ns $($e.Ref)"
                $i.StoreKind | Should -Be 'Containerd'
                # ctr prints the total with one decimal in KiB; for an index it counts only the host's platform
                $size = $i.Size
                if ($e.Type -like '*index*') {
                    $c = @{}; Get-ContainerdContent -Path $Root -Namespace $ns | ForEach-Object { $c[$_.Digest.ToString()] = $_ }
                    $index = $c[$e.Digest]
                    $amd64 = $index.ChildReferences | Where-Object { (Get-Content -Raw $c[$_.ToString()].BlobPath) -and
                        ((Get-Content -Raw $index.BlobPath | ConvertFrom-Json).manifests | Where-Object digest -eq $_.ToString()).platform.architecture -eq 'amd64' }
                    $m = $c[$amd64.ToString()]
                    $size = $index.Size + $m.Size + $c[$m.ConfigReference.ToString()].Size + ($m.LayerReferences | ForEach-Object { $c[$_.ToString()].Size } | Measure-Object -Sum).Sum
                }
                ('{0:0.0} KiB' -f ($size / 1024)) | Should -Be $e.Size
                ($i.Platforms -join ',') | Should -Be $e.Platforms
            }
        }
    }
    It 'restricts to -Namespace and reports a namespace that does not exist' {
        @(Get-Image -Path $Root -Namespace team-b).Name | Should -Be @('base:1.0')
        Get-Image -Path $Root -Namespace nope -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NamespaceNotFound*'
    }
    It 'walks manifests and layers and verifies every blob of the content store' {
        $results = Get-Image -Path $Root -Namespace k8s.io | Get-ImageManifest | Get-ImageLayer | Test-ImageBlob
        @($results).Count | Should -BeGreaterThan 5
        $results | ForEach-Object { $_.Status | Should -Be 'Valid' }
    }
    It 'finds an image by name within a namespace' {
        $app = Get-Image -Path $Root -Namespace k8s.io -Name app:2.0
        $app.Digest.ToString() | Should -Be 'sha256:d26bc6e4039dbc66d6cee11825bf57e8070a3639daddcdc700de4a2034d0dd25'
        $app.Namespace | Should -Be 'k8s.io'
    }
}
