# Issue 13, plain data out: ConvertTo-Json (default depth), Export-Csv and remoting (PSSerializer, as Invoke-Command
# uses it) give digests as sha256:… strings, kind-like values by name, dates in ISO 8601 whatever the culture, readable
# lists and labels, no store handles. Expected values come from the layout's index.json and blobs (written by umoci),
# ctr's recorded listings, docker inspect's recorded answers and skopeo's recorded answers, never from the module.
BeforeDiscovery { . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1" }

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    $script:Layout = Join-Path $PSScriptRoot '../Fixtures/data/oci-layout'
    $script:CtrFx = Join-Path $PSScriptRoot '../Fixtures/containerd'
    $script:CtrRoot = Join-Path $CtrFx 'root'
    $script:Index = Get-Content -Raw (Join-Path $Layout 'index.json') | ConvertFrom-Json
    function Get-IndexEntry([string] $Name) { @($Index.manifests | Where-Object { $_.annotations.'org.opencontainers.image.ref.name' -eq $Name }) }
    function Read-Blob([string] $Digest) { Get-Content -Raw (Join-Path $Layout ('blobs/sha256/' + ($Digest -replace '^sha256:'))) | ConvertFrom-Json -DateKind String }
    function Copy-ThroughSerializer($Object) {
        [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($Object))
    }
    # A time as the module writes it: ISO 8601 in UTC, trailing zeros of the fraction dropped.
    function ConvertTo-IsoText([string] $Time) {
        ([DateTimeOffset]::Parse($Time, [cultureinfo]::InvariantCulture)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", [cultureinfo]::InvariantCulture)
    }
    function Invoke-InCulture([string] $Culture, [scriptblock] $Script) {
        $before = [Threading.Thread]::CurrentThread.CurrentCulture
        try { [Threading.Thread]::CurrentThread.CurrentCulture = $Culture; & $Script }
        finally { [Threading.Thread]::CurrentThread.CurrentCulture = $before }
    }
}

Describe 'Get-Image as plain data' {
    BeforeAll {
        $script:Entry = Get-IndexEntry 'base:1.0'
        $script:Manifest = Read-Blob $Entry[0].digest
        $script:Config = Read-Blob $Manifest.config.digest
        $script:Base = Get-Image -LiteralPath $Layout -Name base:1.0
    }

    It 'converts to JSON at the default depth with digests as strings, StoreKind by name, no store handle and no depth warning' {
        $Entry.Count | Should -Be 1
        $json = $Base | ConvertTo-Json -WarningVariable warned
        $warned.Count | Should -Be 0
        $json | Should -Not -Match '"Algorithm"|"Encoded"|"IsSupported"'
        $back = $json | ConvertFrom-Json -DateKind String
        $back.Digest | Should -BeOfType [string]
        $back.Digest | Should -BeExactly $Entry[0].digest
        $back.ImageId | Should -BeExactly $Manifest.config.digest
        @($back.ImageIds) | Should -Be @($Manifest.config.digest)
        $back.StoreKind | Should -BeExactly 'OciLayout'
        $back.Created | Should -BeExactly (ConvertTo-IsoText $Config.created)
        $back.PSObject.Properties.Name | Should -Not -Contain 'Store'
        $back.PSObject.Properties.Name | Should -Not -Contain 'Descriptor'
    }

    It 'writes the same CSV under de-DE and en-US, with the date in ISO 8601 and lists joined' {
        $multi = Get-IndexEntry 'multi:latest'
        $platforms = @((Read-Blob $multi[0].digest).manifests.platform | ForEach-Object { (@($_.os, $_.architecture, $_.variant) | Where-Object { $_ }) -join '/' })
        $platforms.Count | Should -BeGreaterThan 1
        $image = Get-Image -LiteralPath $Layout -Name multi:latest
        $de = Invoke-InCulture 'de-DE' { $image | ConvertTo-Csv }
        $en = Invoke-InCulture 'en-US' { $image | ConvertTo-Csv }
        ($de -join "`n") | Should -BeExactly ($en -join "`n")
        ($de -join "`n") | Should -Not -Match 'System\.|ImageTools\.'
        $row = @($de | ConvertFrom-Csv)
        $row.Count | Should -Be 1
        $row[0].Platforms | Should -BeExactly ($platforms -join ',')
        $row[0].Digest | Should -BeExactly $multi[0].digest
        $created = (Read-Blob (Read-Blob (Read-Blob $multi[0].digest).manifests[0].digest).config.digest).created
        $row[0].Created | Should -BeExactly (ConvertTo-IsoText $created)
    }

    It 'compares with digest, kind and date strings the same before and after deserialization' {
        $copy = Copy-ThroughSerializer $Base
        $copy.PSObject.TypeNames[0] | Should -Be 'Deserialized.ImageTools.Image'
        foreach ($x in $Base, $copy) {
            ($x.Digest -eq $Entry[0].digest) | Should -BeTrue
            ($x.ImageId -eq $Manifest.config.digest) | Should -BeTrue
            ($x.StoreKind -eq 'OciLayout') | Should -BeTrue
            ($x.Created -eq (ConvertTo-IsoText $Config.created)) | Should -BeTrue
            @($x.ImageIds) | Should -Be @($Manifest.config.digest)
        }
    }
}

Describe 'Every output of the layout cmdlets as JSON and CSV' {
    It '<Label> converts to JSON at the default depth with no depth warning, no typed digest and no store handle' -TestCases @(
        @{ Label = 'Get-ImageIndex'; Script = { Get-ImageIndex -Path $Layout -Name multi:latest } }
        @{ Label = 'Get-ImageManifest'; Script = { Get-ImageManifest -Path $Layout -Name multi:latest } }
        @{ Label = 'Get-ImageConfig'; Script = { Get-ImageConfig -Path $Layout -Name app:2.0 } }
        @{ Label = 'Get-ImageLayer'; Script = { Get-ImageLayer -Path $Layout -Name app:2.0 } }
        @{ Label = 'Test-ImageBlob'; Script = { Get-ImageManifest -Path $Layout -Name app:2.0 | Test-ImageBlob -DiffId } }
        @{ Label = 'Get-ImageFileSystem'; Script = { Get-ImageFileSystem -Path $Layout -Name base:1.0 | Select-Object -First 5 } }
        @{ Label = 'Get-ImageLayerEntry'; Script = { Get-ImageLayer -Path $Layout -Name base:1.0 | Get-ImageLayerEntry | Select-Object -First 5 } }
        @{ Label = 'Get-ContainerdContent'; Script = { Get-ContainerdContent -Path $CtrRoot -Namespace k8s.io } }
        @{ Label = 'Get-ContainerdImage'; Script = { Get-ContainerdImage -Path $CtrRoot } }
        @{ Label = 'Get-ContainerdSnapshot'; Script = { Get-ContainerdSnapshot -Path $CtrRoot } }
    ) {
        $objects = @(& $Script)
        $objects.Count | Should -BeGreaterThan 0
        $json = $objects | ConvertTo-Json -WarningVariable warned
        $warned.Count | Should -Be 0 -Because "$Label must fit ConvertTo-Json's default depth"
        $json | Should -Not -Match '"Algorithm"|"IsSupported"|"BaseStream"'
        $back = @($json | ConvertFrom-Json)
        foreach ($b in $back) {
            $b.PSObject.Properties.Name | Should -Not -Contain 'Store'
            $b.PSObject.Properties.Name | Should -Not -Contain 'ManifestInfo'
            $b.PSObject.Properties.Name | Should -Not -Contain 'Root'
            foreach ($p in $b.PSObject.Properties | Where-Object { $_.Name -match 'Digest$|^ImageId$|^DiffId$|^ChainId$' -and $null -ne $_.Value }) {
                $p.Value | Should -BeOfType [string]
                $p.Value | Should -Match '^sha256:[0-9a-f]{64}$'
            }
        }
        ($objects | ConvertTo-Csv) -join "`n" | Should -Not -Match 'System\.(String|Collections)|ImageTools\.(Oci|Stores)|SortedDictionary'
    }

    It 'gives Test-ImageBlob verdicts with Kind and Status by name, and the layer digests the manifest lists' {
        $entry = Get-IndexEntry 'app:2.0'
        $layers = @((Read-Blob $entry[0].digest).layers.digest)
        $layers.Count | Should -BeGreaterThan 0
        $back = @(Get-ImageManifest -Path $Layout -Name app:2.0 | Test-ImageBlob | ConvertTo-Json | ConvertFrom-Json)
        $back.Count | Should -Be ($layers.Count + 2)
        # verified in parallel: the verdicts come in no fixed order
        @($back | Where-Object Kind -eq 'Layer' | ForEach-Object Digest | Sort-Object) | Should -Be @($layers | Sort-Object)
        @($back | Where-Object Kind -eq 'Manifest' | ForEach-Object Digest) | Should -Be @($entry[0].digest)
        $back | ForEach-Object { $_.Status | Should -BeExactly 'Valid' }
    }
}

Describe 'containerd records as plain data' {
    It 'writes content labels to CSV as key=value pairs, the pairs ctr content ls prints' {
        $ctr = @{}
        foreach ($line in Get-Content (Join-Path $CtrFx 'ctr-content-team-b.txt') | Select-Object -Skip 1) {
            $f = $line -split "`t+"
            if ($f[-1] -ne '-') { $ctr[$f[0]] = @($f[-1] -split ',' | Sort-Object) }
        }
        $ctr.Count | Should -BeGreaterThan 0
        $rows = @(Get-ContainerdContent -Path $CtrRoot -Namespace team-b | ConvertTo-Csv | ConvertFrom-Csv | Where-Object { $_.Labels })
        $rows.Count | Should -Be $ctr.Count
        foreach ($r in $rows) { @($r.Labels -split ',' | Sort-Object) | Should -Be $ctr[$r.Digest] -Because $r.Digest }
    }

    It 'keeps the digests ctr lists and the Kind by name after deserialization' {
        $want = @(Get-Content (Join-Path $CtrFx 'ctr-content-k8s.io.txt') | Select-Object -Skip 1 | ForEach-Object { ($_ -split "`t")[0] } | Sort-Object)
        $want.Count | Should -BeGreaterThan 0
        $copies = @(Get-ContainerdContent -Path $CtrRoot -Namespace k8s.io | ForEach-Object { Copy-ThroughSerializer $_ })
        @($copies.Digest | Sort-Object) | Should -Be $want
        foreach ($d in $want) { @($copies | Where-Object { $_.Digest -eq $d }).Count | Should -Be 1 }
        @($copies | Where-Object Kind -eq 'Manifest').Count | Should -BeGreaterThan 0
    }
}

Describe 'Docker data root objects as plain data' -Skip:([bool]$DockerSkipReason) {
    BeforeAll {
        . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1"
        $script:droot = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'docker')
        $script:inspect = @(Get-DockerInspect 'overlay2.image-inspect.json')
    }

    It 'gives image IDs, DiffIDs and creation times as docker image inspect does, in JSON and after deserialization' {
        $inspect.Count | Should -BeGreaterThan 0
        foreach ($i in $inspect) {
            $live = Get-DockerImage -Path $droot -Name $i.Id
            $json = $live | ConvertTo-Json -WarningVariable warned | ConvertFrom-Json -DateKind String
            $warned.Count | Should -Be 0
            $copy = Copy-ThroughSerializer $live
            foreach ($x in $json, $copy) {
                $x.Id | Should -BeExactly $i.Id
                @($x.DiffIds) | Should -Be @($i.RootFS.Layers)
                $x.Created | Should -BeExactly (ConvertTo-IsoText $i.Created)
            }
        }
    }
}
