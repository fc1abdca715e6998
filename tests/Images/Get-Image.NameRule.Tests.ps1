# The one name rule, the not-found rule and "each image written once", checked against the real tools:
# a live containerd holding app:2.0 and docker.io/library/app:2.0 as two images (ctr images ls lists both),
# a docker save made by image ID (tests/Fixtures/data/docker-save-untagged.tar), python3 tarfile for archives.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:needsSkopeo = Get-RealToolNeed skopeo
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:CanRunContainerd = $IsLinux -and (Test-RealTool containerd) -and (Test-RealTool ctr) -and ((id -u) -eq '0')
}

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:Data = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../Fixtures/data'))
    function Read-ArchiveJson([string] $Tar, [string] $Member) {
        python3 -c "import tarfile,json,sys; print(json.dumps(json.load(tarfile.open(sys.argv[1]).extractfile(sys.argv[2]))))" $Tar $Member | ConvertFrom-Json
    }
}

Describe 'Names on a containerd root that holds both spellings' -Skip:(-not $CanRunContainerd) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
        $script:Ctrd = Start-PrivateContainerd
        foreach ($t in 'oci-archive.tar', 'ctr-export.tar') { Invoke-PrivateCtr $Ctrd @('-n', 'names', 'images', 'import', '--all-platforms', (Join-Path $Data $t)) | Out-Null }
        # app:2.0 is base's manifest; docker.io/library/app:2.0 (from ctr-export.tar) is another image
        Invoke-PrivateCtr $Ctrd @('-n', 'names', 'images', 'tag', 'base:1.0', 'app:2.0') | Out-Null
        Invoke-PrivateCtr $Ctrd @('-n', 'names', 'images', 'tag', 'multi:latest', 'docker.io/library/multi:latest') | Out-Null
        $script:Ctr = @(Invoke-PrivateCtr $Ctrd @('-n', 'names', 'images', 'ls') | Select-Object -Skip 1 | Where-Object { $_.Trim() } | ForEach-Object {
            $f = $_.Trim() -split '\s+'; [pscustomobject]@{ Ref = $f[0]; Digest = $f[2] } })
        $script:Root = $Ctrd.Root
    }
    AfterAll { Stop-PrivateContainerd $Ctrd }

    It 'ctr lists the two app:2.0 spellings with different digests' {
        $short = $Ctr | Where-Object Ref -eq 'app:2.0'
        $long = $Ctr | Where-Object Ref -eq 'docker.io/library/app:2.0'
        @($short).Count | Should -Be 1
        @($long).Count | Should -Be 1
        $short.Digest | Should -Not -Be $long.Digest
    }

    It 'Get-Image and Get-ContainerdImage show the names ctr images ls prints, each once' {
        $images = @(Get-Image -Path $Root -Namespace names)
        @($images.Name | Sort-Object) | Should -Be @($Ctr.Ref | Sort-Object)
        @($images.Name | Select-Object -Unique).Count | Should -Be $images.Count
        foreach ($i in $images) { $i.Digest.ToString() | Should -Be ($Ctr | Where-Object Ref -eq $i.Name).Digest }
        (Get-Image -Path $Root -Namespace names -Name app:2.0).FullName | Should -Be 'docker.io/library/app:2.0'
        @((Get-ContainerdImage -Path $Root -Namespace names).Name | Sort-Object) | Should -Be @($Ctr.Ref | Sort-Object)
    }

    It '-Name <Name> selects only the record named exactly so, in both cmdlets' -ForEach @(@{ Name = 'app:2.0' }, @{ Name = 'docker.io/library/app:2.0' }) {
        $want = ($Ctr | Where-Object Ref -eq $Name).Digest
        $got = @(Get-Image -Path $Root -Namespace names -Name $Name)
        $got.Count | Should -Be 1
        $got[0].Digest.ToString() | Should -Be $want
        $c = @(Get-ContainerdImage -Path $Root -Namespace names -Name $Name)
        $c.Count | Should -Be 1
        $c[0].Digest.ToString() | Should -Be $want
    }

    It 'a normalized name still selects a record spelled the other way (base:1.0 = docker.io/library/base:1.0)' {
        $got = @(Get-ContainerdImage -Path $Root -Namespace names -Name docker.io/library/base:1.0)
        $got.Count | Should -Be 1
        $got[0].Name | Should -Be 'base:1.0'
    }

    It 'Get-ContainerdImage -Name nosuch:1 writes ImageNotFound naming it' {
        $got = Get-ContainerdImage -Path $Root -Name nosuch:1 -ErrorVariable err -ErrorAction SilentlyContinue
        $got | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound*'
        $err[0].Exception.Message | Should -BeLike "*'nosuch:1'*"
    }

    It 'saving the whole namespace refuses to write app:2.0 for two images, and writes nothing' {
        $dest = Join-Path $TestDrive 'all.tar'
        { Get-Image -Path $Root -Namespace names | Save-Image -DestinationPath $dest -ErrorAction Stop } | Should -Throw -ErrorId 'NameConflict*'
        Test-Path $dest | Should -BeFalse
    }

    It 'multi:latest recorded twice (same digest) is saved once, under one name' {
        $dest = Join-Path $TestDrive 'multi.tar'
        Get-Image -Path $Root -Namespace names -Name multi:latest, docker.io/library/multi:latest | Save-Image -DestinationPath $dest | Out-Null
        $manifest = @(Read-ArchiveJson $dest 'manifest.json')
        $manifest.Count | Should -Be 1
        @($manifest[0].RepoTags) | Should -Be @('multi:latest')
    }

    It 'docker.io/library/app:2.0 is saved with its own config (read back with ctr content get)' {
        $dest = Join-Path $TestDrive 'app.tar'
        Save-Image -Path $Root -Name docker.io/library/app:2.0 -DestinationPath $dest | Out-Null
        $manifest = @(Read-ArchiveJson $dest 'manifest.json')
        $manifest.Count | Should -Be 1
        $digest = ($Ctr | Where-Object Ref -eq 'docker.io/library/app:2.0').Digest
        $config = ((Invoke-PrivateCtr $Ctrd @('-n', 'names', 'content', 'get', $digest)) -join "`n" | ConvertFrom-Json).config.digest
        $manifest[0].Config | Should -Be ('blobs/sha256/' + $config.Substring(7))
        @($manifest[0].RepoTags) | Should -Be @('app:2.0')
    }
}

Describe 'A name over several stores' {
    It 'is not found only when no store has it, and each row says its store' {
        $a = Join-Path $Data 'oci-archive.tar'; $b = Join-Path $Data 'docker-archive.tar'
        $inA = @(python3 -c "import tarfile,json,sys; print('\n'.join(m['annotations']['org.opencontainers.image.ref.name'] for m in json.load(tarfile.open(sys.argv[1]).extractfile('index.json'))['manifests']))" $a)
        $inA | Should -Contain 'base:1.0'
        $tagsB = @((Read-ArchiveJson $b 'manifest.json').RepoTags)
        $tagsB | Should -Not -Contain 'base:1.0'
        $got = @(Get-Image -Path $a, $b -Name base:1.0 -ErrorVariable err -ErrorAction SilentlyContinue)
        $err.Count | Should -Be 0
        $got.Count | Should -Be 1
        $got[0].StorePath | Should -Be $a
        $none = @(Get-Image -Path $a, $b -Name nosuch:1 -ErrorVariable err2 -ErrorAction SilentlyContinue)
        $none.Count | Should -Be 0
        $err2.Count | Should -Be 1
        $err2[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound*'
        $err2[0].Exception.Message | Should -BeLike "*$a*$b*'nosuch:1'*"
    }
}

Describe 'Save-Image writes each image once, and nothing for a name that matches nothing' {
    It 'a name that matches nothing fails the whole save before anything is written, as docker save does' {
        $dest = Join-Path $TestDrive 'partial.tar'
        Save-Image -Path (Join-Path $Data 'oci-layout') -Name base:1.0, nothere:1 -DestinationPath $dest -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Test-Path $dest | Should -BeFalse
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound*'
        $err[0].Exception.Message | Should -BeLike "*'nothere:1'*"
    }

    It 'an image ID reached from two roots is one manifest.json entry without names, like docker save <ID>' {
        # docker save by ID (the committed fixture): one entry, RepoTags null
        $docker = @(Read-ArchiveJson (Join-Path $Data 'docker-save-untagged.tar') 'manifest.json')
        $docker.Count | Should -Be 1
        $docker[0].RepoTags | Should -BeNullOrEmpty
        # a layout where multi:latest (an index) and amd:1 (its amd64 manifest) both reach the same config
        $layout = Join-Path $TestDrive 'two-roots'
        Copy-Item -Recurse (Join-Path $Data 'oci-layout') $layout
        $top = Get-Content -Raw (Join-Path $layout 'index.json') | ConvertFrom-Json -AsHashtable
        $multi = $top.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq 'multi:latest' }
        $index = Get-Content -Raw (Join-Path $layout ('blobs/sha256/' + $multi.digest.Substring(7))) | ConvertFrom-Json
        $amd = $index.manifests | Where-Object { $_.platform.architecture -eq 'amd64' }
        $top.manifests = @($top.manifests) + @{ mediaType = $amd.mediaType; digest = $amd.digest; size = $amd.size; annotations = @{ 'org.opencontainers.image.ref.name' = 'amd:1' } }
        Set-Content -LiteralPath (Join-Path $layout 'index.json') -Value ($top | ConvertTo-Json -Depth 6 -Compress) -NoNewline
        $config = (Get-Content -Raw (Join-Path $layout ('blobs/sha256/' + $amd.digest.Substring(7))) | ConvertFrom-Json).config.digest
        @(Get-Image -Path $layout -Name $config).Count | Should -Be 2

        $dest = Join-Path $TestDrive 'by-id.tar'
        Save-Image -Path $layout -Name $config -DestinationPath $dest | Out-Null
        $ours = @(Read-ArchiveJson $dest 'manifest.json')
        $ours.Count | Should -Be $docker.Count
        $ours[0].RepoTags | Should -BeNullOrEmpty
        $ours[0].Config | Should -Be ('blobs/sha256/' + $config.Substring(7))

        # Copy-Image into a layout: one index.json entry
        $copy = Join-Path $TestDrive 'by-id-layout'
        Copy-Image -Path $layout -Name $config -Destination $copy | Out-Null
        $entries = @((Get-Content -Raw (Join-Path $copy 'index.json') | ConvertFrom-Json).manifests)
        $entries.Count | Should -Be 1
        $entries[0].digest | Should -Be $amd.digest
    }

    It 'a name and the same image by another root are one entry with the name (multi:latest and its amd64 manifest)' {
        # docker save of two tags of one image (the committed legacy fixture): one entry holding both RepoTags
        $docker = @(Read-ArchiveJson (Join-Path $Data 'docker-save-legacy.tar') 'manifest.json' | Where-Object { $_.RepoTags -contains 'app:2.0' })
        $docker.Count | Should -Be 1
        @($docker[0].RepoTags).Count | Should -Be 2
        $layout = Join-Path $TestDrive 'two-roots'
        $dest = Join-Path $TestDrive 'name-and-id.tar'
        Save-Image -Path $layout -Name multi:latest, amd:1 -DestinationPath $dest | Out-Null
        $ours = @(Read-ArchiveJson $dest 'manifest.json')
        $ours.Count | Should -Be 1
        @($ours[0].RepoTags | Sort-Object) | Should -Be @('amd:1', 'multi:latest')
    }
}

Describe 'Registry storage names are the repository paths as stored' {
    BeforeAll {
        . (Join-Path $PSScriptRoot '../Registry/Registry.Common.ps1')
        $script:Reg = New-RegistryCopy (Join-Path $TestDrive 'reg')
        # repository:tag from the folders docker-registry wrote, read with tar, not the module
        $script:OnDisk = @(& tar -tf (Join-Path $RegistryFixtures 'storage.tar') | ForEach-Object {
            if ($_ -match '^docker/registry/v2/repositories/(.+)/_manifests/tags/([^/]+)/$') { "$($Matches[1]):$($Matches[2])" } } | Sort-Object)
    }

    It 'shows Name and FullName as repository:tag exactly as stored, no host invented' {
        $OnDisk.Count | Should -BeGreaterThan 3
        $images = @(Get-Image -Path $Reg)
        @($images.Name | Sort-Object) | Should -Be $OnDisk
        @($images.FullName | Sort-Object) | Should -Be $OnDisk
        ($images | Where-Object Name -eq 'aiops/data-cleaning:zdgt').Repository | Should -Be 'aiops/data-cleaning'
    }

    It 'a repository name from Get-Image works with Get-RegistryTag' {
        $image = Get-Image -Path $Reg -Name org/team/app:latest
        @(Get-RegistryTag -Path $Reg -Repository $image.Repository).Count | Should -Be 1
    }

    It 'Get-RegistryTag writes ImageNotFound for a tag that matches nothing' {
        $got = @(Get-RegistryTag -Path $Reg -Repository base -Name nosuch -ErrorVariable err -ErrorAction SilentlyContinue)
        $got.Count | Should -Be 0
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound*'
        $err[0].Exception.Message | Should -BeLike "*'nosuch'*"
    }
}

Describe 'An OCI layout that records base:1.0 and docker.io/library/base:1.0 as two images' @needsSkopeo {
    BeforeAll {
        $script:Two = Join-Path $TestDrive 'two-spellings'
        Copy-Item -Recurse (Join-Path $Data 'oci-layout') $Two
        $top = Get-Content -Raw (Join-Path $Two 'index.json') | ConvertFrom-Json -AsHashtable
        $app = $top.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq 'app:2.0' }
        $top.manifests = @($top.manifests) + @{ mediaType = $app.mediaType; digest = $app.digest; size = $app.size; annotations = @{ 'org.opencontainers.image.ref.name' = 'docker.io/library/base:1.0' } }
        Set-Content -LiteralPath (Join-Path $Two 'index.json') -Value ($top | ConvertTo-Json -Depth 6 -Compress) -NoNewline
    }

    It 'shows each under the name it is recorded with, and -Name <Name> selects the one skopeo finds by that ref.name' -ForEach @(
        @{ Name = 'base:1.0' }, @{ Name = 'docker.io/library/base:1.0' }
    ) {
        $want = Get-SkopeoDigest "oci:${Two}:$Name"
        $got = @(Get-Image -Path $Two -Name $Name)
        $got.Count | Should -Be 1
        $got[0].Digest.ToString() | Should -Be $want
        $got[0].Name | Should -Be $Name
        @((Get-Image -Path $Two).Name | Where-Object { $_ -like '*base:1.0' } | Sort-Object) | Should -Be @('base:1.0', 'docker.io/library/base:1.0')
    }
}
