# ImageTools over PowerShell remoting, for real: a private sshd on loopback addresses (tests/Remoting/Remoting.psm1)
# with this pwsh as its powershell subsystem. Each of 127.0.0.1, .2, .3 stands for one host of a fleet and reads a
# host tree of its own (tests/Fixtures/host/HostTreeFixture.ps1). Every output type is compared with the local
# objects: the same values (as strings) and the same default table, column for column, plus PSComputerName.
# The fleet questions are the ones en-US/about_ImageTools_Remoting.help.txt shows.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'Remoting.psm1') -Force
    . "$PSScriptRoot/../Fixtures/host/HostTreeFixture.ps1"
    $script:needs = Get-SshdNeed
    if ($DockerSkipReason) { $script:needs.Skip = $true }

    # One command per output type; $root is host A's tree, $f tests/Fixtures, $out a folder for the writers.
    $script:OutputTypes = @(
        @{ Type = 'ImageStoreInfo'; Command = 'Get-ImageStore -Root $root'; Varies = 'FreeSpace' }
        @{ Type = 'Image'; Command = 'Get-Image -Path $f/data/oci-layout' }
        @{ Type = 'ImageIndexInfo'; Command = 'Get-ImageIndex -Path $f/data/oci-layout' }
        @{ Type = 'ImageManifestInfo'; Command = 'Get-ImageManifest -Path $f/data/oci-layout' }
        @{ Type = 'ImageConfigInfo'; Command = 'Get-ImageConfig -Path $f/data/docker-archive.tar' }
        @{ Type = 'ImageLayerInfo'; Command = 'Get-ImageLayer -Path $f/data/oci-layout' }
        @{ Type = 'BlobCheckResult'; Command = 'Test-ImageBlob -Path $f/data/oci-layout -DiffId' }
        @{ Type = 'ContentDigestInfo'; Command = 'Get-ContentDigest -Path $f/data/oci-archive.tar' }
        @{ Type = 'LayerEntry'; Command = 'Get-ImageLayerEntry -Path $f/data/oci-layout -Name app:latest' }
        @{ Type = 'FileSystemEntry'; Command = 'Get-Image -Path $f/data/oci-layout -Name app:latest | Get-ImageFileSystem' }
        @{ Type = 'ImageMeasure'; Command = 'Get-Image -Path $f/data/oci-layout -Name app:latest | Measure-Image' }
        @{ Type = 'ImageDifference'; Command = 'Compare-Image (Get-Image -Path $f/data/oci-layout -Name base:1.0) (Get-Image -Path $f/data/oci-layout -Name app:latest)' }
        @{ Type = 'ImageReferenceInfo'; Command = 'Get-ImageReference -Path $f/yaml/manifests' }
        @{ Type = 'DockerImage'; Command = 'Get-DockerImage -Path $root/srv/docker-data' }
        @{ Type = 'DockerLayer'; Command = 'Get-DockerLayer -Path $root/srv/docker-data' }
        @{ Type = 'DockerContainer'; Command = 'Get-DockerContainer -Path $root/srv/docker-data' }
        @{ Type = 'OverlayDirectory'; Command = 'Get-OverlayDirectory -Path $root/srv/docker-data' }
        @{ Type = 'ContainerChange'; Command = 'Get-DockerContainer -Path $root/srv/docker-data | Get-ContainerChange' }
        @{ Type = 'DockerOrphan'; Command = 'Find-DockerOrphan -Path $root/srv/docker-data' }
        @{ Type = 'ContainerdNamespace'; Command = 'Get-ContainerdNamespace -Path $root/data/containerd' }
        @{ Type = 'ContainerdContent'; Command = 'Get-ContainerdContent -Path $root/data/containerd' }
        @{ Type = 'ContainerdImage'; Command = 'Get-ContainerdImage -Path $root/data/containerd' }
        @{ Type = 'ContainerdSnapshot'; Command = 'Get-ContainerdSnapshot -Path $root/data/containerd' }
        @{ Type = 'ContainerdContainer'; Command = 'Get-ContainerdContainer -Path $root/data/containerd' }
        @{ Type = 'ContainerdLease'; Command = 'Get-ContainerdLease -Path $root/data/containerd' }
        @{ Type = 'ContainerdSandbox'; Command = 'Get-ContainerdSandbox -Path $root/data/containerd' }
        @{ Type = 'RegistryRepository'; Command = 'Get-RegistryRepository -Path $root/srv/registry' }
        @{ Type = 'RegistryTag'; Command = 'Get-RegistryRepository -Path $root/srv/registry | Get-RegistryTag' }
        @{ Type = 'RegistryGarbage'; Command = 'Find-RegistryGarbage -Path $root/srv/registry' }
        @{ Type = 'SavedArchive'; Command = 'Save-Image -Path $f/data/oci-layout -Name base:1.0 -DestinationPath $out/base.tar' }
        @{ Type = 'ImageUnpackResult'; Command = 'Get-Image -Path $f/data/oci-layout -Name base:1.0 | Expand-Image -DestinationPath $out/rootfs'; Varies = 'Duration' }
    )
}

Describe 'ImageTools over PowerShell remoting (a private sshd, three hosts)' @needs {
    BeforeAll {
        Import-Module $env:IMAGETOOLS_MODULE -Force
        Import-Module (Join-Path $PSScriptRoot 'Remoting.psm1') -Force
        . "$PSScriptRoot/../Fixtures/host/HostTreeFixture.ps1"
        $PSStyle.OutputRendering = 'PlainText'
        $script:f = (Resolve-Path "$PSScriptRoot/../Fixtures").Path

        # Host A: a Docker root moved by daemon.json, containerd (with a CRI sandbox folder), a registry.
        $script:hostA = New-HostTree -Destination (Join-Path $TestDrive 'hostA')
        New-Item -ItemType Directory -Force -Path "$hostA/data/containerd/io.containerd.grpc.v1.cri/sandboxes/abc123" | Out-Null
        Set-Content "$hostA/data/containerd/io.containerd.grpc.v1.cri/sandboxes/abc123/sandbox.json" '{}'
        # Host B: a registry with one corrupt blob (same size, one byte changed).
        $script:hostB = New-HostTree -Destination (Join-Path $TestDrive 'hostB') -NoDocker -NoContainerd
        $script:corrupt = Get-ChildItem -Recurse -File -Filter data "$hostB/srv/registry/docker/registry/v2/blobs" | Sort-Object Length -Descending | Select-Object -First 1
        $bytes = [IO.File]::ReadAllBytes($corrupt.FullName); $bytes[$bytes.Length - 1] = $bytes[$bytes.Length - 1] -bxor 0xFF
        [IO.File]::WriteAllBytes($corrupt.FullName, $bytes)
        $script:corruptDigest = 'sha256:' + $corrupt.Directory.Name
        # Host C: a Docker root only, with one more orphaned overlay2 folder than host A.
        $script:hostC = New-HostTree -Destination (Join-Path $TestDrive 'hostC') -NoContainerd -NoRegistry
        $script:extraOrphan = New-Item -ItemType Directory "$hostC/srv/docker-data/overlay2/00000000000000000000000000000000000000000000000000000000000000ff/diff"
        [IO.File]::WriteAllBytes("$($extraOrphan.FullName)/big", [byte[]]::new(100000))

        $script:sshd = Start-PrivateSshd -Addresses 3
        $script:fleet = @(New-PrivateSshSession $sshd -HostName 127.0.0.1, 127.0.0.2, 127.0.0.3)
        $roots = @{ '127.0.0.1' = $hostA; '127.0.0.2' = $hostB; '127.0.0.3' = $hostC }
        foreach ($s in $fleet) {
            Invoke-Command -Session $s -ScriptBlock {
                param($module, $root) Import-Module $module; $global:HostRoot = $root
            } -ArgumentList $env:IMAGETOOLS_MODULE, $roots[$s.ComputerName]
        }
        $script:a = $fleet | Where-Object ComputerName -eq '127.0.0.1'

        function Get-TableLines([object[]] $Objects, [string[]] $Blank) {
            # The default table as text lines: the header (labels), and every other line (rows and, for views grouped
            # by a property, the group lines) with the columns named in $Blank (values measured by the run) blanked.
            $lines = @(($Objects | Format-Table | Out-String -Width 1000) -split "`n" | ForEach-Object TrimEnd | Where-Object { $_ })
            $header = $null; $starts = @(); $labels = @(); $rows = [System.Collections.Generic.List[string]]::new()
            for ($n = 0; $n -lt $lines.Count; $n++) {
                if ($n + 1 -lt $lines.Count -and $lines[$n + 1] -match '^[\s-]*-[\s-]*$') {
                    # a header line, underlined: the column extents of the rows below it
                    $starts = @([regex]::Matches($lines[$n + 1], '-+') | ForEach-Object Index)
                    $labels = @(for ($i = 0; $i -lt $starts.Count; $i++) {
                        $to = if ($i + 1 -lt $starts.Count) { [Math]::Min($starts[$i + 1], $lines[$n].Length) } else { $lines[$n].Length }
                        $lines[$n].Substring($starts[$i], $to - $starts[$i]).Trim()
                    })
                    if ($null -eq $header) { $header = $labels }
                    $n++
                    continue
                }
                $line = $lines[$n]
                for ($i = 0; $i -lt $starts.Count; $i++) {
                    $from = $starts[$i]
                    if ($labels[$i] -in $Blank -and $from -lt $line.Length) {
                        $to = if ($i + 1 -lt $starts.Count) { [Math]::Min($starts[$i + 1], $line.Length) } else { $line.Length }
                        $line = $line.Substring(0, $from) + (' ' * ($to - $from)) + $line.Substring($to)
                    }
                }
                $rows.Add($line)
            }
            [pscustomobject]@{ Header = @($header); Rows = @($rows) }
        }
    }

    AfterAll {
        if ($fleet) { $fleet | Remove-PSSession }
        Stop-PrivateSshd $sshd
    }

    It 'opens one session per host, each reading its own tree' {
        $fleet.Count | Should -Be 3
        $stores = @(Invoke-Command -Session $fleet { Get-ImageStore -Root $HostRoot })
        @($stores | Group-Object PSComputerName | Sort-Object Name | ForEach-Object { "$($_.Name) $($_.Count)" }) |
            Should -Be @('127.0.0.1 3', '127.0.0.2 1', '127.0.0.3 1')
    }

    It '<Type> comes back with the same values and the same table, plus PSComputerName' -ForEach $OutputTypes {
        $sb = [scriptblock]::Create("param(`$root, `$f, `$out) $Command")
        $localOut = New-Item -ItemType Directory (Join-Path $TestDrive "local-$Type")
        $remoteOut = New-Item -ItemType Directory (Join-Path $TestDrive "remote-$Type")
        $local = @(& $sb $hostA $f $localOut.FullName)
        $remote = @(Invoke-Command -Session $a -ScriptBlock $sb -ArgumentList $hostA, $f, $remoteOut.FullName)
        $local.Count | Should -BeGreaterThan 0
        $local[0].GetType().Name | Should -Be $Type
        $remote.Count | Should -Be $local.Count
        $remote[0].pstypenames[0] | Should -Be "Deserialized.$($local[0].GetType().FullName)"
        @($remote.PSComputerName | Sort-Object -Unique) | Should -Be '127.0.0.1'

        # Values, as strings; the writers' destinations differ by their folder only. Parallel cmdlets (Test-ImageBlob)
        # do not keep an order, so both sides are sorted by their rendering.
        # A dictionary (labels, annotations, xattrs) is compared by its entries; a time measured by the run is left out.
        $names = @($local[0].PSObject.Properties | Where-Object MemberType -eq 'Property' | ForEach-Object Name | Where-Object { $_ -notin @($Varies) })
        $text = { param($v) if ($v -is [System.Collections.IDictionary]) { @($v.Keys | Sort-Object | ForEach-Object { "$_=$($v[$_])" }) -join '; ' } else { "$v" } }
        $render = { param($o, $swap) ($names | ForEach-Object { "$_=$((& $text $o.$_).Replace($swap, '<out>'))" }) -join "`n" }
        $l = @($local | ForEach-Object { & $render $_ $localOut.FullName } | Sort-Object)
        $r = @($remote | ForEach-Object { & $render $_ $remoteOut.FullName } | Sort-Object)
        for ($i = 0; $i -lt $l.Count; $i++) { $r[$i] | Should -Be $l[$i] }

        # The default table: the same headers plus PSComputerName, the same cells plus 127.0.0.1.
        $lt = Get-TableLines $local $Varies
        $rt = Get-TableLines $remote $Varies
        $rt.Header | Should -Be (@($lt.Header) + 'PSComputerName')
        $lrows = @($lt.Rows | ForEach-Object { $_.Replace($localOut.FullName, '<out>').TrimEnd() } | Sort-Object)
        $rrows = @($rt.Rows | ForEach-Object { $_.Replace($remoteOut.FullName, '<out>') })
        @($rrows | Where-Object { $_ -match '\s127\.0\.0\.1$' }).Count | Should -Be $local.Count
        $rrows = @($rrows | ForEach-Object { ($_ -replace '\s+127\.0\.0\.1$', '').TrimEnd() } | Sort-Object)
        $rrows.Count | Should -Be $lrows.Count
        for ($i = 0; $i -lt $lrows.Count; $i++) {
            if ($rrows[$i].EndsWith([char]0x2026) -and -not $lrows[$i].EndsWith([char]0x2026)) {
                # The appended PSComputerName column leaves the last column less room: PowerShell cuts it with '…'.
                $lrows[$i] | Should -BeLike ([WildcardPattern]::Escape($rrows[$i].TrimEnd([char]0x2026)) + '*')
            }
            else { $rrows[$i] | Should -Be $lrows[$i] }
        }
    }

    It 'gives digests, kinds and dates that compare with strings as the local objects do' {
        $index = Get-Content -Raw "$f/data/oci-layout/index.json" | ConvertFrom-Json
        $entry = @($index.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq 'base:1.0' })
        $entry.Count | Should -Be 1
        $config = Get-Content -Raw ("$f/data/oci-layout/blobs/sha256/" + (Get-Content -Raw ("$f/data/oci-layout/blobs/sha256/" + ($entry[0].digest -replace '^sha256:')) | ConvertFrom-Json).config.digest.Substring(7)) | ConvertFrom-Json -DateKind String
        $created = ([DateTimeOffset]::Parse($config.created, [cultureinfo]::InvariantCulture)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", [cultureinfo]::InvariantCulture)
        $remote = @(Invoke-Command -Session $a -ScriptBlock { param($f) Get-Image -Path $f/data/oci-layout -Name base:1.0 } -ArgumentList $f)
        $local = @(Get-Image -Path $f/data/oci-layout -Name base:1.0)
        $remote.Count | Should -Be 1
        foreach ($x in $local[0], $remote[0]) {
            ($x.Digest -eq $entry[0].digest) | Should -BeTrue
            ($x.StoreKind -eq 'OciLayout') | Should -BeTrue
            ($x.Created -eq $created) | Should -BeTrue
        }
    }

    It 'pipes what a host returned into the image cmdlets here, where its store path is reachable' {
        # Host A's tree is on this machine too: a Docker image and a containerd record from the session bind to
        # Get-ImageConfig and Get-ImageManifest as the local ones do; docker image inspect and ctr images ls say which.
        $inspect = @(Get-Content -Raw "$f/docker/expected/overlay2.image-inspect.json" | ConvertFrom-Json)
        $inspect.Count | Should -BeGreaterThan 0
        $ids = @(Invoke-Command -Session $a { param($root) Get-DockerImage -Path $root/srv/docker-data } -ArgumentList $hostA | Get-ImageConfig | ForEach-Object ImageId)
        @($ids | Sort-Object) | Should -Be @($inspect.Id | Sort-Object)
        $ctr = @(Get-Content "$f/containerd/ctr-images-k8s.io.txt" | Select-Object -Skip 1 | Where-Object { $_.Trim() } | ForEach-Object { $c = $_.Trim() -split '\s+'; "$($c[0]) $($c[2])" })
        $ctr.Count | Should -BeGreaterThan 0
        $records = @(Invoke-Command -Session $a { param($root) Get-ContainerdImage -Path $root/data/containerd -Namespace k8s.io } -ArgumentList $hostA)
        $records.Count | Should -Be $ctr.Count
        $roots = foreach ($r in $records) {
            $index = @($r | Get-ImageIndex -ErrorAction SilentlyContinue)
            $digest = if ($index.Count) { $index[0].Digest } else { @($r | Get-ImageManifest)[0].Digest }
            "$($r.Name) $digest"
        }
        @($roots | Sort-Object) | Should -Be @($ctr | Sort-Object)
    }

    It 'answers which hosts hold an image, and under which names' {
        # about_ImageTools_Remoting: Get-ImageStore | Get-Image -Name app
        $found = @(Invoke-Command -Session $fleet { Get-ImageStore -Root $HostRoot | Get-Image -Name app -ErrorAction SilentlyContinue })
        $byHost = @($found | Group-Object PSComputerName | Sort-Object Name | ForEach-Object { "$($_.Name): $(@($_.Group.Name | Sort-Object -Unique) -join ', ')" })
        # docker image ls (host A and C's Docker root) and ctr images ls (host A's containerd) name repository app so;
        # host B's registry has org/team/app only, another repository.
        $docker = @(Get-Content "$f/docker/expected/overlay2.image-ls.jsonl" | ConvertFrom-Json | Where-Object Repository -eq 'app' | ForEach-Object { "$($_.Repository):$($_.Tag)" })
        $ctr = @(Get-Content "$f/containerd/ctr-images-k8s.io.txt" | Select-Object -Skip 1 | ForEach-Object { ($_ -split '\s+')[0] } | Where-Object { $_ -like 'docker.io/library/app:*' })
        $docker.Count | Should -Be 2
        $ctr.Count | Should -Be 1
        $byHost | Should -Be @(
            "127.0.0.1: $(@($docker + $ctr | Sort-Object -Unique) -join ', ')"
            "127.0.0.3: $(@($docker | Sort-Object) -join ', ')")
    }

    It 'answers which hosts have a corrupt blob' {
        # about_ImageTools_Remoting: Get-ImageStore | Test-ImageBlob | Where-Object Status -ne Valid
        # the warning comes back as an object beside the results (a remote warning reaches the local host whatever the
        # local -WarningAction), so the test asserts on it rather than printing it
        $all = @(Invoke-Command -Session $fleet {
            Get-ImageStore -Root $HostRoot | Test-ImageBlob -ErrorAction SilentlyContinue -WarningVariable w -WarningAction SilentlyContinue | Where-Object Status -ne Valid
            foreach ($m in $w) { [pscustomobject]@{ Warning = $m.Message } } })
        $warn = @($all | Where-Object Warning)
        $bad = @($all | Where-Object { -not $_.Warning })
        $bad.Count | Should -BeGreaterThan 0
        # the one host with a corrupt blob says so once
        $warn.Count | Should -Be 1
        $warn[0].PSComputerName | Should -Be '127.0.0.2'
        $warn[0].Warning | Should -BeLike "$($bad.Count) of * blobs failed verification."
        @($bad.PSComputerName | Sort-Object -Unique) | Should -Be '127.0.0.2'
        @($bad | ForEach-Object { "$($_.Digest)" } | Sort-Object -Unique) | Should -Be $corruptDigest
        # the digest the blob now has, as sha256sum says
        "$($bad[0].ActualDigest)" | Should -Be ('sha256:' + ((& sha256sum $corrupt.FullName) -split ' ')[0])
    }

    It 'answers how much space orphaned overlay2 folders take per host' {
        # about_ImageTools_Remoting: Get-ImageStore -Kind DockerRoot | Find-DockerOrphan, the folders, summed per host
        $orphans = @(Invoke-Command -Session $fleet {
            Get-ImageStore -Root $HostRoot -Kind DockerRoot | Find-DockerOrphan | Where-Object Kind -in UnreferencedDirectory, RemovingDirectory })
        $perHost = @{}
        $orphans | Group-Object PSComputerName | ForEach-Object { $perHost[$_.Name] = ($_.Group | Measure-Object DiskUsage -Sum).Sum }
        @($perHost.Keys | Sort-Object) | Should -Be @('127.0.0.1', '127.0.0.3')
        # du on the orphans the Docker fixture was built with (tests/Fixtures/docker/New-DockerRootFixture.sh)
        $du = { param($p) [long]((& du -sB1 $p) -split '\s+')[0] }
        $fixtureOrphans = @('overlay2/0000000000000000000000000000000000000000000000000000000000000001',
            'overlay2/0000000000000000000000000000000000000000000000000000000000000002-removing')
        $expectedA = ($fixtureOrphans | ForEach-Object { & $du "$hostA/srv/docker-data/$_" } | Measure-Object -Sum).Sum
        $perHost['127.0.0.1'] | Should -Be $expectedA
        $perHost['127.0.0.3'] | Should -Be ($expectedA + (& $du $extraOrphan.Parent.FullName))
    }
}
