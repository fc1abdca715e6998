# Snapshots, containers, leases, sandboxes and damaged databases, compared with ctr's listings of the same root.
BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    $script:Fx = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../Fixtures/containerd'))
    $script:Root = Join-Path $Fx 'root'
    function Read-CtrTable([string]$File) {
        Get-Content (Join-Path $Fx $File) | Select-Object -Skip 1 | Where-Object { $_.Trim() } | ForEach-Object { , ($_.Trim() -split '\s+') }
    }
    # a private copy of the fixture root (regular files only) to damage or rearrange
    function Copy-Root([string]$To) {
        Copy-Item -Recurse -Path $Root -Destination $To
        $To
    }
}

Describe 'Get-ContainerdSnapshot' {
    It 'lists the snapshots of <Ns> as ctr snapshots ls does: key, parent, kind' -TestCases @(@{ Ns = 'k8s.io' }, @{ Ns = 'team-b' }) {
        $expected = @(Read-CtrTable "ctr-snapshots-$Ns.txt")
        $actual = @(Get-ContainerdSnapshot -Path $Root -Namespace $Ns)
        $actual.Count | Should -Be $expected.Count
        foreach ($e in $expected) {
            $a = $actual | Where-Object Key -eq $e[0]
            $a | Should -Not -BeNullOrEmpty -Because $e[0]
            $a.Kind.ToString() | Should -Be $e[-1]
            if ($e.Count -eq 3) { $a.Parent | Should -Be $e[1] } else { $a.Parent | Should -BeNullOrEmpty }
            $a.State | Should -Be 'Ok'
            $a.Snapshotter | Should -Be 'overlayfs'
        }
    }
    It 'has the creation times ctr snapshots info reports' {
        foreach ($line in Get-Content (Join-Path $Fx 'ctr-snapshots-info-k8s.io.jsonl')) {
            $info = $line | ConvertFrom-Json
            $a = Get-ContainerdSnapshot -Path $Root -Namespace k8s.io -Key $info.Name
            # ctr prints nanoseconds; .NET keeps 100 ns ticks
            ([DateTimeOffset]$a.CreatedAt).UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ss.fffffff') | Should -Be ([string]$info.Created).Substring(0, 27)
        }
    }
    It 'maps every snapshot to a snapshots/N/fs folder that containerd made, each id once (ids from snapshot-dirs.txt)' {
        $dirs = Get-Content (Join-Path $Fx 'snapshot-dirs.txt')
        $all = @(Get-ContainerdSnapshot -Path $Root)
        $all | ForEach-Object { $_.PathExists | Should -BeTrue; $_.Path | Should -Match '/snapshots/\d+/fs$' }
        @($all.Id | ForEach-Object { "$_" } | Sort-Object { [int]$_ }) | Should -Be $dirs
        ($all | Where-Object Key -eq 'app-ctr').Path | Should -Be (Join-Path $Root 'io.containerd.snapshotter.v1.overlayfs/snapshots/10/fs')
    }
    It 'reports the snapshots meta.db and the snapshotter disagree on, and folders neither knows, as leaked' {
        $copy = Copy-Root (Join-Path $TestDrive 'leaky')
        # meta-before.db: containerd's metadata before view-gone was removed and view-new was added
        Copy-Item (Join-Path $Fx 'meta-before.db') (Join-Path $copy 'io.containerd.metadata.v1.bolt/meta.db') -Force
        New-Item -ItemType Directory (Join-Path $copy 'io.containerd.snapshotter.v1.overlayfs/snapshots/99/fs') | Out-Null
        $leaked = @(Get-ContainerdSnapshot -Path $copy -Leaked)
        # team-view was in meta-before.db too; containerd's garbage collector removed it (an unleased view) in run 2
        $leaked.Count | Should -Be 4
        ($leaked | Where-Object Key -eq 'team-view').State | Should -Be 'MissingFromSnapshotter'
        ($leaked | Where-Object Key -eq 'team-view').Namespace | Should -Be 'team-b'
        $gone = $leaked | Where-Object Key -eq 'view-gone'
        $gone.State | Should -Be 'MissingFromSnapshotter'
        $gone.Namespace | Should -Be 'k8s.io'
        $new = $leaked | Where-Object Key -eq 'view-new'
        $new.State | Should -Be 'MissingFromMetadata'
        $new.Kind | Should -Be 'View'
        $new.Namespace | Should -Be 'k8s.io'
        $new.Path | Should -Be (Join-Path $copy 'io.containerd.snapshotter.v1.overlayfs/snapshots/13/fs')
        $orphan = $leaked | Where-Object State -eq 'OrphanDirectory'
        $orphan.Id | Should -Be 99
        # nothing is leaked in the consistent root
        Get-ContainerdSnapshot -Path $Root -Leaked | Should -BeNullOrEmpty
    }
}

Describe 'Get-ContainerdContainer' {
    It 'lists the containers as ctr containers ls and containers info do' {
        $info = Get-Content -Raw (Join-Path $Fx 'ctr-container-info-app-ctr.json') | ConvertFrom-Json
        $rows = @(Read-CtrTable 'ctr-containers-k8s.io.txt')
        $c = @(Get-ContainerdContainer -Path $Root -Namespace k8s.io -StatePath (Join-Path $TestDrive 'no-state'))
        $c.Count | Should -Be $rows.Count
        $c[0].Id | Should -Be $rows[0][0]
        $c[0].Image | Should -Be $rows[0][1]
        $c[0].Runtime | Should -Be $rows[0][2]
        $c[0].Snapshotter | Should -Be $info.Snapshotter
        $c[0].SnapshotKey | Should -Be $info.SnapshotKey
        $c[0].RuntimeOptionsType | Should -Be $info.Runtime.Options.type_url
        foreach ($p in $info.Labels.PSObject.Properties) { $c[0].Labels[$p.Name] | Should -Be $p.Value }
        $c[0].Labels.Count | Should -Be @($info.Labels.PSObject.Properties).Count
        ([DateTimeOffset]$c[0].CreatedAt).UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ss.fffffff') | Should -Be ([string]$info.CreatedAt).Substring(0, 27)
        ($c[0].Spec | ConvertFrom-Json).linux.cgroupsPath | Should -Be '/k8s.io/app-ctr'
        $c[0].SnapshotPath | Should -Be (Join-Path $Root 'io.containerd.snapshotter.v1.overlayfs/snapshots/10/fs')
        $c[0].RootfsPath | Should -BeNullOrEmpty
    }
    It 'finds the task rootfs under the state directory when it exists' {
        $state = Join-Path $TestDrive 'state'
        New-Item -ItemType Directory (Join-Path $state 'io.containerd.runtime.v2.task/k8s.io/app-ctr/rootfs') | Out-Null
        $c = Get-ContainerdContainer -Path $Root -Id app-ctr -StatePath $state
        $c.RootfsPath | Should -Be (Join-Path $state 'io.containerd.runtime.v2.task/k8s.io/app-ctr/rootfs')
    }
}

Describe 'Get-ContainerdLease and Get-ContainerdSandbox' {
    It 'lists the leases as ctr leases ls does' {
        $rows = @(Read-CtrTable 'ctr-leases-k8s.io.txt')
        $l = @(Get-ContainerdLease -Path $Root -Namespace k8s.io)
        $l.Id | Should -Be $rows[0][0]
        ([DateTimeOffset]$l[0].CreatedAt).UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ssZ') | Should -Be $rows[0][1]
        $l[0].LabelText | Should -Be $rows[0][2]
        Get-ContainerdLease -Path $Root -Namespace team-b | Should -BeNullOrEmpty
    }
    It 'lists CRI sandbox folders that no metadata knows as leaked' {
        $copy = Copy-Root (Join-Path $TestDrive 'cri')
        $dir = New-Item -ItemType Directory (Join-Path $copy 'io.containerd.grpc.v1.cri/sandboxes/abc123')
        Set-Content (Join-Path $dir 'sandbox.json') '{}'
        $state = Join-Path $TestDrive 'cri-state'
        $sdir = New-Item -ItemType Directory (Join-Path $state 'io.containerd.grpc.v1.cri/sandboxes/abc123')
        Set-Content (Join-Path $sdir 'hostname') 'pod'
        $s = @(Get-ContainerdSandbox -Path $copy -StatePath $state)
        $s.Count | Should -Be 1
        $s[0].Id | Should -Be 'abc123'
        $s[0].Leaked | Should -BeTrue
        $s[0].Files | Should -Be @('hostname', 'sandbox.json')
        $s[0].StateDirectory | Should -Be $sdir.FullName
    }
}

Describe 'Damaged and embedded roots' {
    It 'gives a clear MetadataCorrupt error for a damaged meta.db, and goes on with the next root' {
        $copy = Copy-Root (Join-Path $TestDrive 'damaged')
        $db = Join-Path $copy 'io.containerd.metadata.v1.bolt/meta.db'
        $bytes = [IO.File]::ReadAllBytes($db)
        # both meta pages: flip a byte of the checksummed part
        $bytes[16 + 40] = $bytes[16 + 40] -bxor 0xFF
        $bytes[4096 + 16 + 40] = $bytes[4096 + 16 + 40] -bxor 0xFF
        [IO.File]::WriteAllBytes($db, $bytes)
        $out = @(Get-ContainerdContent -LiteralPath $copy, $Root -Namespace team-b -ErrorVariable err -ErrorAction SilentlyContinue)
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'MetadataCorrupt*'
        $err[0].Exception.Message | Should -BeLike "*$db*"
        $err[0].TargetObject | Should -Be $copy
        $out.Count | Should -Be 5
    }
    It 'gives MetadataCorrupt for a truncated meta.db' {
        $copy = Copy-Root (Join-Path $TestDrive 'truncated')
        $db = Join-Path $copy 'io.containerd.metadata.v1.bolt/meta.db'
        $bytes = [IO.File]::ReadAllBytes($db)
        [IO.File]::WriteAllBytes($db, $bytes[0..(3 * 4096 - 1)])
        Get-Image -Path $copy -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'MetadataCorrupt*'
    }
    It 'reads the containerd root that Docker embeds when given the Docker data-root' {
        $docker = Join-Path $TestDrive 'docker'
        New-Item -ItemType Directory (Join-Path $docker 'containerd') | Out-Null
        Copy-Item -Recurse $Root (Join-Path $docker 'containerd/daemon')
        (Get-ContainerdNamespace -Path $docker).Name | Should -Be @('k8s.io', 'team-b')
        @(Get-ContainerdContent -Path $docker -Namespace team-b).Count | Should -Be 5
        @(Get-Image -Path (Join-Path $docker 'containerd/daemon') -Namespace team-b).Count | Should -Be 1
    }
}
