# Issue 13, completion in a Docker data root: image names as docker images lists them, container names as docker ps -a
# lists them (ids once a character is typed), overlay2 directory ids as the folder holds them. Expected: docker's
# recorded answers on the fixture root, and the fixture's own folders.
BeforeDiscovery { . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1" }

Describe 'Completion in a Docker data root' -Skip:([bool]$DockerSkipReason) {
    BeforeAll {
        Import-Module $env:IMAGETOOLS_MODULE -Force
        . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1"
        $script:root = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'docker')
        function Get-Completion([string] $Line) {
            @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
        }
        function Sort-Ordinal([string[]] $Values) { $list = [Collections.Generic.List[string]]::new([string[]]@($Values | Select-Object -Unique)); $list.Sort([StringComparer]::Ordinal); , $list.ToArray() }
        $script:Ps = @(Get-Content (Join-Path $DockerExpected 'overlay2.ps.jsonl') | ConvertFrom-Json)
    }

    It 'completes Get-DockerImage -Name and Get-Image -Name with the RepoTags docker image inspect lists' {
        $tags = @(Get-DockerInspect 'overlay2.image-inspect.json' | ForEach-Object { $_.RepoTags })
        $tags.Count | Should -BeGreaterThan 1
        Get-Completion "Get-DockerImage -Path '$root' -Name " | Should -Be (Sort-Ordinal $tags)
        Get-Completion "Get-Image -Path '$root' -Name " | Should -Be (Sort-Ordinal $tags)
    }

    It 'completes container names as docker ps -a lists them, for <Command>' -TestCases @(
        @{ Command = 'Get-DockerContainer -Name' }, @{ Command = 'Get-ContainerChange -Name' }, @{ Command = 'Get-OverlayDirectory -ContainerId' }) {
        $Ps.Count | Should -BeGreaterThan 1
        Get-Completion "$($Command.Split(' ')[0]) -Path '$root' $($Command.Split(' ')[1]) " | Should -Be (Sort-Ordinal $Ps.Names)
    }

    It 'completes a container id from its first characters' {
        $id = $Ps[0].ID
        Get-Completion "Get-DockerContainer -Path '$root' -Name $($id.Substring(0, 6))" | Should -Be @($id)
    }

    It 'completes Get-OverlayDirectory -Id with the overlay2 folders, l/ left out' {
        $dirs = @(Get-ChildItem -Directory "$root/overlay2" | Where-Object Name -ne 'l' | ForEach-Object Name)
        $dirs.Count | Should -BeGreaterThan 3
        Get-Completion "Get-OverlayDirectory -Path '$root' -Id " | Should -Be (Sort-Ordinal $dirs)
        Get-Completion "Get-OverlayDirectory -Path '$root' -Id 0000" | Should -Be (Sort-Ordinal ($dirs -like '0000*'))
    }

    It 'completes Get-DockerLayer -Id with the ChainIDs of the layers docker image inspect lists, the hex alone once hex is typed' {
        # ChainID(n) = sha256 of "ChainID(n-1) DiffID(n)", from the RootFS.Layers docker recorded
        $chains = foreach ($image in Get-DockerInspect 'overlay2.image-inspect.json') {
            $chain = $null
            foreach ($diff in $image.RootFS.Layers) {
                $chain = if ($null -eq $chain) { $diff } else { 'sha256:' + ((& bash -c 'printf "%s %s" "$1" "$2" | sha256sum' _ $chain $diff) -split ' ')[0] }
                $chain
            }
        }
        $chains = @($chains)
        $chains.Count | Should -BeGreaterThan 3
        Get-Completion "Get-DockerLayer -Path '$root' -Id " | Should -Be (Sort-Ordinal $chains)
        $hex = @($chains -replace '^sha256:')
        $typed = $hex[1].Substring(0, 5)
        Get-Completion "Get-DockerLayer -Path '$root' -Id $typed" | Should -Be (Sort-Ordinal ($hex -like "$typed*"))
    }

    It 'completes Get-OverlayDirectory -ImageId with the RepoTags docker image inspect lists, and the image IDs once a character is typed' {
        $images = @(Get-DockerInspect 'overlay2.image-inspect.json')
        $images.Count | Should -BeGreaterThan 1
        Get-Completion "Get-OverlayDirectory -Path '$root' -ImageId " | Should -Be (Sort-Ordinal $images.RepoTags)
        Get-Completion "Get-OverlayDirectory -Path '$root' -ImageId sha256:" | Should -Be (Sort-Ordinal $images.Id)
        $hex = $images[0].Id -replace '^sha256:'
        Get-Completion "Get-OverlayDirectory -Path '$root' -ImageId $($hex.Substring(0, 4))" | Should -Be @($hex)
        Get-Completion "Get-OverlayDirectory -Path '$root' -ImageId ba" | Should -Be (Sort-Ordinal ($images.RepoTags -like 'ba*'))
    }
}
