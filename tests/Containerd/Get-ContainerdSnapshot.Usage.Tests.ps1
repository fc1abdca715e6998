# Issue 13: Get-ContainerdSnapshot -Usage gives Size and Inodes as ctr snapshots usage does, on a real containerd
# (private root and socket in a temp folder, stopped by PID): committed layers as the snapshotter recorded them, an
# active snapshot measured now (files, a hard link, a sparse file, folders written into it here), a view.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:Needs = Get-RealToolNeed containerd, ctr
}

Describe 'Get-ContainerdSnapshot -Usage against ctr snapshots usage' @Needs {
    BeforeAll {
        Import-Module $env:IMAGETOOLS_MODULE -Force
        Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
        $script:Ctrd = Start-PrivateContainerd
        $archive = Join-Path $PSScriptRoot '../Fixtures/data/oci-archive.tar'
        Invoke-PrivateCtr $Ctrd @('-n', 'usage', 'images', 'import', $archive) | Out-Null
        $committed = @(Invoke-PrivateCtr $Ctrd @('-n', 'usage', 'snapshots', 'ls') | Select-Object -Skip 1 |
            Where-Object { $_ -match '\sCommitted\s*$' } | ForEach-Object { ($_ -split '\s+')[0] })
        $script:Parent = $committed[0]
        Invoke-PrivateCtr $Ctrd @('-n', 'usage', 'snapshots', 'prepare', 'work', $Parent) | Out-Null
        Invoke-PrivateCtr $Ctrd @('-n', 'usage', 'snapshots', 'view', 'look', $Parent) | Out-Null
        # write into the active snapshot's folder, as a container would
        $upper = (Get-ContainerdSnapshot -Path $Ctrd.Root -Namespace usage -Key work).Path
        New-Item -ItemType Directory "$upper/etc/deep/er" -Force | Out-Null
        [IO.File]::WriteAllBytes("$upper/etc/data.bin", [byte[]]::new(70000))
        Set-Content "$upper/etc/deep/er/small.txt" 'hello'
        & ln "$upper/etc/data.bin" "$upper/etc/deep/hardlink.bin"
        & ln -s ../data.bin "$upper/etc/deep/symlink"
        & truncate -s 5M "$upper/sparse.img"
        function Get-CtrUsage {
            $rows = @(Invoke-PrivateCtr $Ctrd @('-n', 'usage', 'snapshots', 'usage', '-b') | Select-Object -Skip 1 | Where-Object { $_.Trim() })
            $map = @{}
            foreach ($r in $rows) { $f = $r.Trim() -split '\s+'; $map[$f[0]] = @{ Size = [long]$f[1]; Inodes = [long]$f[2] } }
            $map
        }
    }
    AfterAll { if ($Ctrd) { Stop-PrivateContainerd $Ctrd } }

    It 'gives every snapshot the size and inodes ctr snapshots usage -b gives' {
        $want = Get-CtrUsage
        $want.Count | Should -BeGreaterThan 3
        $want['work'].Inodes | Should -BeGreaterThan 6 -Because 'the files written above are counted'
        $got = @(Get-ContainerdSnapshot -Path $Ctrd.Root -Namespace usage -Usage)
        $got.Count | Should -Be $want.Count
        foreach ($s in $got) {
            $want.ContainsKey($s.Key) | Should -BeTrue -Because $s.Key
            $s.Size | Should -Be $want[$s.Key].Size -Because "$($s.Key) ($($s.Kind))"
            $s.Inodes | Should -Be $want[$s.Key].Inodes -Because "$($s.Key) ($($s.Kind))"
        }
    }

    It 'leaves an active snapshot unmeasured without -Usage, and measures it again after a change' {
        (Get-ContainerdSnapshot -Path $Ctrd.Root -Namespace usage -Key work).Size | Should -BeNullOrEmpty
        $upper = (Get-ContainerdSnapshot -Path $Ctrd.Root -Namespace usage -Key work).Path
        [IO.File]::WriteAllBytes("$upper/more.bin", [byte[]]::new(12345))
        $want = (Get-CtrUsage)['work']
        $got = Get-ContainerdSnapshot -Path $Ctrd.Root -Namespace usage -Key work -Usage
        $got.Size | Should -Be $want.Size
        $got.Inodes | Should -Be $want.Inodes
    }
}
