# Hostile cases for the Docker data root: each damage is made on a fresh copy of the real dockerd 20.10 data root
# (tests/Fixtures/docker/docker-root-overlay2.tar.gz) and read by Find-DockerOrphan, Get-OverlayDirectory,
# Get-DockerImage, Get-DockerLayer, Get-DockerContainer and Get-Image. The root must stay byte-identical, nothing may
# hang, every damage that changes what is read must be a clear error, and Find-DockerOrphan must never offer a
# directory that docker inspect (recorded when the fixture was made) says is in use.
BeforeDiscovery {
    . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1"

    # A damage: Name, Class, Make (param($root, $outside): changes the unpacked root; $outside is a folder beside it),
    # Ids (what the Docker cmdlets must say), Quiet (the cmdlets that do not read what was damaged: no error allowed).
    $script:Damages = @(
        @{ Name = "a layer's cache-id is ../.."; Class = 'PathAttack'; Ids = @('PathOutsideStore'); Quiet = @()
           Make = { param($r, $o, $F) [IO.File]::WriteAllText("$r/image/overlay2/layerdb/sha256/$($F.AppChain[-1].Substring(7))/cache-id", '../..') } }
        @{ Name = "a layer's cache-id names a folder that does not exist"; Class = 'DockerRootDamage'; Ids = @('FileNotFound', 'BlobNotFound')
           Quiet = @('Get-DockerImage', 'Get-DockerLayer', 'Get-DockerContainer', 'Get-OverlayDirectory', 'Get-Image')
           Make = { param($r, $o, $F) [IO.File]::WriteAllText("$r/image/overlay2/layerdb/sha256/$($F.AppChain[-1].Substring(7))/cache-id", ('f' * 64)) } }
        @{ Name = "a container's mount-id holds a path with /"; Class = 'PathAttack'; Ids = @('PathOutsideStore'); Quiet = @()
           Make = { param($r, $o, $F) [IO.File]::WriteAllText("$r/image/overlay2/layerdb/mounts/$($F.RanId)/mount-id", '../../../etc') } }
        @{ Name = "a layer's overlay2 diff is a symlink out of the root"; Class = 'PathAttack'; Ids = @('PathOutsideStore', 'BlobNotFound'); Quiet = @()
           Make = { param($r, $o, $F)
               $dir = "$r/overlay2/$($F.AppUpper)"
               Move-Item "$dir/diff" "$o/stolen-diff"; New-Item -ItemType SymbolicLink -Path "$dir/diff" -Target "$o/stolen-diff" | Out-Null } }
        @{ Name = "a container's overlay2 folder is a symlink out of the root"; Class = 'PathAttack'; Ids = @('PathOutsideStore'); Quiet = @()
           Make = { param($r, $o, $F)
               $dir = "$r/overlay2/$($F.RanUpper)"
               Move-Item $dir "$o/stolen-container"; New-Item -ItemType SymbolicLink -Path $dir -Target "$o/stolen-container" | Out-Null } }
        @{ Name = 'an overlay2/l short link points out of the root'; Class = 'PathAttack'; Ids = @('PathOutsideStore')
           Quiet = @('Get-DockerImage', 'Get-DockerLayer', 'Get-DockerContainer', 'Get-Image')
           Make = { param($r, $o, $F) New-Item -ItemType SymbolicLink -Path "$r/overlay2/l/OUTSIDE000000000000000001" -Target $o | Out-Null } }
        @{ Name = 'a layerdb entry is a symlink out of the root'; Class = 'PathAttack'; Ids = @('PathOutsideStore'); Quiet = @()
           Make = { param($r, $o, $F)
               $db = "$r/image/overlay2/layerdb/sha256/$($F.BaseChain[0].Substring(7))"
               Move-Item $db "$o/stolen-layerdb"; New-Item -ItemType SymbolicLink -Path $db -Target "$o/stolen-layerdb" | Out-Null } }
        @{ Name = "a layer's tar-split.json.gz is a symlink out of the root"; Class = 'PathAttack'; Ids = @('PathOutsideStore')
           Quiet = @('Get-DockerImage', 'Get-DockerLayer', 'Get-DockerContainer', 'Get-OverlayDirectory', 'Find-DockerOrphan')
           Make = { param($r, $o, $F)
               $ts = "$r/image/overlay2/layerdb/sha256/$($F.AppChain[-1].Substring(7))/tar-split.json.gz"
               Move-Item $ts "$o/tar-split.json.gz"; New-Item -ItemType SymbolicLink -Path $ts -Target "$o/tar-split.json.gz" | Out-Null } }
        # a layer's size is read only by the cmdlets that show sizes (issue 14): Get-OverlayDirectory and Find-DockerOrphan never open it
        @{ Name = "a layer's size file is not a number"; Class = 'DockerRootDamage'; Ids = @('MalformedContent'); Quiet = @('Get-OverlayDirectory', 'Find-DockerOrphan')
           Make = { param($r, $o, $F) [IO.File]::WriteAllText("$r/image/overlay2/layerdb/sha256/$($F.AppChain[-1].Substring(7))/size", '12kB') } }
        @{ Name = 'the layerdb parent links form a cycle'; Class = 'DockerRootDamage'; Ids = @('MalformedContent'); Quiet = @()
           Make = { param($r, $o, $F) [IO.File]::WriteAllText("$r/image/overlay2/layerdb/sha256/$($F.AppChain[0].Substring(7))/parent", $F.AppChain[-1]) } }
        @{ Name = 'a layer names a parent that is not in layerdb'; Class = 'DockerRootDamage'; Ids = @('BlobNotFound'); Quiet = @()
           Make = { param($r, $o, $F) [IO.File]::WriteAllText("$r/image/overlay2/layerdb/sha256/$($F.AppChain[-1].Substring(7))/parent", ('sha256:' + 'e' * 64)) } }
        @{ Name = 'repositories.json is truncated'; Class = 'DockerRootDamage'; Ids = @('MalformedContent'); Quiet = @()
           Make = { param($r, $o, $F)
               $f = "$r/image/overlay2/repositories.json"; $b = [IO.File]::ReadAllBytes($f)
               [IO.File]::WriteAllBytes($f, $b[0..([int]($b.Length / 2))]) } }
        @{ Name = 'repositories.json is a FIFO'; Class = 'PathAttack'; Ids = @('NotARegularFile'); Quiet = @()
           Make = { param($r, $o, $F) $f = "$r/image/overlay2/repositories.json"; Remove-Item $f; & mkfifo $f } }
        @{ Name = 'an imagedb config is malformed JSON'; Class = 'DockerRootDamage'; Ids = @('MalformedContent', 'DigestMismatch'); Quiet = @()
           Make = { param($r, $o, $F) [IO.File]::WriteAllText("$r/image/overlay2/imagedb/content/sha256/$($F.BaseImage)", '{"rootfs": [') } }
        @{ Name = 'an imagedb config is a FIFO'; Class = 'PathAttack'; Ids = @('NotARegularFile'); Quiet = @()
           Make = { param($r, $o, $F) $f = "$r/image/overlay2/imagedb/content/sha256/$($F.BaseImage)"; Remove-Item $f; & mkfifo $f } }
        @{ Name = "a layer's cache-id is a FIFO"; Class = 'PathAttack'; Ids = @('NotARegularFile'); Quiet = @()
           Make = { param($r, $o, $F) $f = "$r/image/overlay2/layerdb/sha256/$($F.BaseChain[0].Substring(7))/cache-id"; Remove-Item $f; & mkfifo $f } }
        # dockerd skips a containers/<id> folder without config.v2.json when it loads its containers (issue 13): it is no
        # container, so no cmdlet fails on it, and Find-DockerOrphan offers the folder and the container's layerdb mount
        @{ Name = "a container's folder is empty"; Class = 'DockerRootDamage'; Ids = @('FileNotFound', 'StoreUnreadable'); Offers = 'RanId'
           Quiet = @('Find-DockerOrphan', 'Get-OverlayDirectory', 'Get-DockerImage', 'Get-DockerLayer', 'Get-DockerContainer', 'Get-Image')
           Make = { param($r, $o, $F) Get-ChildItem -Force "$r/containers/$($F.RanId)" | Remove-Item -Recurse -Force } }
        @{ Name = "a container's config.v2.json is a symlink out of the root"; Class = 'PathAttack'; Ids = @('PathOutsideStore'); Quiet = @()
           Make = { param($r, $o, $F)
               $f = "$r/containers/$($F.RanId)/config.v2.json"
               Move-Item $f "$o/config.v2.json"; New-Item -ItemType SymbolicLink -Path $f -Target "$o/config.v2.json" | Out-Null } }
        @{ Name = "Docker's containerd meta.db is a FIFO"; Class = 'PathAttack'; Ids = @('NotARegularFile')
           # it only tells whether containerd holds images too (a note): the root is read from its imagedb all the same
           Quiet = @('Find-DockerOrphan', 'Get-OverlayDirectory', 'Get-DockerImage', 'Get-DockerLayer', 'Get-DockerContainer', 'Get-Image')
           Make = { param($r, $o, $F)
               $db = "$r/containerd/daemon/io.containerd.metadata.v1.bolt/meta.db"
               New-Item -ItemType Directory -Force (Split-Path $db) | Out-Null; Remove-Item $db -ErrorAction SilentlyContinue; & mkfifo $db } }
    )
    for ($n = 0; $n -lt $Damages.Count; $n++) { $Damages[$n].Id = $n }
    $script:Commands = 'Find-DockerOrphan', 'Get-OverlayDirectory', 'Get-DockerImage', 'Get-DockerLayer', 'Get-DockerContainer', 'Get-Image'
    $script:Cases = foreach ($d in $Damages) { foreach ($c in $Commands) { @{ Damage = $d; Command = $c } } }
}

Describe 'Hostile Docker data roots' -Skip:([bool]$DockerSkipReason) {
    BeforeAll {
        Import-Module $env:IMAGETOOLS_MODULE -Force
        Import-Module (Join-Path $PSScriptRoot 'Hostile.psm1') -Force
        . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1"

        # Recorded answers of the real dockerd (docker image inspect, docker inspect), not the module's.
        $script:ImageInspect = @(Get-DockerInspect 'overlay2.image-inspect.json')
        $script:ContainerInspect = @(Get-DockerInspect 'overlay2.container-inspect.json')
        $app = $ImageInspect | Where-Object { $_.RepoTags -contains 'app:2.0' }
        $base = $ImageInspect | Where-Object { $_.RepoTags -contains 'base:1.0' }
        $ran = $ContainerInspect | Where-Object Name -eq '/ran'
        # The ChainIDs of an image, computed here from the DiffIDs docker inspect recorded.
        function Get-ChainIds($Inspect) {
            $chain = $null
            foreach ($diff in $Inspect.RootFS.Layers) {
                $chain = if ($null -eq $chain) { $diff } else {
                    'sha256:' + [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::ASCII.GetBytes("$chain $diff"))).ToLowerInvariant()
                }
                $chain
            }
        }
        $script:F = @{
            AppChain = @(Get-ChainIds $app); BaseChain = @(Get-ChainIds $base); BaseImage = $base.Id.Substring(7)
            AppUpper = Get-DriverDirId $app.GraphDriver.Data.UpperDir; RanId = $ran.Id; RanUpper = Get-DriverDirId $ran.GraphDriver.Data.UpperDir
        }
        $F.AppChain.Count | Should -BeGreaterThan 1
        # Every overlay2 folder docker inspect names as an image's or a container's (upper, lower, init).
        $script:InUse = @($ImageInspect + $ContainerInspect | ForEach-Object {
                $_.GraphDriver.Data.UpperDir; $_.GraphDriver.Data.LowerDir -split ':' } | Where-Object { $_ } | ForEach-Object { Get-DriverDirId $_ } | Sort-Object -Unique)
        $script:InUse.Count | Should -BeGreaterThan 5
        $script:Made = @{}
    }

    It '<Damage.Name>: <Command>' -ForEach $Cases {
        $key = $Damage.Id
        if (-not $Made.ContainsKey($key)) {
            $base = Join-Path $TestDrive "case$key"
            $root = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $base 'root')
            $outside = New-Item -ItemType Directory (Join-Path $base 'outside') -Force
            $root | Should -BeLike "$TestDrive*"   # the damage is only ever made inside the test's own copy
            & $Damage.Make $root $outside.FullName $F
            $Made[$key] = @{ Root = $root; Outside = $outside.FullName }
        }
        $root = $Made[$key].Root
        $offered = Join-Path $TestDrive "offered-$key-$Command.txt"
        $arguments = @{ Root = $root; Command = $Command; Offered = $offered }
        $quiet = $Command -in $Damage.Quiet
        $expect = if ($Command -eq 'Find-DockerOrphan') { @('OrphanMarkingIncomplete') } else { $Damage.Ids }
        $inUse = $InUse
        $live = {
            if (Test-Path $offered) {
                # what the command offered as orphans, against what docker inspect says is in use
                @(Get-Content $offered | Where-Object { $_ -in $inUse } | ForEach-Object { "in-use overlay2/$_ offered as an orphan" })
            }
        }.GetNewClosure()
        $case = Invoke-HostileCase -Name "$($Damage.Name): $Command" -Class $Damage.Class -Arguments $arguments -TimeoutSeconds 30 `
            -ExpectErrorId $expect -SuccessAllowed:$quiet -Unchanged @($root, $Made[$key].Outside) -LiveCheck $live -Action {
                param($a)
                switch ($a.Command) {
                    'Find-DockerOrphan' { [IO.File]::WriteAllLines($a.Offered, [string[]]@(Find-DockerOrphan -LiteralPath $a.Root | ForEach-Object { $_.Id })) }
                    'Get-OverlayDirectory' { Get-OverlayDirectory -LiteralPath $a.Root | Out-Null }
                    'Get-DockerImage' { Get-DockerImage -LiteralPath $a.Root | Out-Null }
                    'Get-DockerLayer' { Get-DockerLayer -LiteralPath $a.Root | Out-Null }
                    'Get-DockerContainer' { Get-DockerContainer -LiteralPath $a.Root | Out-Null }
                    'Get-Image' { Get-Image -LiteralPath $a.Root | Out-Null }
                }
            }
        $case | Assert-HostileCase -Accept $(if ($quiet) { 'ClearError', 'Tolerated' } else { 'ClearError' })
        $case.Terminating | Should -BeFalse
        if ($Damage.Offers -and $Command -eq 'Find-DockerOrphan') {
            # twice: the containers/<id> folder and the container's layerdb mount
            @(Get-Content $offered | Where-Object { $_ -eq $F[$Damage.Offers] }).Count | Should -Be 2
        }
    }

    It 'Find-DockerOrphan on the undamaged root offers none of the folders docker inspect names (the live check can fail)' {
        $root = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'clean')
        $offered = @(Find-DockerOrphan -LiteralPath $root -ErrorAction Stop | ForEach-Object Id)
        $offered.Count | Should -Be 3
        @($offered | Where-Object { $_ -in $InUse }).Count | Should -Be 0
        # the check itself: a folder in use, were it offered, is caught
        @($InUse[0] | Where-Object { $_ -in $InUse }).Count | Should -Be 1
    }
}
