# A Docker data root that keeps its images in its embedded containerd (namespace moby, Docker 29's default on fresh
# installs): made here by a real containerd importing into namespace moby, then laid out as Docker lays it out.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:needs = Get-RealToolNeed containerd, ctr
}

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
}

Describe 'Get-Image on a Docker root with the containerd image store' @needs {
    BeforeAll {
        $daemon = Start-PrivateContainerd
        try {
            Invoke-PrivateCtr $daemon @('-n', 'moby', 'images', 'import', (Join-Path $PSScriptRoot '../Fixtures/data/oci-archive.tar')) | Out-Null
            $script:ctrImages = Invoke-PrivateCtr $daemon @('-n', 'moby', 'images', 'ls')
        }
        finally { Stop-PrivateContainerd $daemon -KeepRoot }
        $script:dockerRoot = Join-Path $TestDrive 'docker'
        New-Item -ItemType Directory -Force "$dockerRoot/containers", "$dockerRoot/containerd" | Out-Null
        Move-Item $daemon.Root "$dockerRoot/containerd/daemon"
        Remove-PrivateRoot $daemon.Dir
    }

    It 'lists the images containerd holds in namespace moby, with the digests ctr shows' {
        # ctr images ls: a header, then one line per image (REF TYPE DIGEST ...)
        $rows = @($ctrImages | Select-Object -Skip 1 | Where-Object { $_.Trim() } | ForEach-Object { , ($_.Trim() -split '\s+') })
        $rows.Count | Should -Be 1
        $images = @(Get-Image -Path $dockerRoot)
        $images.Count | Should -Be $rows.Count
        $images[0].Digest.ToString() | Should -Be $rows[0][2]
        # ctr keeps the name as the archive gave it (base:1.0); both normalize to the same reference.
        [ImageTools.Oci.ImageReference]::Parse($rows[0][0]).ToString() | Should -Be $images[0].FullName
        $images[0].StoreKind | Should -Be 'Containerd'
    }

    It 'verifies every blob of those images' {
        $r = @(Get-Image -Path $dockerRoot | Test-ImageBlob -DiffId)
        $r.Count | Should -BeGreaterThan 2
        @($r | Where-Object Status -ne Valid) | Should -BeNullOrEmpty
    }
}
