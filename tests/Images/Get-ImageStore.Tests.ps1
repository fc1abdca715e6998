# Get-ImageStore on trees laid out like a host's / (tests/Fixtures/host/HostTreeFixture.ps1), built from the committed
# fixtures. Expected values come from what docker, ctr and skopeo recorded about those fixtures, from find, du and df
# on the tree, and from python3's own parsers (json, tomllib, yaml) for the configuration files.

BeforeDiscovery { . "$PSScriptRoot/../Fixtures/host/HostTreeFixture.ps1" }

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    . "$PSScriptRoot/../Fixtures/host/HostTreeFixture.ps1"
    $script:Fixtures = (Resolve-Path "$PSScriptRoot/../Fixtures").Path

    function Get-DuBytes([string] $Path) { [long]((& du -sB1 $Path) -split '\s+')[0] }
    function Get-DfAvail([string] $Path) { [long]((& df -B1 --output=avail $Path | Select-Object -Last 1).Trim()) }
    function Get-FileCount([string] $Path, [string] $Name) {
        $findArgs = @($Path, '-type', 'f') + $(if ($Name) { '-name', $Name })
        @(& find @findArgs).Count
    }
    # ctr images ls as recorded: REF and DIGEST columns of every namespace.
    function Get-CtrImageRows {
        foreach ($f in Get-ChildItem "$script:Fixtures/containerd/ctr-images-*.txt") {
            Get-Content $f | Select-Object -Skip 1 | Where-Object { $_.Trim() } | ForEach-Object {
                $c = $_ -split '\s+'; [pscustomobject]@{ Ref = $c[0]; Digest = $c[2] }
            }
        }
    }
    function Invoke-Python([string] $Code, [string] $File) {
        $out = & python3 -c $Code $File 2>$null
        if ($LASTEXITCODE -ne 0) { return 'error' }
        $out
    }
}

Describe 'Get-ImageStore -Root on a host tree' -Skip:([bool]$DockerSkipReason) {
    BeforeAll {
        $script:tree = New-HostTree -Destination (Join-Path $TestDrive 'host')
        # A registry outside the tree, and a link in the tree that would reach it if '..' could climb above the root.
        $outside = Join-Path $TestDrive 'outside/registry'
        New-Item -ItemType Directory -Force -Path $outside | Out-Null
        & tar -xf "$Fixtures/registry/storage.tar" -C $outside
        $climb = ('/..' * 12) + $outside
        & ln -s $climb "$tree/var/lib/registry"
        $script:stores = @(Get-ImageStore -Root $tree -ErrorVariable script:errs -WarningVariable script:warns)
    }

    It 'finds each store once, with no error or warning, and nothing outside the tree' {
        $stores.Count | Should -Be 3
        @($stores.Kind | ForEach-Object ToString | Sort-Object) | Should -Be @('Containerd', 'DockerRoot', 'Registry')
        @($errs).Count | Should -Be 0
        @($warns).Count | Should -Be 0
        foreach ($s in $stores) { $s.Path | Should -BeLike "$tree/*" }
    }

    It 'finds the Docker root that daemon.json moved, and reaches it once through the absolute var/lib/docker link' {
        $d = @($stores | Where-Object Kind -eq 'DockerRoot')
        $d.Count | Should -Be 1
        $d[0].Path | Should -Be "$tree/srv/docker-data"
        $d[0].HostPath | Should -Be '/srv/docker-data'
        $d[0].Source | Should -Be 'etc/docker/daemon.json data-root'
        # docker image ls: one row per name; docker image inspect: config, layers (a manifest is synthesized per image)
        $rows = @(Get-Content "$Fixtures/docker/expected/overlay2.image-ls.jsonl" | ConvertFrom-Json)
        $inspect = @(Get-Content -Raw "$Fixtures/docker/expected/overlay2.image-inspect.json" | ConvertFrom-Json)
        $rows.Count | Should -BeGreaterThan 1
        $d[0].Names | Should -Be $rows.Count
        $d[0].Images | Should -Be @($rows.ID | Sort-Object -Unique).Count
        $layers = @($inspect | ForEach-Object { $_.RootFS.Layers } | Sort-Object -Unique)
        $d[0].Blobs | Should -Be (2 * $inspect.Count + $layers.Count)
    }

    It 'finds the containerd root config.toml names, not the root of a plugin table or a comment' {
        $c = @($stores | Where-Object Kind -eq 'Containerd')
        $c.Count | Should -Be 1
        $c[0].Path | Should -Be "$tree/data/containerd"
        $c[0].Source | Should -Be 'etc/containerd/config.toml root'
        $rows = @(Get-CtrImageRows)
        $rows.Count | Should -BeGreaterThan 1
        $c[0].Names | Should -Be $rows.Count
        $c[0].Images | Should -Be @($rows.Digest | Sort-Object -Unique).Count
        $c[0].Blobs | Should -Be (Get-FileCount "$tree/data/containerd/io.containerd.content.v1.content/blobs")
    }

    It 'finds the registry storage config.yml names' {
        $r = @($stores | Where-Object Kind -eq 'Registry')
        $r.Count | Should -Be 1
        $r[0].Path | Should -Be "$tree/srv/registry"
        $r[0].Source | Should -Be 'etc/docker/registry/config.yml storage.filesystem.rootdirectory'
        $tags = @(Get-Content "$Fixtures/registry/expected/skopeo-digests.txt")
        $tags.Count | Should -BeGreaterThan 1
        $r[0].Names | Should -Be $tags.Count
        $r[0].Images | Should -Be @($tags | ForEach-Object { ($_ -split ' ')[1] } | Sort-Object -Unique).Count
        $r[0].Blobs | Should -Be (Get-FileCount "$tree/srv/registry/docker/registry/v2/blobs" 'data')
    }

    It 'gives each store''s size as du does and the free space as df does' {
        foreach ($s in $stores) {
            $s.Size | Should -Be (Get-DuBytes $s.Path)
            # other programs write to the same disk meanwhile: df is asked right after, and may differ a little
            [math]::Abs($s.FreeSpace - (Get-DfAvail $s.Path)) | Should -BeLessThan 512MB
        }
    }

    It 'shows Size and FreeSpace in its default table as docker prints sizes (go-units HumanSize), the properties staying numbers' {
        # go-units HumanSize: 4 significant digits over powers of 1000 (what docker images and ctr content ls print)
        function ConvertTo-GoUnitsSize([double] $Bytes) {
            $units = 'B', 'kB', 'MB', 'GB', 'TB', 'PB'; $i = 0
            while ($Bytes -ge 1000 -and $i -lt $units.Count - 1) { $Bytes /= 1000; $i++ }
            '{0}{1}' -f [math]::Round($Bytes, 3 - [math]::Max(0, [math]::Floor([math]::Log10([math]::Max($Bytes, 1))))), $units[$i]
        }
        $stores.Count | Should -Be 3
        $lines = @(($stores | Format-Table | Out-String -Width 250) -split '\r?\n' | Where-Object { $_.Trim() })
        (($lines[0].Trim() -split '\s+') | Select-Object -First 6) | Should -Be @('Kind', 'Images', 'Names', 'Blobs', 'Size', 'FreeSpace')
        foreach ($s in $stores) {
            $s.Size | Should -BeOfType [long]
            $s.FreeSpace | Should -BeOfType [long]
            $row = @($lines | Where-Object { $_.TrimEnd().EndsWith($s.Path) })
            $row.Count | Should -Be 1 -Because $s.Path
            $f = $row[0].Trim() -split '\s+'
            $f[4] | Should -Be (ConvertTo-GoUnitsSize (Get-DuBytes $s.Path))
            $f[5] | Should -Match '^\d+(\.\d+)?[kMGTP]?B$'
            $unit = @('B', 'kB', 'MB', 'GB', 'TB', 'PB').IndexOf(($f[5] -replace '^[\d.]+', ''))
            $shown = [double]($f[5] -replace '[kMGTP]?B$', '') * [math]::Pow(1000, $unit)
            # four significant digits of df's figure, which other programs move a little meanwhile
            [math]::Abs($shown - (Get-DfAvail $s.Path)) | Should -BeLessThan ([math]::Max(512MB, (Get-DfAvail $s.Path) / 500))
        }
    }

    It 'selects kinds with -Kind' {
        @(Get-ImageStore -Root $tree -Kind Registry).Path | Should -Be "$tree/srv/registry"
        @(Get-ImageStore -Root $tree -Kind DockerRoot, Containerd).Count | Should -Be 2
    }

    It 'binds to the store cmdlets: Test-ImageBlob -DiffId reads every store found' {
        $piped = @(Get-ImageStore -Root $tree | Test-ImageBlob -DiffId)
        $direct = @(foreach ($s in $stores) { Test-ImageBlob -LiteralPath $s.Path -DiffId })
        $direct.Count | Should -BeGreaterThan 10
        $piped.Count | Should -Be $direct.Count
        # blobs are checked in parallel: the order within a store is not fixed
        @($piped | ForEach-Object { "$($_.Digest) $($_.Status)" } | Sort-Object) | Should -Be @($direct | ForEach-Object { "$($_.Digest) $($_.Status)" } | Sort-Object)
    }

    It 'binds to Find-DockerOrphan: the hand-made orphans of the moved Docker root' {
        $o = @(Get-ImageStore -Root $tree -Kind DockerRoot | Find-DockerOrphan)
        $o.Count | Should -Be 3
        ($o | Where-Object Kind -eq 'UnreferencedDirectory').Id | Should -Be '0000000000000000000000000000000000000000000000000000000000000001'
        ($o | Where-Object Kind -eq 'UnreferencedDirectory').Path | Should -BeLike "$tree/srv/docker-data/overlay2/*"
    }
}

Describe 'Get-ImageStore with configuration files that cannot be parsed' -Skip:([bool]$DockerSkipReason) {
    BeforeAll {
        # Each store sits in its default place; each daemon's configuration file is broken.
        $script:tree = New-HostTree -Destination (Join-Path $TestDrive 'broken')
        Remove-Item "$tree/var/lib/docker"
        Move-Item "$tree/srv/docker-data" "$tree/var/lib/docker"
        Move-Item "$tree/data/containerd" "$tree/var/lib/containerd"
        Move-Item "$tree/srv/registry" "$tree/var/lib/registry"
        # and a rootless user's containerd
        New-Item -ItemType Directory -Force -Path "$tree/home/alice/.local/share" | Out-Null
        & cp -a "$tree/var/lib/containerd" "$tree/home/alice/.local/share/containerd"
        Set-Content "$tree/etc/docker/daemon.json" '{ "data-root": "/srv/docker-data", '
        Set-Content "$tree/etc/containerd/config.toml" "version = 2`nroot = `"/data/containerd`n"
        Set-Content "$tree/etc/docker/registry/config.yml" "storage:`n  filesystem: [rootdirectory: /srv/registry`n"
        $script:stores = @(Get-ImageStore -Root $tree -ErrorVariable script:errs -ErrorAction SilentlyContinue)
    }

    It 'python3''s parsers refuse the three files too' {
        Invoke-Python 'import json,sys; json.load(open(sys.argv[1]))' "$tree/etc/docker/daemon.json" | Should -Be 'error'
        Invoke-Python 'import tomllib,sys; tomllib.load(open(sys.argv[1],"rb"))' "$tree/etc/containerd/config.toml" | Should -Be 'error'
        Invoke-Python 'import yaml,sys; yaml.safe_load(open(sys.argv[1]))' "$tree/etc/docker/registry/config.yml" | Should -Be 'error'
    }

    It 'writes one ConfigurationUnreadable error per file, naming it' {
        @($errs).Count | Should -Be 3
        foreach ($e in $errs) { $e.FullyQualifiedErrorId | Should -BeLike 'ConfigurationUnreadable,*' }
        @($errs.TargetObject | Sort-Object) | Should -Be @("$tree/etc/containerd/config.toml", "$tree/etc/docker/daemon.json", "$tree/etc/docker/registry/config.yml")
    }

    It 'still finds the stores in the default places, the rootless one included' {
        @($stores | ForEach-Object { "$($_.Kind) $($_.HostPath) $($_.Source)" }) | Should -Be @(
            'DockerRoot /var/lib/docker default'
            'Containerd /var/lib/containerd default'
            'Registry /var/lib/registry default'
            'Containerd /home/alice/.local/share/containerd default')
    }
}

Describe 'Get-ImageStore reads config.toml''s root as TOML does (python3 tomllib)' {
    BeforeAll {
        $script:tree = New-HostTree -Destination (Join-Path $TestDrive 'toml') -NoDocker -NoRegistry
    }

    It '<Name>' -ForEach @(
        @{ Name = 'a literal string'; Text = "root = '/data/containerd'" }
        @{ Name = 'a quoted key and a \u escape'; Text = '"root" = "/data/\u0063ontainerd"' }
        @{ Name = 'a multi-line string whose first newline is dropped'; Text = "root = `"`"`"`n/data/containerd`"`"`"" }
        @{ Name = 'a table header and a root inside a multi-line string'; Text = "x = `"`"`"`nroot = `"/elsewhere`"`n[table]`n`"`"`"`nroot = `"/data/containerd`"" }
        @{ Name = 'root in a table only'; Text = "[plugins]`nroot = `"/data/containerd`"" }
        @{ Name = 'nested arrays over lines, with brackets in strings and comments'; Text = "arr = [`n  [1, 2], # [x]`n  [`"a`", `"]`"],`n]`nroot = `"/data/containerd`"" }
        @{ Name = 'an inline table holding a brace in a string'; Text = "inline = { a = `"}`", b = [1, 2] }`nroot = `"/data/containerd`"" }
        @{ Name = 'a date-time with a space before root'; Text = "date = 1979-05-27 07:32:00Z`nroot = `"/data/containerd`" # the root" }
        @{ Name = 'a literal string with a backslash'; Text = "s = 'C:\path'`nroot = `"/data/containerd`"" }
        @{ Name = 'a dotted key under root'; Text = "root.sub = `"/data/containerd`"" }
        @{ Name = 'CRLF line ends'; Text = "version = 2`r`nroot = `"/data/containerd`"`r`n" }
        @{ Name = 'root set twice'; Text = "root = `"/data/containerd`"`nroot = `"/other`"" }
        @{ Name = 'an unquoted path'; Text = 'root = /data/containerd' }
        @{ Name = 'text after the value'; Text = "root = `"/data/containerd`" trailing" }
        @{ Name = 'an escape TOML does not have'; Text = 'root = "/data/\qcontainerd"' }
        @{ Name = 'a number'; Text = 'root = 42' }
        @{ Name = 'an unclosed array before root'; Text = "a = [1, 2`nroot = `"/data/containerd`"" }
        @{ Name = 'a one-line multi-line string'; Text = 'root = """/data/containerd"""' }
        @{ Name = 'a \U escape'; Text = 'root = "/data/\U00000063ontainerd"' }
        @{ Name = 'a surrogate in a \u escape'; Text = 'root = "/data/\uD800containerd"' }
        @{ Name = 'spaces and tabs around the key and value'; Text = "  root `t=   `"/data/containerd`"   `n" }
        @{ Name = 'a multi-line literal string holding a table header'; Text = "x = '''`n[not.a.table]`n'''`nroot = '/data/containerd'" }
        @{ Name = 'a line-ending backslash in a multi-line string'; Text = "root = `"`"`"/data/\`n     containerd`"`"`"" }
    ) {
        $config = "$tree/etc/containerd/config.toml"
        [IO.File]::WriteAllText($config, $Text)
        $python = Invoke-Python 'import tomllib,sys; r = tomllib.load(open(sys.argv[1],"rb")).get("root"); print(r if isinstance(r, (str, int)) else "<none>")' $config
        $found = @(Get-ImageStore -Root $tree -ErrorVariable errs -ErrorAction SilentlyContinue)
        switch ($python) {
            '/data/containerd' { $found.Path | Should -Be "$tree/data/containerd"; @($errs).Count | Should -Be 0 }
            '<none>' { $found.Count | Should -Be 0; @($errs).Count | Should -Be 0 }
            default {
                # tomllib refuses it, or root is not a string: containerd would not start with it either
                $found.Count | Should -Be 0
                @($errs).Count | Should -Be 1
                $errs[0].FullyQualifiedErrorId | Should -BeLike 'ConfigurationUnreadable,*'
            }
        }
    }
}

Describe 'Get-ImageStore on an empty or missing root' {
    It 'finds nothing, silently, in an empty folder' {
        $empty = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'empty')
        @(Get-ImageStore -Root $empty.FullName -ErrorVariable errs -WarningVariable warns).Count | Should -Be 0
        @($errs).Count + @($warns).Count | Should -Be 0
    }

    It 'warns when a configuration names a folder that is not there' {
        $t = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'moved/etc/docker') -Force
        Set-Content "$($t.FullName)/daemon.json" '{"data-root": "/mnt/gone"}'
        $null = Get-ImageStore -Root (Join-Path $TestDrive 'moved') -WarningVariable warns 3>$null
        @($warns).Count | Should -Be 1
        "$($warns[0])" | Should -BeLike '*data-root names /mnt/gone, which does not exist*'
    }

    It 'never opens a configuration file that is a FIFO, and still searches the default places' {
        $t = Join-Path $TestDrive 'fifo'
        New-Item -ItemType Directory -Force -Path "$t/etc/containerd", "$t/var/lib" | Out-Null
        & mkfifo "$t/etc/containerd/config.toml"
        & cp -a "$PSScriptRoot/../Fixtures/containerd/root" "$t/var/lib/containerd"
        $job = Start-ThreadJob { param($m, $r) Import-Module $m; Get-ImageStore -Root $r -ErrorVariable e -ErrorAction SilentlyContinue; $e } -ArgumentList $env:IMAGETOOLS_MODULE, $t
        $done = Wait-Job $job -Timeout 60
        $done | Should -Not -BeNullOrEmpty -Because 'reading a FIFO would block for ever'
        $out = @(Receive-Job $job); Remove-Job $job -Force
        $stores = @($out | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
        $errors = @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $stores.HostPath | Should -Be '/var/lib/containerd'
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'NotARegularFile,*'
    }

    It 'reports a symlink loop as StoreUnreadable and still finds the other stores' {
        $t = Join-Path $TestDrive 'loop'
        New-Item -ItemType Directory -Force -Path "$t/var/lib" | Out-Null
        & ln -s /var/lib/docker "$t/var/lib/docker"
        & cp -a "$PSScriptRoot/../Fixtures/containerd/root" "$t/var/lib/containerd"
        $stores = @(Get-ImageStore -Root $t -ErrorVariable errs -ErrorAction SilentlyContinue)
        $stores.HostPath | Should -Be '/var/lib/containerd'
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'StoreUnreadable,*'
        "$($errs[0])" | Should -BeLike '*/var/lib/docker*symlinks*'
    }

    It 'is an error for a root that does not exist' {
        $null = Get-ImageStore -Root (Join-Path $TestDrive 'nowhere') -ErrorVariable errs -ErrorAction SilentlyContinue
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'FileNotFound,*'
    }
}
