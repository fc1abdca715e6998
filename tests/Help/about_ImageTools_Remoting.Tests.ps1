# The about_ImageTools_Remoting topic: found by Get-Help, shipped, 80 columns, and each fleet question it shows is one
# that tests/Remoting/Invoke-Command.Tests.ps1 runs (the pipeline inside Invoke-Command's script block, word for word).

Describe 'about_ImageTools_Remoting' {
    BeforeAll {
        Import-Module $env:IMAGETOOLS_MODULE -Force
        $script:topic = Join-Path (Get-Module ImageTools).ModuleBase 'en-US/about_ImageTools_Remoting.help.txt'
        $script:remotingTests = Get-Content -Raw (Join-Path $PSScriptRoot '../Remoting/Invoke-Command.Tests.ps1')
    }

    It 'is shipped with the module, found by Get-Help, and keeps its lines within 80 characters' {
        Test-Path $topic | Should -BeTrue
        (Get-Help about_ImageTools_Remoting | Out-String) | Should -Match 'FLEET QUESTIONS'
        @(Get-Content $topic | Where-Object Length -gt 80) | Should -BeNullOrEmpty
    }

    It 'shows the fleet question "<Pipeline>", which the remoting tests run' -ForEach @(
        @{ Pipeline = 'Get-ImageStore | Get-Image -Name app -ErrorAction SilentlyContinue'; InTest = 'Get-ImageStore -Root $HostRoot | Get-Image -Name app -ErrorAction SilentlyContinue' }
        @{ Pipeline = 'Where-Object Status -ne Valid'; InTest = 'Test-ImageBlob -ErrorAction SilentlyContinue -WarningVariable w -WarningAction SilentlyContinue | Where-Object Status -ne Valid' }
        @{ Pipeline = 'Get-ImageStore -Kind DockerRoot | Find-DockerOrphan'; InTest = 'Get-ImageStore -Root $HostRoot -Kind DockerRoot | Find-DockerOrphan | Where-Object Kind -in UnreferencedDirectory, RemovingDirectory' }
        @{ Pipeline = 'Where-Object Kind -in UnreferencedDirectory, RemovingDirectory'; InTest = 'Find-DockerOrphan | Where-Object Kind -in UnreferencedDirectory, RemovingDirectory' }
        @{ Pipeline = 'Measure-Object DiskUsage -Sum'; InTest = 'Measure-Object DiskUsage -Sum' }
    ) {
        $text = Get-Content -Raw $topic
        $text.Contains($Pipeline) | Should -BeTrue
        $remotingTests.Contains($InTest) | Should -BeTrue
    }
}
