# Hostile cases for containerd's bbolt databases: several hundred damages (fixed seed) of copies of real databases
# made by containerd (tests/Fixtures/containerd/root: meta.db and the overlayfs snapshotter's metadata.db;
# tests/Fixtures/bolt: meta.db, metadata.db and meta-large.db, which has overflow pages and deeper trees), each read
# by every containerd cmdlet and Get-Image in one runspace call. A damage must be a clear non-terminating error
# (MetadataCorrupt, or MalformedContent / InvalidDigest naming the bucket and key) or change nothing that is read
# (Tolerated, and then the output is compared with the undamaged database's): never a crash, a hang or a
# terminating error.
#
# Byte flips hit the structure bbolt keeps (meta pages, page headers, element headers): bbolt keeps no checksum
# of its data pages, so a flip inside a key or a value is a different database that no reader can tell from the
# one containerd wrote, not damage a reader can be asked to see.
BeforeDiscovery {
    $fx = Join-Path $PSScriptRoot '../Fixtures'
    $large = [IO.MemoryStream]::new()
    $gz = [IO.Compression.GZipStream]::new([IO.File]::OpenRead((Join-Path $fx 'bolt/meta-large.db.gz')), [IO.Compression.CompressionMode]::Decompress)
    $gz.CopyTo($large); $gz.Dispose()
    # Target: which database, where it goes in the damaged root, its bytes.
    $targets = @(
        @{ Name = 'containerd root meta.db'; Slot = 'meta'; Bytes = [IO.File]::ReadAllBytes((Join-Path $fx 'containerd/root/io.containerd.metadata.v1.bolt/meta.db')); Count = 96 }
        @{ Name = 'containerd root overlayfs metadata.db'; Slot = 'snapshotter'; Bytes = [IO.File]::ReadAllBytes((Join-Path $fx 'containerd/root/io.containerd.snapshotter.v1.overlayfs/metadata.db')); Count = 40 }
        @{ Name = 'bolt fixture meta.db'; Slot = 'meta'; Bytes = [IO.File]::ReadAllBytes((Join-Path $fx 'bolt/meta.db')); Count = 64 }
        @{ Name = 'bolt fixture meta-large.db'; Slot = 'meta'; Bytes = $large.ToArray(); Count = 64 }
    )
    $rng = [Random]::new(16)
    $script:Damages = foreach ($t in $targets) {
        $b = $t.Bytes
        $pageSize = [BitConverter]::ToUInt32($b, 16 + 8)   # meta: magic, version, pageSize
        $pages = [int]($b.Length / $pageSize)
        for ($i = 0; $i -lt $t.Count; $i++) {
            $page = $rng.Next($pages)
            $at = $page * $pageSize
            switch ($i % 4) {
                0 {
                    # a flip in the structure: a meta page's fields, a page header or the element headers after it
                    $flags = [BitConverter]::ToUInt16($b, $at + 8); $count = [BitConverter]::ToUInt16($b, $at + 10)
                    $span = if ($page -lt 2) { 64 } elseif ($flags -eq 2 -or $flags -eq 1) { 16 + 16 * [Math]::Min($count, 200) } else { 16 }
                    $o = $at + $rng.Next([Math]::Min($span, $pageSize)); $bit = $rng.Next(8)
                    @{ Target = $t.Name; Slot = $t.Slot; Kind = 'flip'; Offset = $o; Bit = $bit; Text = "flip bit $bit at $o (page $page)" }
                }
                1 {
                    $o = $at + $rng.Next(16); $bit = $rng.Next(8)
                    @{ Target = $t.Name; Slot = $t.Slot; Kind = 'flip'; Offset = $o; Bit = $bit; Text = "flip bit $bit of page $page's header at $o" }
                }
                2 { @{ Target = $t.Name; Slot = $t.Slot; Kind = 'zero'; Offset = $at; Length = $pageSize; Text = "zero page $page" } }
                3 { $o = $rng.Next(1, $b.Length); @{ Target = $t.Name; Slot = $t.Slot; Kind = 'truncate'; Offset = $o; Text = "truncate at $o of $($b.Length)" } }
            }
        }
    }
    $n = 0
    foreach ($d in $Damages) { $d.Id = $n++ }
}

Describe 'Hostile bbolt databases of containerd' {
    BeforeAll {
        Import-Module $env:IMAGETOOLS_MODULE -Force
        Import-Module (Join-Path $PSScriptRoot 'Hostile.psm1') -Force
        $fx = Join-Path $PSScriptRoot '../Fixtures'
        $script:Sources = @{
            'containerd root meta.db' = Join-Path $fx 'containerd/root/io.containerd.metadata.v1.bolt/meta.db'
            'containerd root overlayfs metadata.db' = Join-Path $fx 'containerd/root/io.containerd.snapshotter.v1.overlayfs/metadata.db'
            'bolt fixture meta.db' = Join-Path $fx 'bolt/meta.db'
        }
        $large = [IO.MemoryStream]::new()
        $gz = [IO.Compression.GZipStream]::new([IO.File]::OpenRead((Join-Path $fx 'bolt/meta-large.db.gz')), [IO.Compression.CompressionMode]::Decompress)
        $gz.CopyTo($large); $gz.Dispose()
        $script:Originals = @{}
        foreach ($k in $Sources.Keys) { $Originals[$k] = [IO.File]::ReadAllBytes($Sources[$k]) }
        $Originals['bolt fixture meta-large.db'] = $large.ToArray()

        # One root per target, at the same path for every damage of that target (outputs name the root): the
        # containerd fixture root, whose meta.db or overlayfs metadata.db is replaced by the target.
        $script:Roots = @{}
        foreach ($k in $Originals.Keys) {
            $r = Join-Path $TestDrive ('root-' + ($k -replace '\W', '-'))
            Copy-Item -Recurse (Join-Path $fx 'containerd/root') $r
            $Roots[$k] = $r
        }
        function script:Get-DbPath([string] $Target, [string] $Slot) {
            if ($Slot -eq 'meta') { Join-Path $Roots[$Target] 'io.containerd.metadata.v1.bolt/meta.db' }
            else { Join-Path $Roots[$Target] 'io.containerd.snapshotter.v1.overlayfs/metadata.db' }
        }
        # What every cmdlet says about a root, as one text: the undamaged answer is compared with a tolerated damage's.
        $script:Action = {
            param($a)
            $out = [Collections.Generic.List[string]]::new()
            $commands = 'Get-ContainerdNamespace', 'Get-ContainerdContent', 'Get-ContainerdImage', 'Get-ContainerdSnapshot',
                'Get-ContainerdContainer', 'Get-ContainerdLease', 'Get-ContainerdSandbox'
            # Get-Image walks the images' blobs, which only the containerd root fixture holds
            if ($a.WithBlobs) { $commands += 'Get-Image' }
            foreach ($cmd in $commands) {
                $params = @{ LiteralPath = $a.Root }
                if ($cmd -in 'Get-ContainerdContainer', 'Get-ContainerdSandbox') { $params.StatePath = $a.State }
                # the records only: the Store handle some carry is the reader's own state (page numbers, file length), not what was read
                foreach ($o in & $cmd @params) { $out.Add("$cmd " + ($o | Select-Object -ExcludeProperty Store | ConvertTo-Json -Depth 3 -Compress -WarningAction SilentlyContinue)) }
            }
            [IO.File]::WriteAllLines($a.Summary, [string[]]$out)
        }
        $script:State = Join-Path $TestDrive 'no-state'
        # the undamaged answers are references, not hostile cases: not counted in the totals
        $savedLog = $env:IMAGETOOLS_HOSTILE_LOG
        $env:IMAGETOOLS_HOSTILE_LOG = $null
        $script:Baseline = @{}
        foreach ($k in $Originals.Keys) {
            $slot = if ($k -like '*metadata.db') { 'snapshotter' } else { 'meta' }
            [IO.File]::WriteAllBytes((Get-DbPath $k $slot), $Originals[$k])
            $sum = Join-Path $TestDrive "baseline-$($k -replace '\W', '-').txt"
            $case = Invoke-HostileCase -Name "undamaged $k" -Class BoltDamage -SuccessAllowed -Action $Action -Arguments @{ Root = $Roots[$k]; State = $State; Summary = $sum; WithBlobs = $k -like 'containerd root*' }
            $case.Verdict | Should -Be 'Tolerated' -Because "the undamaged $k reads without errors ($($case.Messages -join '; '))"
            $Baseline[$k] = Get-Content -Raw $sum
            $Baseline[$k].Length | Should -BeGreaterThan 1000
        }
        # bbolt keeps two meta pages, each with a checksum, and reads the newest valid one: a damaged meta page makes
        # the database read as of the transaction before (what bbolt itself does). Those answers, per meta page:
        $script:MetaFallback = @{}
        foreach ($k in $Originals.Keys) {
            $pageSize = [BitConverter]::ToUInt32($Originals[$k], 16 + 8)
            $MetaFallback[$k] = foreach ($meta in 0, 1) {
                $bytes = [byte[]]$Originals[$k].Clone()
                [Array]::Clear($bytes, $meta * $pageSize, $pageSize)
                $slot = if ($k -like '*metadata.db') { 'snapshotter' } else { 'meta' }
                [IO.File]::WriteAllBytes((Get-DbPath $k $slot), $bytes)
                $sum = Join-Path $TestDrive "fallback-$meta-$($k -replace '\W', '-').txt"
                $case = Invoke-HostileCase -Name "meta page $meta of $k cleared" -Class BoltDamage -SuccessAllowed -Action $Action -Arguments @{ Root = $Roots[$k]; State = $State; Summary = $sum; WithBlobs = $k -like 'containerd root*' }
                if ($case.Verdict -eq 'Tolerated') { Get-Content -Raw $sum }
            }
        }
        $env:IMAGETOOLS_HOSTILE_LOG = $savedLog
    }

    It '<Target>: <Text>' -ForEach $Damages {
        $db = Get-DbPath $Target $Slot
        if ($Slot -eq 'snapshotter') { [IO.File]::WriteAllBytes((Get-DbPath $Target 'meta'), $Originals['containerd root meta.db']) }
        else { [IO.File]::WriteAllBytes((Get-DbPath $Target 'snapshotter'), $Originals['containerd root overlayfs metadata.db']) }
        $bytes = [byte[]]$Originals[$Target].Clone()
        switch ($Kind) {
            'flip' { $bytes[$Offset] = $bytes[$Offset] -bxor (1 -shl $Bit) }
            'zero' { [Array]::Clear($bytes, $Offset, $Length) }
            'truncate' { $bytes = $bytes[0..($Offset - 1)] }
        }
        [IO.File]::WriteAllBytes($db, $bytes)
        $sum = Join-Path $TestDrive "summary-$Id.txt"
        $case = Invoke-HostileCase -Name "$Target $Text" -Class BoltDamage -SuccessAllowed -TimeoutSeconds 30 -Unchanged $Roots[$Target] `
            -ExpectErrorId MetadataCorrupt, MalformedContent, InvalidDigest -Action $Action -Arguments @{ Root = $Roots[$Target]; State = $State; Summary = $sum; WithBlobs = $Target -like 'containerd root*' }
        $case | Assert-HostileCase -Accept ClearError, Tolerated
        $case.Terminating | Should -BeFalse
        if ($case.Verdict -eq 'Tolerated') {
            # nothing reported: then nothing read may have changed (but a damaged meta page reads the transaction before, as bbolt does)
            $pageSize = [BitConverter]::ToUInt32($Originals[$Target], 16 + 8)
            $allowed = @($Baseline[$Target]) + $(if ($Kind -ne 'truncate' -and $Offset -lt 2 * $pageSize) { $MetaFallback[$Target] })
            $actual = Get-Content -Raw $sum
            $actual -in $allowed | Should -BeTrue -Because "$Text was not reported, so it must change nothing that is read"
        }
    }
}

Describe 'Hostile containerd roots: names that are not UTF-8, paths out of the root, FIFOs' {
    BeforeDiscovery {
        $script:RootCases = @(
            @{ Name = "an image name key of meta.db is not UTF-8"; Class = 'BoltDamage'; Ids = @('MalformedContent')
               Commands = @('Get-ContainerdImage', 'Get-Image')
               Make = { param($r, $o)
                   # every copy of the name in the file (the live record and older pages): its last byte becomes 0xFF
                   $db = "$r/io.containerd.metadata.v1.bolt/meta.db"; $b = [IO.File]::ReadAllBytes($db)
                   $text = [Text.Encoding]::Latin1.GetString($b); $needle = 'docker.io/library/app:2.0'; $i = -1; $n = 0
                   while (($i = $text.IndexOf($needle, $i + 1)) -ge 0) { $b[$i + $needle.Length - 1] = 0xFF; $n++ }
                   $n | Should -BeGreaterThan 0
                   [IO.File]::WriteAllBytes($db, $b) } }
            @{ Name = "a content blob is a symlink out of the root"; Class = 'PathAttack'; Ids = @('PathOutsideStore'); Commands = @('Get-Image')
               Make = { param($r, $o, $manifest)
                   $blob = "$r/io.containerd.content.v1.content/blobs/sha256/$manifest"
                   Move-Item $blob "$o/blob"; New-Item -ItemType SymbolicLink -Path $blob -Target "$o/blob" | Out-Null } }
            @{ Name = "a content blob is a FIFO"; Class = 'PathAttack'; Ids = @('NotARegularFile'); Commands = @('Get-Image')
               Make = { param($r, $o, $manifest) $blob = "$r/io.containerd.content.v1.content/blobs/sha256/$manifest"; Remove-Item $blob; & mkfifo $blob } }
            @{ Name = "meta.db is a FIFO"; Class = 'PathAttack'; Ids = @('NotARegularFile')
               Commands = @('Get-ContainerdNamespace', 'Get-ContainerdContent', 'Get-ContainerdSnapshot', 'Get-Image')
               Make = { param($r, $o) $db = "$r/io.containerd.metadata.v1.bolt/meta.db"; Remove-Item $db; & mkfifo $db } }
            @{ Name = "meta.db is a symlink out of the root"; Class = 'PathAttack'; Ids = @('PathOutsideStore')
               Commands = @('Get-ContainerdNamespace', 'Get-ContainerdImage', 'Get-Image')
               Make = { param($r, $o) $db = "$r/io.containerd.metadata.v1.bolt/meta.db"; Move-Item $db "$o/meta.db"; New-Item -ItemType SymbolicLink -Path $db -Target "$o/meta.db" | Out-Null } }
            @{ Name = "the overlayfs snapshotter's metadata.db is a FIFO"; Class = 'PathAttack'; Ids = @('NotARegularFile'); Commands = @('Get-ContainerdSnapshot', 'Get-ContainerdContainer')
               Make = { param($r, $o) $db = "$r/io.containerd.snapshotter.v1.overlayfs/metadata.db"; Remove-Item $db; & mkfifo $db } }
        )
        $script:RootRuns = foreach ($c in $RootCases) { foreach ($cmd in $c.Commands) { @{ Case = $c; Command = $cmd } } }
    }
    BeforeAll {
        Import-Module $env:IMAGETOOLS_MODULE -Force
        Import-Module (Join-Path $PSScriptRoot 'Hostile.psm1') -Force
        $script:Fixture = Join-Path $PSScriptRoot '../Fixtures/containerd'
        # the manifest of base:1.0 in k8s.io, as ctr images ls recorded it
        $line = @(Get-Content (Join-Path $Fixture 'ctr-images-k8s.io.txt') | Where-Object { $_ -match '^base:1\.0\s' })
        $line.Count | Should -Be 1
        $script:Manifest = @($line[0] -split '\s+' | Where-Object { $_ -like 'sha256:*' })[0].Substring(7)
        $Manifest.Length | Should -Be 64
        $script:MadeRoots = @{}
    }

    It '<Case.Name>: <Command>' -ForEach $RootRuns {
        if (-not $MadeRoots.ContainsKey($Case.Name)) {
            $base = Join-Path $TestDrive "root$($MadeRoots.Count)"
            Copy-Item -Recurse (Join-Path $Fixture 'root') (Join-Path $base 'root')
            $outside = (New-Item -ItemType Directory (Join-Path $base 'outside')).FullName
            & $Case.Make (Join-Path $base 'root') $outside $Manifest
            $MadeRoots[$Case.Name] = @{ Root = Join-Path $base 'root'; Outside = $outside }
        }
        $made = $MadeRoots[$Case.Name]
        $case = Invoke-HostileCase -Name "containerd root, $($Case.Name): $Command" -Class $Case.Class -TimeoutSeconds 30 -ExpectErrorId $Case.Ids `
            -Unchanged @($made.Root, $made.Outside) -Arguments @{ Root = $made.Root; Command = $Command; State = (Join-Path $TestDrive 'no-state') } -Action {
                param($a)
                $params = @{ LiteralPath = $a.Root }
                if ($a.Command -in 'Get-ContainerdContainer', 'Get-ContainerdSandbox') { $params.StatePath = $a.State }
                & $a.Command @params | Out-Null
            }
        $case | Assert-HostileCase
        $case.Terminating | Should -BeFalse
    }
}
