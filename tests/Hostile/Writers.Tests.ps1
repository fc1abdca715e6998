# Hostile cases for the writers (Save-Image, Copy-Image, Expand-Image): a full disk, a read-only destination, a writer
# killed part way, a destination inside the store being read, a layer whose DiffID the config contradicts. A writer
# must publish a complete result or nothing: no destination, no temporary file, an error with a stable id.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:needsUmoci = Get-RealToolNeed umoci
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    if (-not (Test-RealTool umoci)) { return }
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Hostile.psm1') -Force
    $script:IsRoot = (& id -u) -eq '0'
    $script:Fixture = Get-FixturePath 'oci-layout'
    $script:Mounts = [System.Collections.Generic.List[string]]::new()
    $script:Children = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()
    # env --default-signal exists (coreutils 8.31+): see Start-Writer
    $script:EnvResetsSignals = $IsLinux -and $null -ne (Get-Command env -CommandType Application -ErrorAction SilentlyContinue) -and
        $(& env --default-signal=INT true 2>$null; $LASTEXITCODE -eq 0)

    # A layout made by umoci: one image "big" whose only layer holds $MiB of random data in big.bin, then next.txt.
    function New-UmociLayout([string] $Path, [int] $MiB) {
        $work = "$Path.src"
        New-Item -ItemType Directory "$work/d" -Force | Out-Null
        Invoke-Native 'head -c "$1"M /dev/urandom > "$2/d/big.bin" && echo next > "$2/d/next.txt" && tar -C "$2/d" -cf "$2/layer.tar" big.bin next.txt' @("$MiB", $work) | Out-Null
        Invoke-Native 'umoci init --layout "$1" && umoci new --image "$1:big" && umoci raw add-layer --image "$1:big" "$2/layer.tar"' @($Path, $work) | Out-Null
        Remove-Item -Recurse -Force $work
    }

    function Mount-Tmpfs([string] $Path, [string] $Options) {
        New-Item -ItemType Directory $Path -Force | Out-Null
        Invoke-Native 'mount -t tmpfs -o "$1" tmpfs "$2"' @($Options, $Path) | Out-Null
        $script:Mounts.Add($Path)
    }

    # The same pwsh as this one (under dotnet: dotnet plus pwsh.dll), running $Command with the module imported.
    function Start-Writer([string] $Command) {
        $pwsh = (Get-Process -Id $PID).Path
        # A test run started in the background (`cmd &` in a script) ignores SIGINT, and the writer would inherit that:
        # env (coreutils 8.31+, execs in place, same pid) gives it the default handling, so Ctrl+C reaches it.
        $info = [System.Diagnostics.ProcessStartInfo]::new($pwsh)
        if ($script:EnvResetsSignals) {
            $info = [System.Diagnostics.ProcessStartInfo]::new('env')
            foreach ($a in '--default-signal=INT', $pwsh) { $info.ArgumentList.Add($a) }
        }
        if ((Split-Path -Leaf $pwsh) -like 'dotnet*') { $info.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($a in '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$env:IMAGETOOLS_MODULE'; $Command") { $info.ArgumentList.Add($a) }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $p = [System.Diagnostics.Process]::Start($info)
        $script:Children.Add($p)
        return $p
    }

    # Waits until a temp entry of the module exists under $Folder and $MinBytes were written there, then sends the
    # writer $Signal (SIGKILL unless told) and waits for it to end.
    function Stop-WriterMidway([System.Diagnostics.Process] $Writer, [string] $Folder, [long] $MinBytes = 8MB, [string] $Signal = 'KILL') {
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ([DateTime]::UtcNow -lt $deadline -and -not $Writer.HasExited) {
            if ([IO.Directory]::Exists($Folder)) {
                $all = [IO.Directory]::GetFileSystemEntries($Folder, '*', [IO.SearchOption]::AllDirectories)
                if ($all -like '*.imagetools-*') {
                    $bytes = 0L
                    foreach ($f in $all) { if ([IO.File]::Exists($f)) { $bytes += ([IO.FileInfo]::new($f)).Length } }
                    if ($bytes -ge $MinBytes) {
                        Invoke-Native 'kill -"$1" "$2"' @($Signal, "$($Writer.Id)") | Out-Null
                        $Writer.WaitForExit()
                        return
                    }
                }
            }
            Start-Sleep -Milliseconds 2
        }
        throw "The writer was not caught part way (exited: $($Writer.HasExited)): $($Writer.StandardError.ReadToEnd())"
    }

    function Get-Leftovers([string] $Folder) {
        @([IO.Directory]::GetFileSystemEntries($Folder, '*.imagetools-*', [IO.SearchOption]::AllDirectories))
    }

    # field 22 of /proc/<pid>/stat (proc(5)): the process's start time in clock ticks after boot
    function Get-StartTicks([int] $ProcessId) {
        $s = Get-Content -Raw "/proc/$ProcessId/stat"
        $s.Substring($s.LastIndexOf(')') + 2).Split(' ')[19]
    }

    # the inode of a process's pid namespace, from readlink /proc/<pid>/ns/pid ("pid:[4026531836]")
    function Get-PidNamespace([int] $ProcessId) {
        (Invoke-Native 'readlink "/proc/$1/ns/pid"' @("$ProcessId")) -replace '\D', ''
    }

    # A copy of the fixture layout whose base:1.0 config names a wrong DiffID for its last layer (config, manifest
    # and index.json rewritten with correct digests), or one DiffID too few with -DropOne.
    function New-WrongDiffIdLayout([string] $Path, [switch] $DropOne) {
        Copy-Item -Recurse $script:Fixture $Path
        $index = Get-Content -Raw "$Path/index.json" | ConvertFrom-Json
        $entry = $index.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq 'base:1.0' }
        $manifest = Get-Content -Raw "$Path/blobs/sha256/$($entry.digest.Substring(7))" | ConvertFrom-Json
        $config = Get-Content -Raw "$Path/blobs/sha256/$($manifest.config.digest.Substring(7))" | ConvertFrom-Json
        $ids = @($config.rootfs.diff_ids)
        if ($DropOne) { $ids = $ids[0..($ids.Count - 2)] } else { $ids[-1] = $ids[0] }
        $config.rootfs.diff_ids = $ids
        function Write-Blob([string] $Json) {
            $bytes = [Text.Encoding]::UTF8.GetBytes($Json)
            $file = Join-Path $Path 'blobs/sha256/new'
            [IO.File]::WriteAllBytes($file, $bytes)
            $hex = (Invoke-Native 'sha256sum "$1" | cut -d" " -f1' @($file)).Trim()
            Move-Item -Force $file (Join-Path $Path "blobs/sha256/$hex")
            @{ digest = "sha256:$hex"; size = $bytes.Length }
        }
        $c = Write-Blob ($config | ConvertTo-Json -Depth 20 -Compress)
        $manifest.config.digest = $c.digest; $manifest.config.size = $c.size
        $m = Write-Blob ($manifest | ConvertTo-Json -Depth 20 -Compress)
        $entry.digest = $m.digest; $entry.size = $m.size
        [IO.File]::WriteAllText("$Path/index.json", ($index | ConvertTo-Json -Depth 20 -Compress))
    }

    $script:Big = Join-Path $TestDrive 'big'          # 10 MiB layer: more than the 8 MiB tmpfs holds
    New-UmociLayout $Big 10
}

AfterAll {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    if (-not (Test-RealTool umoci)) { return }
    foreach ($p in $script:Children) { if (-not $p.HasExited) { $p.Kill(); $p.WaitForExit() } }
    foreach ($m in $script:Mounts) { & umount $m }
}

Describe 'Writers on a full disk' @needsUmoci {
    BeforeAll {
        $script:Full = Join-Path $TestDrive 'full'
        if ($IsRoot) { Mount-Tmpfs $Full 'size=8m' }
    }
    BeforeEach { if ($IsRoot) { Get-ChildItem -Force $Full | ForEach-Object { & rm -rf -- $_.FullName } } }

    It '<Label> on a full disk: IOError naming the destination, nothing in place, no temp file' -ForEach @(
        @{ Label = 'Expand-Image'; Dest = 'root'; Script = { param($a) Expand-Image -Path $a.Src -Name big -DestinationPath $a.Dest } }
        @{ Label = 'Save-Image -Format DockerArchive'; Dest = 'a.tar'; Script = { param($a) Save-Image -Path $a.Src -Name big -DestinationPath $a.Dest } }
        @{ Label = 'Save-Image -Format OciArchive'; Dest = 'o.tar'; Script = { param($a) Save-Image -Path $a.Src -Name big -DestinationPath $a.Dest -Format OciArchive } }
        @{ Label = 'Save-Image -Format OciLayout'; Dest = 'lay'; Script = { param($a) Save-Image -Path $a.Src -Name big -DestinationPath $a.Dest -Format OciLayout } }
        @{ Label = 'Save-Image -Compression Zstd'; Dest = 'z.tar'; Script = { param($a) Save-Image -Path $a.Src -Name big -DestinationPath $a.Dest -Compression Zstd } }
        @{ Label = 'Copy-Image into a new layout'; Dest = 'bundle'; Script = { param($a) Copy-Image -Path $a.Src -Name big -Destination $a.Dest } }
    ) {
        if (-not $IsRoot) { Set-ItResult -Skipped -Because 'mounting a small tmpfs needs root'; return }
        $dest = Join-Path $Full $Dest
        $case = Invoke-HostileCase -Name "$Label on a full disk" -Class DiskFull -Arguments @{ Src = $Big; Dest = $dest } -Action $Script `
            -ExpectErrorId IOError -Destination $dest -NoTempFilesIn $Full -Unchanged $Big
        $case | Assert-HostileCase
        $case.Output | Should -Be 0
        ($case.Messages -join ' ') | Should -BeLike "*$dest*No space left on device*"
        @(Get-ChildItem -Force $Full).Count | Should -Be 0
    }

    It 'Save-Image -Force over an archive on a full disk keeps the old archive' {
        if (-not $IsRoot) { Set-ItResult -Skipped -Because 'mounting a small tmpfs needs root'; return }
        $old = Join-Path $Full 'old.tar'
        Set-Content $old 'the archive before'
        $case = Invoke-HostileCase -Name 'Save-Image -Force over an archive on a full disk' -Class DiskFull -Arguments @{ Src = $Big; Dest = $old } -Action {
            param($a) Save-Image -Path $a.Src -Name big -DestinationPath $a.Dest -Force
        } -ExpectErrorId IOError -Unchanged $old -NoTempFilesIn $Full
        $case | Assert-HostileCase
        Get-Content $old | Should -Be 'the archive before'
    }

    It 'Expand-Image into an empty folder on a full disk leaves it empty' {
        if (-not $IsRoot) { Set-ItResult -Skipped -Because 'mounting a small tmpfs needs root'; return }
        $empty = Join-Path $Full 'empty'
        New-Item -ItemType Directory $empty | Out-Null
        $case = Invoke-HostileCase -Name 'Expand-Image into an empty folder on a full disk' -Class DiskFull -Arguments @{ Src = $Big; Dest = $empty } -Action {
            param($a) Expand-Image -Path $a.Src -Name big -DestinationPath $a.Dest
        } -ExpectErrorId IOError -NoTempFilesIn $Full
        $case | Assert-HostileCase
        $case.Output | Should -Be 0
        @(Get-ChildItem -Force $empty).Count | Should -Be 0
    }

    It 'Copy-Image into an existing layout on a full disk leaves the layout as it was' {
        if (-not $IsRoot) { Set-ItResult -Skipped -Because 'mounting a small tmpfs needs root'; return }
        $bundle = Join-Path $Full 'existing'
        Copy-Image -Path $Fixture -Name base:1.0 -Destination $bundle | Out-Null
        # every file of the layout stays as it was (the mtime of blobs/sha256, where a blob was being written, changes)
        $files = @(Get-ChildItem -Recurse -File -Force $bundle | ForEach-Object FullName)
        $files.Count | Should -BeGreaterThan 3
        $case = Invoke-HostileCase -Name 'Copy-Image into an existing layout on a full disk' -Class DiskFull -Arguments @{ Src = $Big; Dest = $bundle } -Action {
            param($a) Copy-Image -Path $a.Src -Name big -Destination $a.Dest
        } -ExpectErrorId IOError -Unchanged $files -NoTempFilesIn $Full
        $case | Assert-HostileCase
        @(Get-ChildItem -Recurse -File -Force $bundle | ForEach-Object FullName) | Should -Be $files
        (Invoke-Skopeo "oci:${bundle}:base:1.0").Digest | Should -Be (Invoke-Skopeo "oci:${Fixture}:base:1.0").Digest
    }
}

Describe 'Writers into a read-only destination' @needsUmoci {
    BeforeAll {
        $script:ReadOnly = Join-Path $TestDrive 'ro'
        if ($IsRoot) { Mount-Tmpfs $ReadOnly 'size=1m,ro' }   # as root, a mode of 0555 would not stop a write
    }

    It '<Label> under a read-only folder: a stable error naming the destination, nothing written' -ForEach @(
        @{ Label = 'Expand-Image'; Dest = 'root'; Script = { param($a) Expand-Image -Path $a.Src -Name base:1.0 -DestinationPath $a.Dest } }
        @{ Label = 'Expand-Image (parent made)'; Dest = 'sub/root'; Script = { param($a) Expand-Image -Path $a.Src -Name base:1.0 -DestinationPath $a.Dest } }
        @{ Label = 'Save-Image'; Dest = 'a.tar'; Script = { param($a) Save-Image -Path $a.Src -Name base:1.0 -DestinationPath $a.Dest } }
        @{ Label = 'Save-Image -Format OciLayout'; Dest = 'lay'; Script = { param($a) Save-Image -Path $a.Src -Name base:1.0 -DestinationPath $a.Dest -Format OciLayout } }
        @{ Label = 'Copy-Image'; Dest = 'bundle'; Script = { param($a) Copy-Image -Path $a.Src -Name base:1.0 -Destination $a.Dest } }
    ) {
        if (-not $IsRoot) { Set-ItResult -Skipped -Because 'mounting a read-only tmpfs needs root'; return }
        $dest = Join-Path $ReadOnly $Dest
        $case = Invoke-HostileCase -Name "$Label under a read-only folder" -Class FailingWriter -Arguments @{ Src = $Fixture; Dest = $dest } -Action $Script `
            -ExpectErrorId IOError, AccessDenied -Destination $dest -Unchanged $ReadOnly
        $case | Assert-HostileCase
        ($case.Messages -join ' ') | Should -BeLike "*$dest*"
    }
}

Describe 'Writers into the store they read' @needsUmoci {
    BeforeAll {
        $script:Store = Join-Path $TestDrive 'store'
        Copy-Item -Recurse $Fixture $Store
        $script:Archive = Join-Path $TestDrive 'store.tar'
        Copy-Item (Get-FixturePath 'docker-archive.tar') $Archive
        $script:Link = Join-Path $TestDrive 'store-link'
        New-Item -ItemType SymbolicLink -Path $Link -Target $Store | Out-Null
        # what the store's index says multi:latest is (an index, not one platform's manifest)
        $script:MultiBefore = (Invoke-Skopeo "oci:${Store}:multi:latest" -Raw).mediaType
    }

    It '<Label> is refused before anything is written' -ForEach @(
        @{ Label = 'Copy-Image -Path L -Destination L'; Script = { param($a) Copy-Image -Path $a.Store -Destination $a.Store } }
        @{ Label = 'Copy-Image -Path L -Destination L/sub'; Script = { param($a) Copy-Image -Path $a.Store -Destination (Join-Path $a.Store 'sub') } }
        @{ Label = 'Copy-Image into a symlink to L'; Script = { param($a) Copy-Image -Path $a.Store -Name multi:latest -Destination $a.Link } }
        @{ Label = 'Get-Image L | Copy-Image -Destination L'; Script = { param($a) Get-Image -Path $a.Store -Name multi:latest | Copy-Image -Destination $a.Store } }
        @{ Label = 'Save-Image -Path L -DestinationPath L -Format OciLayout'; Script = { param($a) Save-Image -Path $a.Store -DestinationPath $a.Store -Format OciLayout } }
        @{ Label = 'Save-Image -Path L -DestinationPath L/out.tar'; Script = { param($a) Save-Image -Path $a.Store -Name base:1.0 -DestinationPath (Join-Path $a.Store 'out.tar') } }
        @{ Label = 'Save-Image -Path L -DestinationPath L/blobs/out.tar (through the symlink)'; Script = { param($a) Save-Image -Path $a.Store -Name base:1.0 -DestinationPath (Join-Path $a.Link 'blobs/out.tar') } }
        @{ Label = 'Save-Image -Path A.tar -DestinationPath A.tar -Force'; Script = { param($a) Save-Image -Path $a.Archive -DestinationPath $a.Archive -Force } }
        @{ Label = 'Expand-Image -DestinationPath L/rootfs'; Script = { param($a) Expand-Image -Path $a.Store -Name base:1.0 -DestinationPath (Join-Path $a.Store 'rootfs') } }
        @{ Label = 'Expand-Image -DestinationPath <folder holding L> -Force'; Script = { param($a) Expand-Image -Path $a.Store -Name base:1.0 -DestinationPath (Split-Path $a.Store) -Force } }
    ) {
        $arguments = @{ Store = $Store; Archive = $Archive; Link = $Link }
        $case = Invoke-HostileCase -Name "$Label" -Class FailingWriter -Arguments $arguments -Action $Script `
            -ExpectErrorId DestinationInsideSource -Unchanged $Store, $Archive -NoTempFilesIn $Store
        $case | Assert-HostileCase
        $case.Output | Should -Be 0
        (Invoke-Skopeo "oci:${Store}:multi:latest" -Raw).mediaType | Should -Be $MultiBefore
    }
}

Describe 'Writers on a layer that is not what its manifest and config say' @needsUmoci {
    It 'refuses <Label> with DiffIdMismatch and leaves nothing' -ForEach @(
        @{ Label = 'a wrong DiffID'; Drop = $false; Name = 'wrong-diffid' }
        @{ Label = 'one DiffID too few'; Drop = $true; Name = 'few-diffids' }
    ) {
        $layout = Join-Path $TestDrive $Name
        New-WrongDiffIdLayout $layout -DropOne:$Drop
        # the real tool agrees that the image is wrong
        $rootless = if ($IsRoot) { @() } else { @('--rootless') }
        $umoci = & umoci unpack @rootless --image "${layout}:base:1.0" (Join-Path $TestDrive "$Name-umoci") 2>&1
        $LASTEXITCODE | Should -Not -Be 0 -Because "umoci unpack said: $umoci"
        "$umoci" | Should -Match 'diffid|diff_id|layer' -Because "umoci unpack said: $umoci"
        $parent = Join-Path $TestDrive "$Name-out"
        New-Item -ItemType Directory $parent | Out-Null
        $dest = Join-Path $parent 'root'
        $case = Invoke-HostileCase -Name "Expand-Image with $Label" -Class Corrupt -Arguments @{ Src = $layout; Dest = $dest } -Action {
            param($a) Expand-Image -Path $a.Src -Name base:1.0 -DestinationPath $a.Dest
        } -ExpectErrorId DiffIdMismatch -Destination $dest -NoTempFilesIn $parent -Unchanged $layout
        $case | Assert-HostileCase
        $case.Output | Should -Be 0
        @(Get-ChildItem -Force $parent).Count | Should -Be 0
    }

    It '<Label> stops on a layer blob with a flipped byte and puts nothing in place' -ForEach @(
        @{ Label = 'Expand-Image'; Dest = 'root'; Script = { param($a) Expand-Image -Path $a.Src -Name app:2.0 -DestinationPath $a.Dest } }
        @{ Label = 'Save-Image'; Dest = 'a.tar'; Script = { param($a) Save-Image -Path $a.Src -Name app:2.0 -DestinationPath $a.Dest } }
        @{ Label = 'Copy-Image'; Dest = 'bundle'; Script = { param($a) Copy-Image -Path $a.Src -Name app:2.0 -Destination $a.Dest } }
    ) {
        $layout = Join-Path $TestDrive 'flipped'
        if (-not (Test-Path $layout)) {
            Copy-Item -Recurse $Fixture $layout
            $index = Get-Content -Raw "$layout/index.json" | ConvertFrom-Json
            $entry = $index.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq 'app:2.0' }
            $manifest = Get-Content -Raw "$layout/blobs/sha256/$($entry.digest.Substring(7))" | ConvertFrom-Json
            $file = "$layout/blobs/sha256/$($manifest.layers[-1].digest.Substring(7))"
            $bytes = [IO.File]::ReadAllBytes($file); $bytes[$bytes.Length - 12] = $bytes[$bytes.Length - 12] -bxor 0xFF; [IO.File]::WriteAllBytes($file, $bytes)
            # the real tool sees it too
            (Invoke-Native 'sha256sum "$1" | cut -d" " -f1' @($file)).Trim() | Should -Not -Be $manifest.layers[-1].digest.Substring(7)
        }
        $parent = Join-Path $TestDrive "flipped-$Dest"
        New-Item -ItemType Directory $parent | Out-Null
        $dest = Join-Path $parent $Dest
        $case = Invoke-HostileCase -Name "$Label with a flipped byte in a layer" -Class Corrupt -Arguments @{ Src = $layout; Dest = $dest } -Action $Script `
            -ExpectErrorId DigestMismatch, ArchiveCorrupt, CompressedStreamTruncated -Destination $dest -NoTempFilesIn $parent -Unchanged $layout
        $case | Assert-HostileCase
        $case.Output | Should -Be 0
        @(Get-ChildItem -Force $parent).Count | Should -Be 0
    }

    It 'Copy-Image into a layout whose blob is <Kind>: replaced, never read without end' -ForEach @(
        @{ Kind = 'a FIFO'; Make = 'rm "$1" && mkfifo "$1"' }
        @{ Kind = 'a device node (/dev/zero)'; Make = 'rm "$1" && mknod "$1" c 1 5' }
        @{ Kind = 'cut short'; Make = 'truncate -s 10 "$1"' }
    ) {
        if (-not $IsRoot -and $Kind -like '*device*') { Set-ItResult -Skipped -Because 'mknod needs root'; return }
        $bundle = Join-Path $TestDrive "damaged-$($Kind -replace '\W', '')"
        Copy-Item -Recurse $Fixture $bundle
        $index = Get-Content -Raw "$bundle/index.json" | ConvertFrom-Json
        $entry = $index.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq 'base:1.0' }
        $layer = (Get-Content -Raw "$bundle/blobs/sha256/$($entry.digest.Substring(7))" | ConvertFrom-Json).layers[0].digest.Substring(7)
        Invoke-Native $Make @("$bundle/blobs/sha256/$layer") | Out-Null
        $case = Invoke-HostileCase -Name "Copy-Image into a layout whose blob is $Kind" -Class Corrupt -Arguments @{ Src = $Fixture; Dest = $bundle } -Action {
            param($a) Copy-Image -Path $a.Src -Name base:1.0 -Destination $a.Dest | Out-Null
        } -SuccessAllowed -NoTempFilesIn $bundle -Unchanged $Fixture -TimeoutSeconds 30
        $case | Assert-HostileCase -Accept Tolerated
        (Invoke-Native 'sha256sum "$1" | cut -d" " -f1' @("$bundle/blobs/sha256/$layer")).Trim() | Should -Be $layer
    }

    It 'Copy-Image into a layout whose index.json is <Kind>: refused before anything is written' -ForEach @(
        @{ Kind = 'a FIFO'; Make = 'rm "$1" && mkfifo "$1"' }
        @{ Kind = 'not JSON'; Make = 'printf "not json" > "$1"' }
        @{ Kind = 'empty'; Make = ': > "$1"' }
    ) {
        $bundle = Join-Path $TestDrive "bad-index-$($Kind -replace '\W', '')"
        Copy-Item -Recurse $Fixture $bundle
        Invoke-Native $Make @("$bundle/index.json") | Out-Null
        $case = Invoke-HostileCase -Name "Copy-Image into a layout whose index.json is $Kind" -Class Corrupt -Arguments @{ Src = (Get-FixturePath 'docker-archive.tar'); Dest = $bundle } -Action {
            param($a) Copy-Image -Path $a.Src -Destination $a.Dest
        } -ExpectErrorId MalformedContent -Unchanged $bundle -NoTempFilesIn $bundle -TimeoutSeconds 30
        $case | Assert-HostileCase
    }

    It 'Save-Image -Compression Zstd (a re-encode) refuses <Label> too' -ForEach @(
        @{ Label = 'a wrong DiffID'; Drop = $false; Name = 'wrong-diffid-save' }
        @{ Label = 'one DiffID too few'; Drop = $true; Name = 'few-diffids-save' }
    ) {
        $layout = Join-Path $TestDrive $Name
        New-WrongDiffIdLayout $layout -DropOne:$Drop
        $dest = Join-Path $TestDrive "$Name.tar"
        Invoke-HostileCase -Name "Save-Image -Compression Zstd with $Label" -Class Corrupt -Arguments @{ Src = $layout; Dest = $dest } -Action {
            param($a) Save-Image -Path $a.Src -Name base:1.0 -DestinationPath $a.Dest -Compression Zstd
        } -ExpectErrorId DiffIdMismatch -Destination $dest -NoTempFilesIn $TestDrive -Unchanged $layout | Assert-HostileCase
    }
}

Describe 'Killed writers' @needsUmoci {
    BeforeAll {
        $script:Huge = Join-Path $TestDrive 'huge'   # 150 MiB layer: long enough to be killed part way
        New-UmociLayout $Huge 150
    }
    AfterEach { Get-ChildItem -Force $TestDrive -Filter 'k-*' | ForEach-Object { & rm -rf -- $_.FullName } }

    It 'a second <Label> removes what a killed one left' -ForEach @(
        @{ Label = 'Save-Image'; Dest = 'out.tar'; Command = 'Save-Image -Path ''{0}'' -Name big -DestinationPath ''{1}''' }
        @{ Label = 'Save-Image -Compression Zstd'; Dest = 'out.tar'; Command = 'Save-Image -Path ''{0}'' -Name big -DestinationPath ''{1}'' -Compression Zstd' }
        @{ Label = 'Save-Image -Format OciLayout'; Dest = 'lay'; Command = 'Save-Image -Path ''{0}'' -Name big -DestinationPath ''{1}'' -Format OciLayout' }
        @{ Label = 'Copy-Image'; Dest = 'bundle'; Command = 'Copy-Image -Path ''{0}'' -Name big -Destination ''{1}''' }
        @{ Label = 'Copy-Image into an empty folder'; Dest = 'bundle'; Empty = $true; Command = 'Copy-Image -Path ''{0}'' -Name big -Destination ''{1}''' }
        @{ Label = 'Expand-Image'; Dest = 'root'; Command = 'Expand-Image -Path ''{0}'' -Name big -DestinationPath ''{1}''' }
    ) {
        $folder = Join-Path $TestDrive "k-$($Label -replace '\W', '')"
        New-Item -ItemType Directory $folder | Out-Null
        $dest = Join-Path $folder $Dest
        if ($Empty) { New-Item -ItemType Directory $dest | Out-Null }
        $command = $Command -f $Huge, $dest
        Stop-WriterMidway (Start-Writer $command) $folder
        @(Get-Leftovers $folder).Count | Should -BeGreaterThan 0 -Because 'a killed writer leaves its temp files'
        if ($Empty) { Test-Path "$dest/index.json" | Should -BeFalse -Because 'a killed writer names no image' }
        else { Test-Path $dest | Should -BeFalse -Because 'a killed writer puts nothing in place' }

        $case = Invoke-HostileCase -Name "$Label after a killed one" -Class KilledWriter -Arguments $command -Action {
            param($c) Invoke-Expression $c | Out-Null
        } -SuccessAllowed -NoTempFilesIn $folder -Unchanged $Huge -TimeoutSeconds 120
        $case | Assert-HostileCase -Accept Tolerated
        Test-Path $dest | Should -BeTrue
    }

    It '<Label> interrupted with SIGINT (Ctrl+C) leaves nothing' -ForEach @(
        @{ Label = 'Save-Image -Compression Zstd'; Dest = 'out.tar'; Command = 'Save-Image -Path ''{0}'' -Name big -DestinationPath ''{1}'' -Compression Zstd'
            IsWhole = { param($d) @(Test-ImageBlob -Path $d -DiffId | Where-Object { "$($_.Status)" -ne 'Valid' }).Count -eq 0 } }
        @{ Label = 'Copy-Image'; Dest = 'bundle'; Command = 'Copy-Image -Path ''{0}'' -Name big -Destination ''{1}'''
            IsWhole = { param($d) @(Test-ImageBlob -Path $d -DiffId | Where-Object { "$($_.Status)" -ne 'Valid' }).Count -eq 0 } }
        @{ Label = 'Expand-Image'; Dest = 'root'; Command = 'Expand-Image -Path ''{0}'' -Name big -DestinationPath ''{1}'''
            IsWhole = { param($d) (Get-Item "$d/big.bin").Length -eq 150MB -and (Get-Content "$d/next.txt") -eq 'next' } }
    ) {
        $folder = Join-Path $TestDrive "k-int-$($Label -replace '\W', '')"
        New-Item -ItemType Directory $folder | Out-Null
        $dest = Join-Path $folder $Dest
        $writer = Start-Writer ($Command -f $Huge, $dest)
        Stop-WriterMidway $writer $folder -Signal INT
        @(Get-Leftovers $folder).Count | Should -Be 0
        if (Test-Path $dest) {
            # On a loaded machine pwsh may act on Ctrl+C only after the writer put its result in place (it may then still
            # exit with 1, stopped while writing the result object). Such a result is whole, never half-written.
            & $IsWhole $dest | Should -BeTrue -Because 'a result in place is whole'
            Set-ItResult -Inconclusive -Because "the interrupt arrived after the writer had finished (exit code $($writer.ExitCode))"
        }
        else {
            $writer.ExitCode | Should -Not -Be 0
            @(Get-ChildItem -Force $folder).Count | Should -Be 0
        }
    }

    It 'Copy-Image into an existing layout removes the blob temp files of a killed one' {
        $folder = Join-Path $TestDrive 'k-existing'
        $bundle = Join-Path $folder 'bundle'
        Copy-Image -Path $Fixture -Name base:1.0 -Destination $bundle | Out-Null
        $command = "Copy-Image -Path '$Huge' -Name big -Destination '$bundle'"
        Stop-WriterMidway (Start-Writer $command) $bundle
        @(Get-Leftovers "$bundle/blobs").Count | Should -BeGreaterThan 0
        $case = Invoke-HostileCase -Name 'Copy-Image into a layout after a killed one' -Class KilledWriter -Arguments $command -Action {
            param($c) Invoke-Expression $c | Out-Null
        } -SuccessAllowed -NoTempFilesIn $folder -Unchanged $Huge -TimeoutSeconds 120
        $case | Assert-HostileCase -Accept Tolerated
        $want = (Get-Content -Raw "$Huge/index.json" | ConvertFrom-Json).manifests[0].digest
        (Get-Content -Raw "$bundle/index.json" | ConvertFrom-Json).manifests.digest | Should -Contain $want
    }

    It 'keeps the temp file of a live writer (and of one in another pid namespace), removes those of a dead pid and of a reused pid' {
        $folder = Join-Path $TestDrive 'k-live'
        New-Item -ItemType Directory $folder | Out-Null
        $sleeper = [System.Diagnostics.Process]::Start('sleep', '600')
        $script:Children.Add($sleeper)
        $start = Get-StartTicks $sleeper.Id
        $ns = Get-PidNamespace $sleeper.Id
        $gone = [System.Diagnostics.Process]::Start('true'); $gone.WaitForExit()
        $live = Join-Path $folder ".out.tar.imagetools-$($sleeper.Id)-$start-$ns-0000aaaa.tmp"
        $reused = Join-Path $folder ".out.tar.imagetools-$($sleeper.Id)-$([long]$start + 1)-$ns-0000bbbb.tmp"
        $dead = Join-Path $folder ".root.imagetools-$($gone.Id)-$start-$ns-0000cccc"
        $foreign = Join-Path $folder '.out.tar.imagetools-0123456789ab.tmp'   # no writer identity: not ours to judge
        $elsewhere = Join-Path $folder ".out.tar.imagetools-$($gone.Id)-$start-$([long]$ns + 1)-0000dddd.tmp"   # another container's writer
        Set-Content $live 'live'; Set-Content $reused 'reused'; Set-Content $foreign 'foreign'; Set-Content $elsewhere 'elsewhere'
        New-Item -ItemType Directory "$dead/usr/bin" -Force | Out-Null; Set-Content "$dead/usr/bin/x" 'x'

        $case = Invoke-HostileCase -Name 'Save-Image beside a live writer''s temp file' -Class KilledWriter -Arguments @{ Src = $Fixture; Dest = (Join-Path $folder 'out.tar') } -Action {
            param($a) Save-Image -Path $a.Src -Name base:1.0 -DestinationPath $a.Dest | Out-Null
        } -SuccessAllowed -LiveCheck {
            if (-not (Test-Path $live)) { "the temp file of running writer $($sleeper.Id)" }
            if (-not (Test-Path $elsewhere)) { 'the temp file of a writer in another pid namespace' }
        }.GetNewClosure()
        $case | Assert-HostileCase -Accept Tolerated
        Test-Path $reused, $dead, $foreign | Should -Be @($false, $false, $true)
        Get-Content $live | Should -Be 'live'
    }
}
