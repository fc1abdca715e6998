# Issue 13, completion: every parameter that names something in a store completes with what the store holds, read from
# the -Path (or -LiteralPath) already typed; nothing when no store is named or it cannot be read. Expected values come
# from the stores' own files (index.json, the index blob), ctr's recorded listings, docker's recorded inspect/ps
# output and docker-registry's catalog as skopeo listed it.
BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    $script:Layout = Join-Path $PSScriptRoot '../Fixtures/data/oci-layout'
    $script:CtrFx = Join-Path $PSScriptRoot '../Fixtures/containerd'
    $script:CtrRoot = Join-Path $CtrFx 'root'
    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
    }
    # the first column of a ctr table, header left out
    function Read-CtrColumn([string] $File) {
        @(Get-Content (Join-Path $CtrFx $File) | Select-Object -Skip 1 | Where-Object { $_.Trim() } | ForEach-Object { ($_.Trim() -split '\s+')[0] })
    }
    function Sort-Ordinal([string[]] $Values) { $list = [Collections.Generic.List[string]]::new([string[]]@($Values | Select-Object -Unique)); $list.Sort([StringComparer]::Ordinal); , $list.ToArray() }
    $script:LayoutNames = @((Get-Content -Raw (Join-Path $Layout 'index.json') | ConvertFrom-Json).manifests.annotations.'org.opencontainers.image.ref.name')
}

Describe 'Completion of image names' {
    It 'completes -Name of Get-Image and the image cmdlets with the ref names of index.json, not file names' {
        $LayoutNames.Count | Should -BeGreaterThan 2
        Get-Completion "Get-Image -LiteralPath '$Layout' -Name " | Should -Be (Sort-Ordinal $LayoutNames)
        Get-Completion "Get-ImageManifest -Path '$Layout' -Name ap" | Should -Be (Sort-Ordinal ($LayoutNames -like 'ap*'))
        Get-Completion "Save-Image -Path '$Layout' -DestinationPath x.tar -Name mu" | Should -Be (Sort-Ordinal ($LayoutNames -like 'mu*'))
    }

    It 'completes Get-ContainerdImage -Name with the images ctr -n <Ns> images ls lists' -TestCases @(@{ Ns = 'k8s.io' }, @{ Ns = 'team-b' }) {
        $refs = Read-CtrColumn "ctr-images-$Ns.txt"
        $refs.Count | Should -BeGreaterThan 0
        Get-Completion "Get-ContainerdImage -Path '$CtrRoot' -Namespace $Ns -Name " | Should -Be (Sort-Ordinal $refs)
    }

    It 'completes nothing when no store is typed, or the store cannot be read, and does not throw' {
        Push-Location -LiteralPath $Layout
        try { $got = Get-Completion 'Get-Image -Name ' } finally { Pop-Location }
        (Get-ChildItem -LiteralPath $Layout).Count | Should -BeGreaterThan 0
        @($got | Where-Object { $_ -match 'index\.json|oci-layout|blobs' }).Count | Should -Be 0
        $broken = New-Item -ItemType Directory (Join-Path $TestDrive 'broken-layout')
        Set-Content (Join-Path $broken 'oci-layout') '{"imageLayoutVersion":"1.0.0"}'
        Set-Content (Join-Path $broken 'index.json') '{ not json'
        Get-Completion "Get-Image -Path '$broken' -Name " | Should -BeNullOrEmpty
        Get-Completion "Get-Image -Path '$(Join-Path $TestDrive 'nothing-here')' -Name " | Should -BeNullOrEmpty
        Get-Completion "Get-ContainerdSnapshot -Path '$broken' -Key " | Should -BeNullOrEmpty
    }
}

Describe 'Completion of -Platform' {
    It 'offers the platforms of the selected index, as its blob lists them (not a fixed list)' {
        $entry = (Get-Content -Raw (Join-Path $Layout 'index.json') | ConvertFrom-Json).manifests |
            Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq 'multi:latest' }
        $index = Get-Content -Raw (Join-Path $Layout ('blobs/sha256/' + $entry.digest.Substring(7))) | ConvertFrom-Json
        $want = @($index.manifests.platform | Where-Object os -ne 'unknown' | ForEach-Object { ($_.os, $_.architecture, $_.variant | Where-Object { $_ }) -join '/' })
        $want.Count | Should -BeGreaterThan 1
        Get-Completion "Get-ImageManifest -Path '$Layout' -Name multi:latest -Platform " | Should -Be (Sort-Ordinal $want)
        Get-Completion "Get-ImageManifest -Path '$Layout' -Name multi:latest -Platform linux/" | Should -Be (Sort-Ordinal $want)
        Get-Completion "Get-ImageManifest -Path '$Layout' -Name multi:latest -Platform " | Should -Not -Contain 'linux/s390x'
    }

    It 'offers the platform of a single-manifest image from its config' {
        $entry = (Get-Content -Raw (Join-Path $Layout 'index.json') | ConvertFrom-Json).manifests |
            Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq 'base:1.0' }
        $manifest = Get-Content -Raw (Join-Path $Layout ('blobs/sha256/' + $entry.digest.Substring(7))) | ConvertFrom-Json
        $config = Get-Content -Raw (Join-Path $Layout ('blobs/sha256/' + $manifest.config.digest.Substring(7))) | ConvertFrom-Json
        $want = (($config.os, $config.architecture, $config.variant) | Where-Object { $_ }) -join '/'
        Get-Completion "Save-Image -Path '$Layout' -Name base:1.0 -DestinationPath x.tar -Platform " | Should -Be @($want)
    }
}

Describe 'Completion in a containerd root' {
    It 'completes -Namespace with the namespaces ctr namespaces ls lists, on every containerd cmdlet and Get-Image' {
        $ns = Read-CtrColumn 'ctr-namespaces.txt'
        $ns.Count | Should -BeGreaterThan 1
        foreach ($command in 'Get-ContainerdImage', 'Get-ContainerdContent', 'Get-ContainerdSnapshot', 'Get-ContainerdContainer', 'Get-ContainerdLease', 'Get-ContainerdSandbox', 'Get-Image') {
            Get-Completion "$command -Path '$CtrRoot' -Namespace " | Should -Be (Sort-Ordinal $ns) -Because $command
        }
        Get-Completion "Get-ContainerdNamespace -Path '$CtrRoot' -Name t" | Should -Be (Sort-Ordinal ($ns -like 't*'))
    }

    It 'completes Get-ContainerdSnapshot -Key with the keys ctr -n <Ns> snapshots ls lists' -TestCases @(@{ Ns = 'k8s.io' }, @{ Ns = 'team-b' }) {
        $keys = Read-CtrColumn "ctr-snapshots-$Ns.txt"
        $keys.Count | Should -BeGreaterThan 0
        Get-Completion "Get-ContainerdSnapshot -Path '$CtrRoot' -Namespace $Ns -Key " | Should -Be (Sort-Ordinal $keys)
    }

    It 'completes Get-ContainerdContainer -Id with the ids ctr containers ls lists' {
        $ids = @(Read-CtrColumn 'ctr-containers-k8s.io.txt') + @(Read-CtrColumn 'ctr-containers-team-b.txt')
        $ids.Count | Should -BeGreaterThan 0
        Get-Completion "Get-ContainerdContainer -Path '$CtrRoot' -Id " | Should -Be (Sort-Ordinal $ids)
    }

    It 'completes Get-ContainerdContent -Digest with the digests ctr -n <Ns> content ls lists, the hex alone once hex is typed' -TestCases @(@{ Ns = 'k8s.io' }, @{ Ns = 'team-b' }) {
        $digests = Read-CtrColumn "ctr-content-$Ns.txt"
        $digests.Count | Should -BeGreaterThan 2
        Get-Completion "Get-ContainerdContent -Path '$CtrRoot' -Namespace $Ns -Digest " | Should -Be (Sort-Ordinal $digests)
        Get-Completion "Get-ContainerdContent -Path '$CtrRoot' -Namespace $Ns -Digest sha256:5" | Should -Be (Sort-Ordinal ($digests -like 'sha256:5*'))
        $hex = @($digests -replace '^sha256:')
        Get-Completion "Get-ContainerdContent -Path '$CtrRoot' -Namespace $Ns -Digest $($hex[0].Substring(0, 6))" | Should -Be (Sort-Ordinal ($hex -like "$($hex[0].Substring(0, 6))*"))
    }

    It 'completes Get-ContainerdContent -Digest with the digests of every namespace when none is typed' {
        $digests = @(Read-CtrColumn 'ctr-content-k8s.io.txt') + @(Read-CtrColumn 'ctr-content-team-b.txt')
        Get-Completion "Get-ContainerdContent -Path '$CtrRoot' -Digest " | Should -Be (Sort-Ordinal $digests)
    }

    It 'completes Get-ContainerdLease -Id with the ids ctr leases ls lists' {
        $ids = @(Read-CtrColumn 'ctr-leases-k8s.io.txt') + @(Read-CtrColumn 'ctr-leases-team-b.txt')
        $ids.Count | Should -BeGreaterThan 0
        Get-Completion "Get-ContainerdLease -Path '$CtrRoot' -Id " | Should -Be (Sort-Ordinal $ids)
        Get-Completion "Get-ContainerdLease -Path '$CtrRoot' -Namespace k8s.io -Id " | Should -Be (Sort-Ordinal (Read-CtrColumn 'ctr-leases-k8s.io.txt'))
    }
}

Describe 'Completion in registry storage' {
    BeforeAll {
        . (Join-Path $PSScriptRoot '../Registry/Registry.Common.ps1')
        $script:RegRoot = New-RegistryCopy (Join-Path $TestDrive 'reg')
        $script:Catalog = @((Get-Content -Raw (Join-Path $RegistryExpected 'catalog.json') | ConvertFrom-Json).repositories)
        $script:Tags = Get-ExpectedTags
    }
    It 'completes -Repository with the catalog and -Name with the tags skopeo listed, per repository' {
        $Catalog.Count | Should -BeGreaterThan 1
        Get-Completion "Get-RegistryTag -Path '$RegRoot' -Repository " | Should -Be (Sort-Ordinal $Catalog)
        foreach ($repo in $Catalog) {
            $want = @($Tags.Keys | Where-Object { $_.StartsWith("${repo}:") } | ForEach-Object { $_.Substring($repo.Length + 1) })
            if ($want.Count -eq 0) { continue }
            Get-Completion "Get-RegistryTag -Path '$RegRoot' -Repository $repo -Name " | Should -Be (Sort-Ordinal $want) -Because $repo
        }
    }
}
