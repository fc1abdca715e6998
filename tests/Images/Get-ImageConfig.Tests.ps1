BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    # one case per image and platform: skopeo picks a platform of an index through --override-*
    $cases = foreach ($i in Get-FixtureImages) {
        if ($i.IsIndex) {
            foreach ($m in (Invoke-Skopeo $i.SkopeoRef -Raw).manifests) {
                $p = (@($m.platform.os, $m.platform.architecture, $m.platform.variant) | Where-Object { $_ }) -join '/'
                $extra = @('--override-os', $m.platform.os, '--override-arch', $m.platform.architecture)
                if ($m.platform.variant) { $extra += @('--override-variant', $m.platform.variant) }
                $i + @{ Platform = $p; Extra = $extra }
            }
        }
        else { $i + @{ Platform = $null; Extra = @() } }
    }
    $umoci = @(Get-FixtureImages -Fixture 'oci-layout' | Where-Object { -not $_.IsIndex })
    $dockerNamed = @(Get-FixtureImages | Where-Object { $_.Name -in @('base:1.0', 'app:2.0', 'app:latest') })
}

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    function Get-ModuleConfig($Path, $Name, $Platform) {
        $img = Get-Image -Path $Path | Where-Object { $_.Name -eq $Name -and ($Name -or -not $_.Name) }
        if ($Platform) { return @($img | Get-ImageConfig -Platform $Platform) }
        return @($img | Get-ImageConfig)
    }
    function Get-Keys($o) { if ($null -eq $o) { return @() } return @($o.PSObject.Properties.Name | Sort-Object) }
    # "Name[i]=value" per item of a list; an absent list and an empty one give no line (skopeo's JSON omits an empty
    # Entrypoint or Env where the module gives an empty list)
    function Format-Field([string] $Name, [object[]] $Values) {
        $items = @($Values | Where-Object { $null -ne $_ })
        for ($i = 0; $i -lt $items.Count; $i++) { "$Name[$i]=$($items[$i])" }
    }
}

Describe 'Get-ImageConfig <Fixture> <Name> <Platform>: compared with skopeo inspect --config' -ForEach $cases {
    BeforeAll {
        $script:c = Get-ModuleConfig $Path $Name $Platform
        $script:want = (Invoke-Skopeo $SkopeoRef -Config -AsText -Extra $Extra) | ConvertFrom-Json -DateKind String
    }

    # One comparison of the whole config: a line per field and per list item, the module's against skopeo's; a
    # mismatch names the first line that differs.
    It 'has the config skopeo reads: image ID, platform, created, author, run settings, labels, ports, volumes, DiffIDs, history' {
        $c.Count | Should -Be 1
        $x = $c[0]
        $got = @(
            "ImageId=$($x.ImageId)"
            "Os=$($x.Os)"; "Architecture=$($x.Architecture)"; "Created=$(([DateTimeOffset]$x.Created).UtcDateTime.ToString('o'))"; "Author=$($x.Author)"
            Format-Field Entrypoint @($x.Entrypoint); Format-Field Cmd @($x.Cmd); Format-Field Env @($x.Env)
            "WorkingDir=$($x.WorkingDir)"; "User=$($x.User)"; "StopSignal=$($x.StopSignal)"
            $x.Labels.Keys | Sort-Object | ForEach-Object { "Label $_=$($x.Labels[$_])" }
            Format-Field ExposedPorts @($x.ExposedPorts | Sort-Object); Format-Field Volumes @($x.Volumes | Sort-Object)
            Format-Field DiffIds @($x.DiffIds | ForEach-Object { "$_" }); "HistoryCount=$($x.History.Count)"
        )
        $expected = @(
            "ImageId=$(Get-SkopeoDigest $SkopeoRef -Config -Extra $Extra)"
            "Os=$($want.os)"; "Architecture=$($want.architecture)"
            "Created=$([DateTimeOffset]::Parse($want.created, [cultureinfo]::InvariantCulture).UtcDateTime.ToString('o'))"; "Author=$($want.author)"
            Format-Field Entrypoint @($want.config.Entrypoint); Format-Field Cmd @($want.config.Cmd); Format-Field Env @($want.config.Env)
            "WorkingDir=$($want.config.WorkingDir)"; "User=$($want.config.User)"; "StopSignal=$($want.config.StopSignal)"
            Get-Keys $want.config.Labels | ForEach-Object { "Label $_=$($want.config.Labels.$_)" }
            Format-Field ExposedPorts @(Get-Keys $want.config.ExposedPorts); Format-Field Volumes @(Get-Keys $want.config.Volumes)
            Format-Field DiffIds @($want.rootfs.diff_ids); "HistoryCount=$(@($want.history).Count)"
        )
        $got | Should -Be $expected
    }
}

Describe 'Get-ImageConfig oci-layout <Name>: compared with umoci stat --json' -ForEach $umoci {
    It 'has as many history entries as umoci stat, and the layer-creating ones carry its DiffIDs' {
        $stat = Get-UmociStat $Path (($SkopeoRef -split ':', 3)[2])
        $c = Get-ModuleConfig $Path $Name $null
        $c[0].History.Count | Should -Be @($stat.history).Count
        @($c[0].DiffIds | ForEach-Object { "$_" }) | Should -Be @($stat.history | Where-Object { -not $_.empty_layer } | ForEach-Object diff_id)
    }
}

Describe 'Get-ImageConfig <Fixture> <Name>: compared with docker image inspect' -ForEach $dockerNamed {
    It 'has docker''s Config and RootFS' {
        $d = @(Get-ExpectedJson 'dockerd.image-inspect.json') | ForEach-Object { $_ } | Where-Object { $_.RepoTags -contains $Name } | Select-Object -First 1
        $c = Get-ModuleConfig $Path $Name $null
        "$($c[0].ImageId)" | Should -Be $d.Id
        @($c[0].Entrypoint) | Should -Be @($d.Config.Entrypoint)
        @($c[0].Cmd) | Should -Be @($d.Config.Cmd)
        @($c[0].Env) | Should -Be @($d.Config.Env)
        $c[0].WorkingDir | Should -Be $d.Config.WorkingDir
        $c[0].User | Should -Be $d.Config.User
        @($c[0].ExposedPorts | Sort-Object) | Should -Be (Get-Keys $d.Config.ExposedPorts)
        @($c[0].Volumes | Sort-Object) | Should -Be (Get-Keys $d.Config.Volumes)
        @($c[0].DiffIds | ForEach-Object { "$_" }) | Should -Be @($d.RootFS.Layers)
        $c[0].Os | Should -Be $d.Os
        $c[0].Architecture | Should -Be $d.Architecture
        $c[0].Author | Should -Be $d.Author
    }
}

Describe 'Get-ImageConfig parameter forms' {
    It 'reads the same config from -Path/-Name, from Get-Image and from Get-ImageManifest' {
        $layout = Get-FixturePath 'oci-layout'
        $a = "$((Get-ImageConfig -Path $layout -Name 'base:1.0').ImageId)"
        $b = "$((Get-Image -Path $layout -Name 'base:1.0' | Get-ImageConfig).ImageId)"
        $m = Get-ImageManifest -Path $layout -Name 'base:1.0'
        $c = "$(($m | Get-ImageConfig).ImageId)"
        $a | Should -Be $b
        $a | Should -Be $c
        $a | Should -Be "$($m.ConfigDigest)"
    }
}
