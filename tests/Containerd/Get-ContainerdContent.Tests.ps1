# Compares the Get-Containerd* cmdlets with what the real containerd 1.6 (ctr) said about the same root
# (tests/Fixtures/containerd, made by make-containerd-fixtures.sh), field by field.
BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    $script:Fx = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../Fixtures/containerd'))
    $script:Root = Join-Path $Fx 'root'

    # ctr's tables: whitespace-separated columns (content ls uses tabs and has a multi-word AGE column)
    function Read-CtrTable([string]$File) {
        Get-Content (Join-Path $Fx $File) | Select-Object -Skip 1 | Where-Object { $_.Trim() } |
            ForEach-Object { , ($_.Trim() -split '\s+') }
    }
    function Read-CtrContent([string]$Ns) {
        Get-Content (Join-Path $Fx "ctr-content-$Ns.txt") | Select-Object -Skip 1 | Where-Object { $_.Trim() } | ForEach-Object {
            $f = $_ -split "`t"
            [pscustomobject]@{ Digest = $f[0]; Size = $f[1]; Labels = $f[-1] }
        }
    }
}

Describe 'Get-ContainerdNamespace' {
    It 'lists the namespaces ctr namespaces ls lists, with their labels' {
        $expected = Read-CtrTable 'ctr-namespaces.txt'
        $actual = Get-ContainerdNamespace -Path $Root
        $actual.Name | Should -Be ($expected | ForEach-Object { $_[0] })
        ($actual | Where-Object Name -eq 'team-b').LabelText | Should -Be (($expected | Where-Object { $_[0] -eq 'team-b' })[1])
        ($actual | Where-Object Name -eq 'k8s.io').Labels.Count | Should -Be 0
    }
    It 'counts the records of each namespace like the ctr listings' {
        $k8s = Get-ContainerdNamespace -Path $Root -Name k8s.io
        $k8s.ContentCount | Should -Be @(Read-CtrContent 'k8s.io').Count
        $k8s.ImageCount | Should -Be @(Read-CtrTable 'ctr-images-k8s.io.txt').Count
        $k8s.SnapshotCount | Should -Be @(Read-CtrTable 'ctr-snapshots-k8s.io.txt').Count
        $k8s.ContainerCount | Should -Be @(Read-CtrTable 'ctr-containers-k8s.io.txt').Count
        $k8s.LeaseCount | Should -Be @(Read-CtrTable 'ctr-leases-k8s.io.txt').Count
    }
    It 'accepts the metadata folder and meta.db itself' {
        (Get-ContainerdNamespace -Path (Join-Path $Root 'io.containerd.metadata.v1.bolt')).Name | Should -Be @('k8s.io', 'team-b')
        (Get-ContainerdNamespace -LiteralPath (Join-Path $Root 'io.containerd.metadata.v1.bolt/meta.db')).Name | Should -Be @('k8s.io', 'team-b')
    }
    It 'writes NamespaceNotFound for a namespace that is not there' {
        $r = Get-ContainerdNamespace -Path $Root -Name nope -ErrorVariable err -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NamespaceNotFound*'
    }
    It 'writes StoreNotRecognized for a folder that is not a containerd root' {
        Get-ContainerdNamespace -Path $Fx -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'StoreNotRecognized*'
    }
}

Describe 'Get-ContainerdContent' {
    It 'lists every record of <Ns> that ctr content ls lists, with the same size and labels' -TestCases @(@{ Ns = 'k8s.io' }, @{ Ns = 'team-b' }) {
        $expected = @(Read-CtrContent $Ns)
        $actual = @(Get-ContainerdContent -Path $Root -Namespace $Ns)
        $actual.Count | Should -Be $expected.Count
        foreach ($e in $expected) {
            $a = $actual | Where-Object { $_.Digest.ToString() -eq $e.Digest }
            $a | Should -Not -BeNullOrEmpty -Because $e.Digest
            [ImageTools.ContainerdText]::HumanSize($a.Size) | Should -Be $e.Size
            # ctr prints labels in Go map order: compare as sets
            $want = if ($e.Labels -eq '-') { @() } else { @($e.Labels -split ',' | Sort-Object) }
            $have = @($a.Labels.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" } | Sort-Object)
            $have | Should -Be $want
            $a.Namespace | Should -Be $Ns
            $a.BlobExists | Should -BeTrue
            $a.BlobPath | Should -Be (Join-Path $Root "io.containerd.content.v1.content/blobs/sha256/$($e.Digest.Substring(7))")
        }
    }
    It 'orders the labels by key' {
        $m = Get-ContainerdContent -Path $Root -Namespace k8s.io -Digest 'sha256:d26bc6e4039dbc66d6cee11825bf57e8070a3639daddcdc700de4a2034d0dd25'
        $keys = @($m.Labels.Keys)
        $keys | Should -Be ($keys | Sort-Object { $_ } -CaseSensitive)
    }
    It 'decodes the manifest references of app:2.0 in the order of its manifest' {
        $m = Get-ContainerdContent -Path $Root -Namespace k8s.io -Digest 'sha256:d26bc6e4039dbc66d6cee11825bf57e8070a3639daddcdc700de4a2034d0dd25'
        $m.Kind | Should -Be 'Manifest'
        $manifest = Get-Content -Raw $m.BlobPath | ConvertFrom-Json
        $m.ConfigReference.ToString() | Should -Be $manifest.config.digest
        @($m.LayerReferences | ForEach-Object ToString) | Should -Be @($manifest.layers.digest)
    }
    It 'decodes the children of the multi:latest index in order' {
        $i = Get-ContainerdContent -Path $Root -Namespace k8s.io -Digest 'sha256:253ccd0376f30a87fe01ad8be181414e79e301f0999b13e6e12a8ec2cbfb6d72'
        $i.Kind | Should -Be 'Index'
        $index = Get-Content -Raw $i.BlobPath | ConvertFrom-Json
        @($i.ChildReferences | ForEach-Object ToString) | Should -Be @($index.manifests.digest)
    }
    It 'reads the uncompressed digest of a gzip layer as the DiffID in its config' {
        $base = Get-ContainerdContent -Path $Root -Namespace team-b -Digest 'sha256:5a254dd30f8171c52eef85e5bb742e8be493b3c83afe89a5d540231adef7018d'
        $config = Get-Content -Raw (Get-ContainerdContent -Path $Root -Namespace team-b -Digest $base.ConfigReference.ToString()).BlobPath | ConvertFrom-Json
        $layers = $base.LayerReferences | ForEach-Object { Get-ContainerdContent -Path $Root -Namespace team-b -Digest $_.ToString() }
        @($layers | ForEach-Object { $_.UncompressedDigest.ToString() }) | Should -Be @($config.rootfs.diff_ids)
        $layers | ForEach-Object { $_.Kind | Should -Be 'Layer' }
    }
    It 'reads the snapshot reference of a config, which names a committed snapshot (ctr snapshots ls)' {
        $cfg = Get-ContainerdContent -Path $Root -Namespace k8s.io -Kind Config | Where-Object SnapshotReference
        @($cfg).Count | Should -Be 3
        $committed = Read-CtrTable 'ctr-snapshots-k8s.io.txt' | Where-Object { $_[-1] -eq 'Committed' } | ForEach-Object { $_[0] }
        foreach ($c in $cfg) {
            $c.SnapshotReferenceSnapshotter | Should -Be 'overlayfs'
            $committed | Should -Contain $c.SnapshotReference
        }
    }
    It 'infers the kind of unlabelled blobs from the references to them' {
        $arm = Get-ContainerdContent -Path $Root -Namespace k8s.io -Digest 'sha256:300135b5701e1381b0c124545c2826acfac8871c380744425e59613a4c96b92a'
        (Get-ContainerdContent -Path $Root -Namespace k8s.io -Digest $arm.ConfigReference.ToString()).Kind | Should -Be 'Config'
        (Get-ContainerdContent -Path $Root -Namespace k8s.io -Digest $arm.LayerReferences[0].ToString()).Kind | Should -Be 'Layer'
    }
    It 'selects by wildcard and reports a digest that is not there or not a digest' {
        @(Get-ContainerdContent -Path $Root -Namespace k8s.io -Digest 'sha256:5a*').Count | Should -Be 2
        Get-ContainerdContent -Path $Root -Digest ('sha256:' + '0' * 64) -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'BlobNotFound*'
        Get-ContainerdContent -Path $Root -Digest 'sha256:../../etc/passwd' -ErrorVariable err2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err2[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDigest*'
    }
    It 'tells which records have their blob file in the content store' {
        $copy = Join-Path $TestDrive 'missing-blob'
        Copy-Item -Recurse $Root $copy
        $all = @(Get-ContainerdContent -Path $copy -Namespace k8s.io)
        $files = Get-ChildItem (Join-Path $copy 'io.containerd.content.v1.content/blobs/sha256') | ForEach-Object Name
        $all | ForEach-Object { $_.BlobExists | Should -Be ($files -contains ($_.Digest -replace "^sha256:")) -Because "$($_.Digest)" }
        $gone = $all | Where-Object Kind -eq 'Config' | Select-Object -First 1
        Remove-Item (Join-Path $copy "io.containerd.content.v1.content/blobs/sha256/$($gone.Digest -replace "^sha256:")")
        $after = @(Get-ContainerdContent -Path $copy -Namespace k8s.io | Where-Object { -not $_.BlobExists })
        @($after.Digest | ForEach-Object ToString) | Should -Be @("$($gone.Digest)")
    }

    It 'has a default table view like ctr content ls (DIGEST SIZE AGE LABELS)' {
        $text = Get-ContainerdContent -Path $Root -Namespace team-b | Out-String -Width 400
        $text | Should -Match 'DIGEST\s+SIZE\s+AGE\s+LABELS'
        $text | Should -Match 'sha256:ce7dbf61f5c5e95fb4800c75555defdffd448fe6ed3dee0e4c1a8cd3abf19266\s+1\.323kB'
    }
}

Describe 'ContainerdText' {
    It 'formats sizes like go-units HumanSize' {
        [ImageTools.ContainerdText]::HumanSize(10240) | Should -Be '10.24kB'
        [ImageTools.ContainerdText]::HumanSize(591) | Should -Be '591B'
        [ImageTools.ContainerdText]::HumanSize(1000) | Should -Be '1kB'
        [ImageTools.ContainerdText]::HumanSize(41943040) | Should -Be '41.94MB'
    }
    It 'formats ages like go-units HumanDuration' {
        [ImageTools.ContainerdText]::HumanDuration([timespan]::FromMilliseconds(300)) | Should -Be 'Less than a second'
        [ImageTools.ContainerdText]::HumanDuration([timespan]::FromSeconds(14)) | Should -Be '14 seconds'
        [ImageTools.ContainerdText]::HumanDuration([timespan]::FromMinutes(61)) | Should -Be 'About an hour'
        [ImageTools.ContainerdText]::HumanDuration([timespan]::FromDays(3)) | Should -Be '3 days'
    }
}
