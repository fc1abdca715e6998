# Hostile suite: Remove-RegistryGarbage and Find-RegistryGarbage on damaged registry storage (issue 16 items 1
# and 2). Every case damages a fresh copy of the real registry fixture (RegistryDamage.Cases.ps1) and runs with
# -Confirm:$false in plain mode, with -IncludeUntagged, and with -IncludeUntagged -Force (the issue's cases also
# through Find-RegistryGarbage). The live check is written here, not with the module: it walks the storage tree
# itself and lists what every tag whose current link it can read needs (revision link, tag index entry, blob data
# hashing to its digest, and for a manifest its config and layers with their _layers links, through index
# children); whatever of that was there before the run must be there, byte for byte, after it. Without -Force,
# nothing at all may be removed from a store whose marking is incomplete.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot '../Registry/Registry.Common.ps1')
    . (Join-Path $PSScriptRoot 'RegistryDamage.Cases.ps1')
    $script:runs = foreach ($case in Get-RegistryDamageCases) {
        $modes = if ($case.Complete) { @('plain') } else { @('plain', 'untagged', 'force') }
        if (-not $case.Complete -and $case.Class -in 'GarbageRemoval', 'PathAttack') { $modes += 'find' }
        foreach ($mode in $modes) { @{ Case = $case; Mode = $mode; Title = "$($case.Name) [$mode]" } }
    }
}

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'Hostile.psm1') -Force
    . (Join-Path $PSScriptRoot '../Registry/Registry.Common.ps1')
    $tags = Get-ExpectedTags
    $index = Get-Content -Raw (Join-Path $RegistryExpected 'raw.org_team_app.latest.json') | ConvertFrom-Json
    $script:digests = @{
        Base = $tags['base:1.0']; App = $tags['aiops/data-cleaning:2.0']; Index = $tags['org/team/app:latest']
        Amd64 = ($index.manifests | Where-Object { $_.platform.architecture -eq 'amd64' }).digest
        Arm64 = ($index.manifests | Where-Object { $_.platform.architecture -eq 'arm64' }).digest
    }

    function Get-EntryState([string] $Path) {
        # What is at a path, never following a final symlink and never opening anything but a regular file.
        $i = Get-Item -LiteralPath $Path -Force -ErrorAction SilentlyContinue
        if (-not $i) { return 'None' }
        if ($i.LinkType) { return "Link -> $($i.Target)" }
        if ($i.PSIsContainer) { return 'Dir' }
        if (($i.UnixStat.Mode -band 0xF000) -ne 0x8000) { return "Special $($i.UnixStat.ItemType)" }
        return 'File ' + [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData([System.IO.File]::ReadAllBytes($Path))).ToLowerInvariant()
    }

    function Read-LinkDigest([string] $Path) {
        # A registry link as the registry writes it: a regular file holding exactly sha256:<64 hex>.
        $state = Get-EntryState $Path
        if (-not $state.StartsWith('File ')) { return $null }
        $text = [System.IO.File]::ReadAllText($Path)
        if ($text -cmatch '\Asha256:[0-9a-f]{64}\z') { return $text }
        return $null
    }

    function Get-RepositoryFolder([string] $Dir, [string] $Name) {
        # Every folder holding _manifests, not descending _ folders nor symlinks (as the store is laid out on disk).
        foreach ($child in Get-ChildItem -LiteralPath $Dir -Directory -Force -ErrorAction SilentlyContinue) {
            if ($child.LinkType -or $child.Name.StartsWith('_')) { continue }
            $childName = if ($Name) { "$Name/$($child.Name)" } else { $child.Name }
            if (Test-Path -LiteralPath (Join-Path $child.FullName '_manifests')) { [pscustomobject]@{ Name = $childName; Dir = $child.FullName } }
            Get-RepositoryFolder $child.FullName $childName
        }
    }

    function Add-ManifestNeeds([string] $V2, [string] $Repo, [string] $Digest, $Needed) {
        $hex = $Digest.Substring(7)
        $data = "blobs/sha256/$($hex.Substring(0, 2))/$hex/data"
        [void]$Needed.Add("repositories/$Repo/_manifests/revisions/sha256/$hex/link")
        [void]$Needed.Add($data)
        $full = Join-Path $V2 $data
        if ((Get-EntryState $full) -ne "File $hex") { return }
        $json = try { Get-Content -Raw -LiteralPath $full | ConvertFrom-Json -ErrorAction Stop } catch { return }
        foreach ($child in @($json.manifests)) {
            if ($child.digest -cmatch '\Asha256:[0-9a-f]{64}\z') { Add-ManifestNeeds $V2 $Repo $child.digest $Needed }
        }
        foreach ($blob in @($json.config) + @($json.layers)) {
            if ($blob.digest -cnotmatch '\Asha256:[0-9a-f]{64}\z') { continue }
            $b = $blob.digest.Substring(7)
            [void]$Needed.Add("blobs/sha256/$($b.Substring(0, 2))/$b/data")
            [void]$Needed.Add("repositories/$Repo/_layers/sha256/$b/link")
        }
    }

    function Get-NeededPath([string] $V2) {
        # Paths (relative to docker/registry/v2) that the tags whose current link can be read need to be pulled.
        $needed = [System.Collections.Generic.HashSet[string]]::new([StringComparer]::Ordinal)
        $repositories = Join-Path $V2 'repositories'
        if ((Get-EntryState $repositories) -ne 'Dir') { return , $needed }
        foreach ($repo in Get-RepositoryFolder $repositories '') {
            foreach ($tag in Get-ChildItem -LiteralPath (Join-Path $repo.Dir '_manifests/tags') -Directory -Force -ErrorAction SilentlyContinue) {
                if ($tag.LinkType) { continue }
                $digest = Read-LinkDigest (Join-Path $tag.FullName 'current/link')
                if (-not $digest) { continue }
                [void]$needed.Add("repositories/$($repo.Name)/_manifests/tags/$($tag.Name)/current/link")
                [void]$needed.Add("repositories/$($repo.Name)/_manifests/tags/$($tag.Name)/index/sha256/$($digest.Substring(7))/link")
                Add-ManifestNeeds $V2 $repo.Name $digest $needed
            }
        }
        return , $needed
    }

    $script:original = Join-Path (New-RegistryCopy (Join-Path $TestDrive 'original')) 'docker/registry/v2'
    $script:originalNeeded = Get-NeededPath $original

    function New-LiveBaseline([string] $Root, [switch] $DamagedOnly, [switch] $NothingRemoved) {
        # What must survive: what the undamaged fixture's tags need (unless -DamagedOnly: -Force may let what only a
        # damaged manifest refers to go) and what the damaged copy's readable tags need, as it is before the run.
        $v2 = Join-Path $Root 'docker/registry/v2'
        $paths = [System.Collections.Generic.HashSet[string]]::new((Get-NeededPath $v2), [StringComparer]::Ordinal)
        if (-not $DamagedOnly) { $paths.UnionWith($originalNeeded) }
        $state = @{}
        foreach ($p in $paths) { $s = Get-EntryState (Join-Path $v2 $p); if ($s -ne 'None') { $state[$p] = $s } }
        $all = if ($NothingRemoved) { @(Get-ChildItem -LiteralPath $Root -Recurse -Force | ForEach-Object { $_.FullName }) } else { @() }
        return [pscustomobject]@{ Root = $Root; V2 = $v2; State = $state; All = $all }
    }

    function Test-LiveBaseline([Parameter(Mandatory)] $Baseline) {
        # Run by the harness after the action, in the test's scope: a missing baseline fails (Mandatory), never passes.
        foreach ($p in $Baseline.State.Keys) {
            $now = Get-EntryState (Join-Path $Baseline.V2 $p)
            if ($now -ne $Baseline.State[$p]) { "needed by a readable tag: $p was $($Baseline.State[$p]), is $now" }
        }
        if ($Baseline.All.Count -gt 0) {
            $now = [System.Collections.Generic.HashSet[string]]::new([string[]]@(Get-ChildItem -LiteralPath $Baseline.Root -Recurse -Force | ForEach-Object FullName))
            foreach ($p in $Baseline.All) { if (-not $now.Contains($p)) { "removed although marking was incomplete and -Force was not given: $p" } }
        }
    }
}

Describe 'The independent live check' {
    It 'sees every tag of the undamaged fixture' {
        # base:1.0 and the app manifest: revision link, tag index entries, data, config + layers and their links;
        # the index: its own data and revision link, and both children with theirs.
        $originalNeeded.Count | Should -BeGreaterThan 40
        foreach ($d in $digests.Values) {
            $hex = $d.Substring(7)
            $originalNeeded | Should -Contain "blobs/sha256/$($hex.Substring(0, 2))/$hex/data"
        }
        $originalNeeded | Should -Contain "repositories/org/team/app/_layers/sha256/7f34bc111a501a5d58fe33bc84983e6ad9f6caf2b1121f6b8ae880e3b325053d/link"
    }

    It 'reports a needed layer that is gone, and anything removed when nothing may be' {
        $root = New-RegistryCopy (Join-Path $TestDrive 'live-self')
        $baseline = New-LiveBaseline $root -NothingRemoved
        @(Test-LiveBaseline $baseline).Count | Should -Be 0
        Remove-Item -Recurse -LiteralPath (Join-Path $root 'docker/registry/v2/blobs/sha256/7f')
        Remove-Item -Recurse -LiteralPath (Join-Path $root 'docker/registry/v2/repositories/aiops/data-cleaning/_uploads')
        $lost = @(Test-LiveBaseline $baseline)
        @($lost | Where-Object { $_ -like 'needed by a readable tag: blobs/sha256/7f/*' }).Count | Should -Be 1
        @($lost | Where-Object { $_ -like 'removed although*_uploads*' }).Count | Should -BeGreaterThan 1
    }
}

Describe 'Registry garbage on damaged storage' {
    It '<Title>' -ForEach $runs {
        $unique = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $root = New-RegistryCopy (Join-Path $TestDrive "case-$unique")
        $v2 = Join-Path $root 'docker/registry/v2'
        $out = Join-Path $TestDrive "outside-$unique"
        & $Case.Damage $v2 $digests $out

        $force = $Mode -eq 'force'
        $baseline = New-LiveBaseline $root -DamagedOnly:($force -and $Case.ForceLoses) -NothingRemoved:(-not $force -and -not $Case.Complete)
        $unchanged = @(if ($Case.Outside) { $out })
        if ($Mode -eq 'find') { $unchanged += $root }
        $expect = if ($force) { $Case.Also } else { 'GarbageMarkingIncomplete' }
        $arguments = @{ Root = $root; Untagged = $Mode -in 'untagged', 'force'; Force = $force; Find = $Mode -eq 'find' }
        $params = @{
            Name = "registry garbage: $Title"; Class = $Case.Class; Arguments = $arguments; Unchanged = $unchanged; TimeoutSeconds = 60
            LiveCheck = { Test-LiveBaseline $baseline }
            Action = {
                param($a)
                if ($a.Find) { Find-RegistryGarbage -Path $a.Root -UploadAge 0 -IncludeUntagged -WarningAction SilentlyContinue }
                else { Remove-RegistryGarbage -Path $a.Root -UploadAge 0 -IncludeUntagged:$a.Untagged -Force:$a.Force -Confirm:$false -WarningAction SilentlyContinue }
            }
        }
        if ($Case.Complete) { $params.SuccessAllowed = $true } else { $params.ExpectErrorId = $expect }
        $result = Invoke-HostileCase @params
        $result | Assert-HostileCase -Accept $(if ($Case.Complete) { 'Tolerated', 'ClearError' } else { 'ClearError' })
        if ($Case.Also) {
            @($result.ErrorIds | Where-Object { $_ -in $Case.Also }).Count | Should -BeGreaterThan 0 -Because "the damage is named ($($Case.Also -join ' or ')): $($result.ErrorIds -join ', ')"
        }
    }
}

Describe 'Reading damaged registry storage: a clear error, nothing opened that may block, nothing read outside' {
    BeforeDiscovery {
        $layer = 'blobs/sha256/f2/f25a0053acc967abda281b4e9be19e3664d856d9617b5ca2081ad61c6cf1b18e/data'
        $reads = @(
            @{ Name = 'a layer data file is a FIFO'; Class = 'Blocking'; Id = 'NotARegularFile'; Rel = $layer; Kind = 'fifo'
               Action = { param($a) Get-Image -Path $a.Root -Name base:1.0 | Test-ImageBlob -WarningAction SilentlyContinue } }
            @{ Name = 'a layer data file is a symlink out of the store'; Class = 'PathAttack'; Id = 'PathOutsideStore'; Rel = $layer; Kind = 'symlink'
               Action = { param($a) Get-Image -Path $a.Root -Name base:1.0 | Test-ImageBlob -WarningAction SilentlyContinue } }
            @{ Name = 'a layer data file is a FIFO (unpacking)'; Class = 'Blocking'; Id = 'NotARegularFile'; Rel = $layer; Kind = 'fifo'
               Action = { param($a) Get-Image -Path $a.Root -Name base:1.0 | Get-ImageLayer | Get-ImageLayerEntry } }
            @{ Name = 'a manifest data file is a symlink out of the store'; Class = 'PathAttack'; Id = 'PathOutsideStore'; Kind = 'symlink'
               Rel = 'blobs/sha256/5a/5a254dd30f8171c52eef85e5bb742e8be493b3c83afe89a5d540231adef7018d/data'
               Action = { param($a) Get-Image -Path $a.Root } }
            @{ Name = 'a tag current link is a FIFO'; Class = 'Blocking'; Id = 'NotARegularFile'; Kind = 'fifo'
               Rel = 'repositories/base/_manifests/tags/1.0/current/link'; Action = { param($a) Get-RegistryTag -Path $a.Root } }
            @{ Name = 'a revision link is a FIFO'; Class = 'Blocking'; Id = 'NotARegularFile'; Kind = 'fifo'
               Rel = 'repositories/base/_manifests/revisions/sha256/5a254dd30f8171c52eef85e5bb742e8be493b3c83afe89a5d540231adef7018d/link'
               Action = { param($a) Get-RegistryRepository -Path $a.Root } }
            @{ Name = 'a repository folder is a symlink out of the store'; Class = 'PathAttack'; Id = 'PathOutsideStore'; Kind = 'symlink'
               Rel = 'repositories/base'; Action = { param($a) Get-RegistryRepository -Path $a.Root; Get-RegistryTag -Path $a.Root } }
        )
    }

    It '<Name>' -ForEach $reads {
        $unique = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $root = New-RegistryCopy (Join-Path $TestDrive "read-$unique")
        $target = Join-Path $root "docker/registry/v2/$Rel"
        $out = Join-Path $TestDrive "read-outside-$unique"
        if ($Kind -eq 'fifo') { Remove-Item -LiteralPath $target; & mkfifo $target }
        else { Move-Item -LiteralPath $target -Destination $out; New-Item -ItemType SymbolicLink -Path $target -Target $out | Out-Null }
        $result = Invoke-HostileCase -Name "registry read: $Name" -Class $Class -Arguments @{ Root = $root } -ExpectErrorId $Id -TimeoutSeconds 30 `
            -Unchanged @($root, $out) -Action $Action
        $result | Assert-HostileCase
    }
}

Describe 'After a forced removal on damaged storage, the real registry still serves every readable tag' -Skip:(-not (Test-RegistryToolsPresent)) {
    It 'pulls every tag but the one whose link is damaged, with skopeo from docker-registry' {
        $root = New-RegistryCopy (Join-Path $TestDrive 'forced-live')
        [System.IO.File]::WriteAllText((Join-Path $root 'docker/registry/v2/repositories/base/_manifests/tags/1.0/current/link'), "$($digests.Base)`r`n")
        Remove-RegistryGarbage -Path $root -UploadAge 0 -IncludeUntagged -Force -Confirm:$false -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        # Something was removed (the force went through), yet every readable tag still pulls.
        Test-Path (Join-Path $root 'docker/registry/v2/blobs/sha256/f2/f274abdc7841eefa902e3ffad2738a99cf80409430f23a6bd59f69e181882881') | Should -BeFalse
        $names = @((Get-ExpectedTags).Keys | Where-Object { $_ -ne 'base:1.0' })
        $names.Count | Should -Be 4
        $registry = Start-TestRegistry $root
        try {
            foreach ($name in $names) {
                $dest = Join-Path $TestDrive ('forced-pull-' + ($name -replace '[/:]', '_'))
                $said = & skopeo --insecure-policy copy --all --src-tls-verify=false "docker://$($registry.Address)/$name" "oci:${dest}:x" 2>&1
                $LASTEXITCODE | Should -Be 0 -Because "skopeo copy of $name said: $said"
            }
        }
        finally { Stop-TestRegistry $registry }
    }
}
