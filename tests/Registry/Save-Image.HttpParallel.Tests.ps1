# Parallel blob transfers of a pull (-ThrottleLimit) and their progress records, against a slow registry of the
# tests' own (RegistryHttp.SlowServer.py: python3's ThreadingHTTPServer serving a layout python3 made, each blob body
# sent in pieces with pauses, counting the blob GETs that overlap). What was written is judged against the files
# python3 wrote (bytes and digests by sha256sum) and, for archives, by python3's tarfile.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:needsPython = Get-RealToolNeed python3
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    if (-not (Test-RealTool python3)) { return }
    Import-Module $env:IMAGETOOLS_MODULE -Force
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) "imagetools-parallel-$PID-$(Get-Random)"
    New-Item -ItemType Directory -Path $work | Out-Null
    $script:server = Join-Path $PSScriptRoot 'RegistryHttp.SlowServer.py'
    $script:source = Join-Path $work 'source'
    & python3 $server make $source 6 49152
    if ($LASTEXITCODE -ne 0) { throw 'python3 could not make the image' }
    $script:portFile = Join-Path $work 'port'
    $script:process = Start-Process python3 -ArgumentList $server, 'serve', $source, $portFile, '0.8' -PassThru
    Wait-Until { Test-Path $portFile } -Seconds 20 -What 'the slow registry'
    $script:a = "127.0.0.1:$(Get-Content $portFile)"
    $script:ref = "$a/team/app:1"
    # what python3 wrote: the blob files by their sha256sum, and the manifest's digest
    $script:sourceBlobs = @{}
    foreach ($line in (& sha256sum (Get-ChildItem "$source/blobs/sha256").FullName)) {
        $hash, $file = $line -split '\s+', 2
        $sourceBlobs["sha256:$hash"] = $file
    }
    $script:manifestDigest = (Get-Content -Raw "$source/index.json" | ConvertFrom-Json).manifests[0].digest
    function Get-Stats { Invoke-RestMethod "http://$a/stats" }
    function Assert-SameBlobs([string] $Folder) {
        $written = @(Get-ChildItem "$Folder/blobs/sha256" -File)
        $written.Count | Should -Be $sourceBlobs.Count
        foreach ($line in (& sha256sum $written.FullName)) {
            $hash, $file = $line -split '\s+', 2
            Split-Path -Leaf $file | Should -BeExactly $hash
            $sourceBlobs.ContainsKey("sha256:$hash") | Should -BeTrue
        }
    }
}

AfterAll {
    if ($process -and -not $process.HasExited) { Stop-Process -Id $process.Id }
    if ($work -and (Test-Path $work)) { Remove-Item -Recurse -Force $work }
}

Describe 'Save-Image -Reference moves blobs in parallel' @needsPython {
    It 'pulls into an OCI layout with at most -ThrottleLimit blob transfers at once, and more than one' {
        $dest = Join-Path $work 'layout-3'
        $before = Get-Stats
        $saved = Save-Image -Reference $ref -Format OciLayout -DestinationPath $dest -ThrottleLimit 3
        $saved.Images[0].ManifestDigest.ToString() | Should -BeExactly $manifestDigest
        Assert-SameBlobs $dest
        $stats = Get-Stats
        # 6 layers and a config, 0.8 s each on the server: transfers overlap, never more than three
        ($stats.gets - $before.gets) | Should -BeGreaterOrEqual 7
        $stats.max | Should -BeLessOrEqual 3
        $stats.max | Should -BeGreaterOrEqual 2
        @(Get-ChildItem -Force $work -Filter '*.imagetools-*').Count | Should -Be 0
    }

    It 'moves one blob at a time with -ThrottleLimit 1 and writes the same layout' {
        # a server of its own, so that its count of overlapping GETs is this pull's alone
        $port2 = Join-Path $work 'port2'
        $p2 = Start-Process python3 -ArgumentList $server, 'serve', $source, $port2, '0.2' -PassThru
        try {
            Wait-Until { Test-Path $port2 } -Seconds 20 -What 'the second slow registry'
            $a2 = "127.0.0.1:$(Get-Content $port2)"
            $dest = Join-Path $work 'layout-1'
            Save-Image -Reference "$a2/team/app:1" -Format OciLayout -DestinationPath $dest -ThrottleLimit 1 | Out-Null
            Assert-SameBlobs $dest
            (Invoke-RestMethod "http://$a2/stats").max | Should -Be 1
        } finally { Stop-Process -Id $p2.Id }
    }

    It 'pulls into a docker archive whose blobs python3''s tarfile reads with their digests, leaving no staged file' {
        $dest = Join-Path $work 'app.tar'
        $saved = Save-Image -Reference $ref -DestinationPath $dest
        $saved.Images[0].ManifestDigest.ToString() | Should -BeExactly $manifestDigest
        $listing = & python3 -c @'
import hashlib, sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    for m in t.getmembers():
        if m.isfile() and m.name.startswith("blobs/sha256/"):
            print(m.name[13:], hashlib.sha256(t.extractfile(m).read()).hexdigest())
'@ $dest
        $LASTEXITCODE | Should -Be 0
        @($listing).Count | Should -Be $sourceBlobs.Count
        foreach ($line in $listing) {
            $name, $hash = $line -split ' '
            $hash | Should -BeExactly $name
            $sourceBlobs.ContainsKey("sha256:$hash") | Should -BeTrue
        }
        @(Get-ChildItem -Force $work -Filter '*.imagetools-*').Count | Should -Be 0
    }

    It 'adds to a layout with Copy-Image -Reference -Destination in parallel' {
        $dest = Join-Path $work 'copy-layout'
        $before = Get-Stats
        Copy-Image -Reference $ref -Destination $dest -ThrottleLimit 4 | Out-Null
        Assert-SameBlobs $dest
        ((Get-Stats).gets - $before.gets) | Should -BeGreaterOrEqual 7
        # a second run verifies what is there and moves no layer again
        $before = Get-Stats
        $again = Copy-Image -Reference $ref -Destination $dest
        $again.SkippedBlobCount | Should -Be $sourceBlobs.Count  # 6 layers, the config and the manifest
        ((Get-Stats).gets - $before.gets) | Should -BeLessOrEqual 1
    }

    It 'stops every transfer at a blob with wrong bytes and leaves nothing behind' {
        $bad = @($sourceBlobs.Keys | Where-Object { (Get-Item $sourceBlobs[$_]).Length -gt 40000 })[2]
        Set-Content -Path (Join-Path $source 'corrupt') -Value $bad
        try {
            $dest = Join-Path $work 'broken-layout'
            { Save-Image -Reference $ref -Format OciLayout -DestinationPath $dest -ErrorAction Stop } |
                Should -Throw -ErrorId 'DigestMismatch*'
            Test-Path $dest | Should -BeFalse
            $tar = Join-Path $work 'broken.tar'
            { Save-Image -Reference $ref -DestinationPath $tar -ErrorAction Stop } | Should -Throw -ErrorId 'DigestMismatch*'
            Test-Path $tar | Should -BeFalse
            @(Get-ChildItem -Force $work -Filter '*.imagetools-*').Count | Should -Be 0
        } finally { Remove-Item (Join-Path $source 'corrupt') }
    }
}

Describe 'Progress of a pull' @needsPython {
    It 'writes a child record per blob under the overall one, which ends at 100 %' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$env:IMAGETOOLS_MODULE'; Save-Image -Reference '$ref' -Format OciLayout -DestinationPath '$work/progress-layout' | Out-Null")
            $null = $ps.Invoke()
            $ps.HadErrors | Should -BeFalse
            $records = @($ps.Streams.Progress)
            $overall = @($records | Where-Object { $_.ActivityId -eq 1 })
            $overall.Count | Should -BeGreaterThan 1
            $overall[-1].RecordType | Should -Be 'Completed'
            $overall[-2].PercentComplete | Should -Be 100
            $children = @($records | Where-Object { $_.ParentActivityId -eq 1 })
            $children.Count | Should -BeGreaterThan 0
            # each blob's record names its digest, and every one is closed
            foreach ($id in ($children.ActivityId | Sort-Object -Unique)) {
                $mine = @($children | Where-Object ActivityId -eq $id)
                $mine[-1].RecordType | Should -Be 'Completed'
                $mine[0].StatusDescription | Should -Match '^sha256:[0-9a-f]{64} '
                $sourceBlobs.ContainsKey(($mine[0].StatusDescription -split ' ')[0]) | Should -BeTrue
            }
        } finally { $ps.Dispose() }
    }
}
