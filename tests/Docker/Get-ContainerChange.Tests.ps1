BeforeDiscovery { . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1" }

Describe 'Get-ContainerChange against docker diff' -Skip:([bool]$DockerSkipReason) {
    BeforeAll {
        Import-Module $env:IMAGETOOLS_MODULE -Force
        . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1"
        $script:root = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'docker')
    }

    It 'gives the same lines as docker diff for <_>' -ForEach @('ran', 'created-only') {
        $expected = @(Get-Content (Join-Path $DockerExpected "overlay2.diff.$_.txt") | Where-Object { $_ } | Sort-Object)
        $got = @(Get-DockerContainer -Path $root -Name $_ | Get-ContainerChange | ForEach-Object ToString | Sort-Object)
        $got | Should -Be $expected
    }

    It 'reports whiteouts as deleted, an opaque folder''s hidden entries as deleted, and sizes of added files' {
        $changes = @(Get-ContainerChange -Path $root -Name ran)
        ($changes | Where-Object Path -eq '/etc/xattr.conf').Kind | Should -Be 'Deleted'
        ($changes | Where-Object Path -eq '/data').Kind | Should -Be 'Changed'
        ($changes | Where-Object Path -eq '/data/sub').Kind | Should -Be 'Deleted'
        # the size of the file docker cp put there, as it lies in the container's upper directory (docker inspect names it)
        $ran = Get-DockerInspect 'overlay2.container-inspect.json' | Where-Object Name -eq '/ran'
        $tini = Get-Item "$root/overlay2/$(Get-DriverDirId $ran.GraphDriver.Data.UpperDir)/diff/tini"
        $tini.Length | Should -BeGreaterThan 0
        ($changes | Where-Object Path -eq '/tini').Size | Should -Be $tini.Length
        ($changes | Where-Object Path -eq '/tini').ContainerName | Should -Be 'ran'
    }

    It 'refuses a vfs container with a clear error' {
        $v = Expand-DockerRootFixture -Driver vfs -Destination (Join-Path $TestDrive 'vfs')
        Get-DockerContainer -Path $v | Get-ContainerChange -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DockerRootUnsupported*'
    }
}
