# Issue 13: every progress sequence a cmdlet writes ends at 100 % and is completed (the bars stopped at 84-89 %).
# The progress records are captured from the Progress stream of a PowerShell of the test's own (Invoke-InOwnPowerShell).
BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:Data = Join-Path $PSScriptRoot '../Fixtures/data'
    $script:Layout = Join-Path $Data 'oci-layout'

    # The sequences of a run: the records of one activity id up to and including a Completed record. Every sequence
    # must be closed, its last record before completion and its completion at 100 %.
    function Assert-ProgressEnds($Run, [int] $AtLeast = 1) {
        $Run.Errors | Should -BeNullOrEmpty
        $records = @($Run.Progress)
        $completed = @($records | Where-Object RecordType -eq 'Completed')
        $completed.Count | Should -BeGreaterOrEqual $AtLeast
        foreach ($c in $completed) { $c.PercentComplete | Should -Be 100 -Because "$($c.Activity) is completed" }
        $open = @{}
        foreach ($r in $records) {
            if ($r.RecordType -eq 'Completed') {
                $open.ContainsKey($r.ActivityId) | Should -BeTrue -Because "$($r.Activity) is completed after being shown at 100 %"
                $open[$r.ActivityId].PercentComplete | Should -Be 100 -Because "$($r.Activity) last showed $($open[$r.ActivityId].PercentComplete) %"
                $open.Remove($r.ActivityId)
            } else { $open[$r.ActivityId] = $r }
        }
        @($open.Values | ForEach-Object Activity) | Should -BeNullOrEmpty -Because 'every sequence is completed'
    }
}

# Save-Image and Copy-Image write one overall record, and a child record per blob only while a blob is still moving
# when progress is polled (every 250 ms): the small fixture saves may show the overall one alone.
Describe 'Progress ends at 100 % and is completed' {
    It 'Save-Image' {
        $run = Invoke-InOwnPowerShell -ArgumentList $Layout, (Join-Path $TestDrive 'save.tar') { param($l, $d) Save-Image -Path $l -Name app:2.0, multi:latest -DestinationPath $d }
        $run.Output.Count | Should -Be 1
        Assert-ProgressEnds $run
    }
    It 'Copy-Image into a layout' {
        $run = Invoke-InOwnPowerShell -ArgumentList $Layout, (Join-Path $TestDrive 'copy') { param($l, $d) Copy-Image -Path $l -Name base:1.0 -Destination $d }
        Assert-ProgressEnds $run
    }
    It 'Expand-Image' {
        $run = Invoke-InOwnPowerShell -ArgumentList $Layout, (Join-Path $TestDrive 'rootfs') { param($l, $d) Expand-Image -Path $l -Name app:2.0 -DestinationPath $d }
        $run.Output.Count | Should -Be 1
        Assert-ProgressEnds $run
    }
    It 'Test-ImageBlob -DiffId' {
        $run = Invoke-InOwnPowerShell -ArgumentList $Layout { param($l) Test-ImageBlob -Path $l -DiffId }
        $run.Output.Count | Should -BeGreaterThan 3
        Assert-ProgressEnds $run
    }
    It 'Get-ContentDigest' {
        $run = Invoke-InOwnPowerShell -ArgumentList (Join-Path $Data 'oci-archive.tar') { param($f) Get-ContentDigest -Path $f }
        $run.Output.Count | Should -Be 1
        Assert-ProgressEnds $run
    }
    It 'Get-ImageFileSystem and Measure-Image' {
        Assert-ProgressEnds (Invoke-InOwnPowerShell -ArgumentList $Layout { param($l) Get-ImageFileSystem -Path $l -Name app:2.0 | Out-Null })
        Assert-ProgressEnds (Invoke-InOwnPowerShell -ArgumentList $Layout { param($l) Measure-Image -Path $l -Name app:2.0 | Out-Null })
    }
    It 'Get-ContainerdContent' {
        $root = Join-Path $PSScriptRoot '../Fixtures/containerd/root'
        Assert-ProgressEnds (Invoke-InOwnPowerShell -ArgumentList $root { param($r) Get-ContainerdContent -Path $r | Out-Null })
    }
    It 'Find-RegistryGarbage' {
        . (Join-Path $PSScriptRoot '../Registry/Registry.Common.ps1')
        $reg = New-RegistryCopy (Join-Path $TestDrive 'reg')
        Assert-ProgressEnds (Invoke-InOwnPowerShell -ArgumentList $reg { param($r) Find-RegistryGarbage -Path $r | Out-Null })
    }
}
