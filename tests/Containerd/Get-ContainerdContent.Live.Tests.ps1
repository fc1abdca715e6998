# Runs the real containerd (private root, state and socket in a temp folder) and reads its root WHILE it runs:
# containerd holds flock(LOCK_EX) on meta.db, and the reader must neither fail nor disturb it. Also checks the
# task rootfs path of a running container. Skipped when containerd, ctr or runc are missing or not root.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:Needs = Get-RealToolNeed containerd, ctr, runc
}

Describe 'A running containerd' @Needs {
    BeforeAll {
        Import-Module $env:IMAGETOOLS_MODULE -Force
        Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
        $script:Ctrd = Start-PrivateContainerd
        $script:Proc = $Ctrd.Process
        $script:Sock = $Ctrd.Socket
        $script:Work = $Ctrd.Dir
        $archive = Join-Path $PSScriptRoot '../Fixtures/data/oci-archive.tar'
        Invoke-PrivateCtr $Ctrd @('-n', 'live', 'images', 'import', $archive) | Out-Null
        # The archive's own index.json is stored too and, referred to by no image, removed by containerd's garbage
        # collector a moment later: the listings below must not race with that.
        $indexBlob = 'sha256:' + (Invoke-Native 'tar -xOf "$1" index.json | sha256sum | cut -d" " -f1' @($archive)).Trim()
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        while ((& ctr -a $Ctrd.Socket -n live content ls -q) -contains $indexBlob -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 250 }
        # the image has no usable binaries: run the host's sleep through read-only bind mounts
        $mounts = foreach ($d in '/usr', '/lib', '/lib64', '/bin') { if (Test-Path $d) { '--mount'; "type=bind,src=$d,dst=$d,options=rbind:ro" } }
        Invoke-PrivateCtr $Ctrd (@('-n', 'live', 'run', '-d', '--null-io') + @($mounts) + @('base:1.0', 'sleeper', '/usr/bin/sleep', '120')) | Out-Null
        $script:StatePath = Join-Path $Work 'state'
        $script:RootPath = $Ctrd.Root
    }
    AfterAll {
        if ($Ctrd) {
            & ctr -a $Sock -n live tasks kill -s SIGKILL sleeper *> $null
            Start-Sleep -Milliseconds 300
            & ctr -a $Sock -n live tasks delete sleeper *> $null
            & ctr -a $Sock -n live containers delete sleeper *> $null
            Stop-PrivateContainerd $Ctrd   # also unmounts and removes its temp root (Remove-PrivateRoot)
        }
    }

    It 'reads meta.db while containerd holds its lock, with the same answers as ctr' {
        # containerd's garbage collector removes the archive's own index.json blob (no image refers to it) at a time of
        # its choosing after the import: compare with a listing that ctr gives both before and after our read.
        for ($try = 1; $try -le 10; $try++) {
            $before = @(& ctr -a $Sock -n live content ls -q | Sort-Object)
            $actual = Get-ContainerdContent -Path $RootPath -Namespace live -ErrorAction Stop
            $after = @(& ctr -a $Sock -n live content ls -q | Sort-Object)
            if (($before -join ',') -eq ($after -join ',')) { break }
            Start-Sleep -Milliseconds 500
        }
        $before.Count | Should -BeGreaterThan 0
        @($actual.Digest | ForEach-Object ToString | Sort-Object) | Should -Be $after
        $Proc.HasExited | Should -BeFalse
        # containerd still works after being read
        & ctr -a $Sock -n live images ls -q | Should -Be 'base:1.0'
    }
    It 'reads the same records, without errors, while containerd commits label changes under it' {
        $expected = @(& ctr -a $Sock -n live content ls -q | Sort-Object)
        $target = $expected[0]
        # each ctr content label is one commit of meta.db (bbolt reuses the pages of older transactions)
        $loop = Join-Path $Work 'label-loop.sh'
        Set-Content $loop 'for i in $(seq 1 200); do ctr -a "$1" -n live content label "$2" imagetools.test/counter=$i > /dev/null || exit 1; done'
        $writer = Start-Process bash -PassThru -ArgumentList $loop, $Sock, $target
        $reads = 0
        try {
            while (-not $writer.HasExited -and $reads -lt 40) {
                $actual = @(Get-ContainerdContent -Path $RootPath -Namespace live -ErrorAction Stop)
                @($actual.Digest | ForEach-Object ToString | Sort-Object) | Should -Be $expected
                $reads++
            }
        } finally {
            $writer.WaitForExit(60000) | Out-Null
        }
        $writer.ExitCode | Should -Be 0
        $reads | Should -BeGreaterThan 1
        $after = Get-ContainerdContent -Path $RootPath -Namespace live -Digest $target
        $after.Labels['imagetools.test/counter'] | Should -Be '200'
        $Proc.HasExited | Should -BeFalse
    }
    It 'finds the running task and its rootfs under the state directory' {
        $c = Get-ContainerdContainer -Path $RootPath -Namespace live -StatePath $StatePath
        $c.Id | Should -Be 'sleeper'
        $c.RootfsPath | Should -Be (Join-Path $StatePath 'io.containerd.runtime.v2.task/live/sleeper/rootfs')
        Test-Path (Join-Path $c.RootfsPath 'etc/os-release') | Should -BeTrue
        $snap = Get-ContainerdSnapshot -Path $RootPath -Namespace live -Key sleeper
        $snap.Kind | Should -Be 'Active'
        $c.SnapshotPath | Should -Be $snap.Path
    }
    It 'walks and verifies the image from the live content store' {
        $r = @(Get-Image -Path $RootPath -Namespace live | Get-ImageManifest | Get-ImageLayer | Test-ImageBlob)
        # one result per layer of the manifest, as ctr reads it from the live content store
        $row = @(& ctr -a $Sock -n live images ls | Select-Object -Skip 1 | Where-Object { $_ -match '^base:1\.0\s' })
        $row.Count | Should -Be 1
        $manifest = (& ctr -a $Sock -n live content get ($row[0] -split '\s+')[2]) -join "`n" | ConvertFrom-Json
        @($manifest.layers).Count | Should -BeGreaterThan 0
        $r.Count | Should -Be @($manifest.layers).Count
        $r | ForEach-Object { $_.Status | Should -Be 'Valid' }
    }
}
