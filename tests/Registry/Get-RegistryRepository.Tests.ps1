BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    . (Join-Path $PSScriptRoot 'Registry.Common.ps1')
    $script:root = New-RegistryCopy (Join-Path $TestDrive 'reg')
    $script:listing = Get-Content (Join-Path $RegistryExpected 'storage-listing.txt')
    $script:catalog = (Get-Content -Raw (Join-Path $RegistryExpected 'catalog.json') | ConvertFrom-Json).repositories
    $script:repos = Get-RegistryRepository -Path $root
}

Describe 'Get-RegistryRepository on storage written by docker-registry 2.8.2' {
    It 'lists the repositories the registry''s /v2/_catalog lists, in its order' {
        $repos.Name | Should -Be $catalog
    }

    It 'recognizes the store from <_>' -ForEach @('', 'docker', 'docker/registry', 'docker/registry/v2') {
        (Get-RegistryRepository -Path (Join-Path $root $_)).Name | Should -Be $catalog
    }

    It 'gives the namespace: empty for a top-level repository, the user or organisation part otherwise' {
        ($repos | Where-Object Name -eq 'base').Namespace | Should -BeExactly ''
        ($repos | Where-Object Name -eq 'aiops/data-cleaning').Namespace | Should -BeExactly 'aiops'
        ($repos | Where-Object Name -eq 'org/team/app').Namespace | Should -BeExactly 'org/team'
    }

    It 'counts tags as tags/list does, and revisions and layer links as the files find listed, for <_>' -ForEach @('base', 'aiops/data-cleaning', 'org/team/app') {
        $repo = $repos | Where-Object Name -eq $_
        $file = $_ -replace '/', '_'
        $tags = (Get-Content -Raw (Join-Path $RegistryExpected "tags.$file.json") | ConvertFrom-Json).tags
        $repo.TagCount | Should -Be @($tags).Count
        $prefix = [regex]::Escape("docker/registry/v2/repositories/$_/")
        $repo.RevisionCount | Should -Be @($listing -match "^${prefix}_manifests/revisions/sha256/[0-9a-f]{64}/link$").Count
        $repo.LayerLinkCount | Should -Be @($listing -match "^${prefix}_layers/sha256/[0-9a-f]{64}/link$").Count
    }

    It 'sizes a repository as the bytes of the distinct blobs its manifests reach (computed here from the blobs)' -ForEach @('base', 'aiops/data-cleaning', 'org/team/app') {
        $name = $_
        $prefix = [regex]::Escape("docker/registry/v2/repositories/$name/_manifests/revisions/sha256/")
        $sizes = @{}
        $queue = [System.Collections.Generic.Queue[string]]::new()
        foreach ($l in $listing -match "^$prefix[0-9a-f]{64}/link$") { $queue.Enqueue('sha256:' + ($l -split '/')[-2]) }
        while ($queue.Count) {
            $d = $queue.Dequeue(); if ($sizes.ContainsKey($d)) { continue }
            $hex = $d.Substring(7)
            $sizes[$d] = (Get-Item (Join-Path $root "docker/registry/v2/blobs/sha256/$($hex.Substring(0,2))/$hex/data")).Length
            $json = Get-BlobJson $root $d
            foreach ($m in @($json.manifests)) { if ($m) { $queue.Enqueue($m.digest) } }
            if ($json.config) { $sizes[$json.config.digest] = $json.config.size }
            foreach ($l in @($json.layers)) { if ($l) { $sizes[$l.digest] = $l.size } }
        }
        ($repos | Where-Object Name -eq $name).Size | Should -Be ($sizes.Values | Measure-Object -Sum).Sum
    }

    It 'filters by -Name with wildcards, and reports a name that matches nothing' {
        (Get-RegistryRepository -Path $root -Name 'aiops/*').Name | Should -Be 'aiops/data-cleaning'
        (Get-RegistryRepository -Path $root -Name 'org/team/app').Name | Should -Be 'org/team/app'
        Get-RegistryRepository -Path $root -Name 'nope/none' -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Match '^ImageNotFound'
    }

    It 'completes repository names for -Name from the -Path given' {
        $line = "Get-RegistryRepository -Path '$root' -Name aio"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'aiops/data-cleaning'
        $line = "Get-RegistryTag -Path '$root' -Repository aiops/data-cleaning -Name z"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'zdgt'
    }

    It 'has a default table view and help with examples' {
        ($repos | Format-Table | Out-String) | Should -Match 'RevisionCount'
        @((Get-Help Get-RegistryRepository).examples.example | Where-Object { $_.code -match 'Get-RegistryRepository' }).Count | Should -BeGreaterThan 0
    }
}
