# Get-OverlayDirectory -Id follows the found/not-found rule: a folder id or a unique prefix, the short link name
# of l/ (what overlay2's lowerdir option names), or the path of the folder or of its diff/ (what docker inspect's
# GraphDriver data names). Expected ids come from the files on disk and from docker inspect, not from the module.
BeforeDiscovery { . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1" }

Describe 'Get-OverlayDirectory -Id' -Skip:([bool]$DockerSkipReason) {
    BeforeAll {
        Import-Module $env:IMAGETOOLS_MODULE -Force
        . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1"
        $script:root = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'docker')
        $script:image = @(Get-DockerInspect 'overlay2.image-inspect.json')[0]
        $script:upper = $image.GraphDriver.Data.UpperDir -replace '^.*(?=/overlay2/[^/]+/diff$)', $root   # the recorded root was a temp folder
        $script:id = Get-DriverDirId $image.GraphDriver.Data.UpperDir
        $script:link = (Get-Content -Raw (Join-Path $root "overlay2/$id/link")).Trim()
    }

    It 'the fixture has the folder, its diff and its l/ link' {
        Test-Path -LiteralPath $upper | Should -BeTrue
        (Get-Item -LiteralPath (Join-Path $root "overlay2/l/$link")).Target | Should -Be "../$id/diff"
    }

    It 'finds <What>' -ForEach @(
        @{ What = 'the folder id'; Value = { $id } }
        @{ What = 'a prefix of the folder id'; Value = { $id.Substring(0, 12) } }
        @{ What = 'the l/ link name'; Value = { "l/$link" } }
        @{ What = 'the link name without l/'; Value = { $link } }
        @{ What = 'the diff path docker inspect names'; Value = { $upper } }
        @{ What = 'the folder path'; Value = { Split-Path $upper } }
    ) {
        $got = @(Get-OverlayDirectory -Path $root -Id (& $Value) -ErrorVariable err -ErrorAction SilentlyContinue)
        $err.Count | Should -Be 0
        $got.Count | Should -Be 1
        $got[0].Id | Should -Be $id
    }

    It 'writes a not-found error naming each value that matches nothing, and still returns the others' {
        $got = @(Get-OverlayDirectory -Path $root -Id $id, 'deadbeef', 'l/NOSUCHLINK', "$root/overlay2/nosuch/diff" -ErrorVariable err -ErrorAction SilentlyContinue)
        $got.Id | Should -Be @($id)
        $err.Count | Should -Be 3
        $err | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'FileNotFound*' }
        ($err.Exception.Message -join "`n") | Should -BeLike "*'deadbeef'*'l/NOSUCHLINK'*nosuch/diff*"
    }
}
