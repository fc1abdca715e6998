# An image config in imagedb is named by its own sha256 (the image ID): one changed on disk no longer hashes to
# its name (sha256sum says so), and reading the root must say so rather than trust it.
BeforeDiscovery { . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1" }

Describe 'Get-DockerImage on a data root whose image config was changed on disk' -Skip:([bool]$DockerSkipReason) {
    BeforeAll {
        Import-Module $env:IMAGETOOLS_MODULE -Force
        . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1"
        $script:root = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'docker')
        $script:inspect = @(Get-DockerInspect 'overlay2.image-inspect.json')
    }

    It 'reports DigestMismatch for the changed config, naming its file, and still lists the other images' {
        $inspect.Count | Should -BeGreaterThan 1
        $id = $inspect[0].Id
        $config = Join-Path $root "image/overlay2/imagedb/content/sha256/$($id.Substring(7))"
        Test-Path -LiteralPath $config | Should -BeTrue
        Add-Content -LiteralPath $config -Value ' ' -NoNewline      # still valid JSON, another hash
        $hash = ((& sha256sum $config) -split ' ')[0]
        "sha256:$hash" | Should -Not -Be $id

        $images = @(Get-DockerImage -Path $root -ErrorVariable err -ErrorAction SilentlyContinue)
        $mismatch = @($err | Where-Object { $_.FullyQualifiedErrorId -like 'DigestMismatch*' })
        $mismatch.Count | Should -Be 1
        $mismatch[0].Exception.Message | Should -BeLike "*$config*"
        $others = @($inspect | Select-Object -Skip 1 | ForEach-Object Id)
        foreach ($o in $others) { @($images.Id | ForEach-Object ToString) | Should -Contain $o }
    }
}
