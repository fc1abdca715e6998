# Save-Image writing the whole archive compressed, as `docker save | gzip` does: checked by the real tools (gzip -t,
# zstd -t, tar, skopeo on the decompressed tar) and by docker load of the .tar.gz on a private dockerd.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:needsDocker = Get-RealToolNeed dockerd, docker
    $script:needsJudges = Get-RealToolNeed gzip, zstd, skopeo
}

BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:layout = Get-FixturePath 'oci-layout'
}

Describe 'Save-Image -ArchiveCompression' @needsJudges {
    It 'writes <Name> as <Tool> when <How>' -ForEach @(
        @{ Name = 'a.tar.gz'; Extra = @{}; Tool = 'gzip'; How = 'the name ends in .tar.gz' }
        @{ Name = 'a.tgz'; Extra = @{}; Tool = 'gzip'; How = 'the name ends in .tgz' }
        @{ Name = 'a.tar.zst'; Extra = @{}; Tool = 'zstd'; How = 'the name ends in .tar.zst' }
        @{ Name = 'b.tar'; Extra = @{ ArchiveCompression = 'Gzip' }; Tool = 'gzip'; How = '-ArchiveCompression Gzip' }
        @{ Name = 'c.tar'; Extra = @{ ArchiveCompression = 'Zstd' }; Tool = 'zstd'; How = '-ArchiveCompression Zstd' }
    ) {
        $dest = Join-Path $TestDrive $Name
        $saved = Save-Image -Path $layout -Name app:2.0 -DestinationPath $dest @Extra -ErrorAction Stop
        & $Tool -t $dest 2>$null
        $LASTEXITCODE | Should -Be 0 -Because "$Tool -t accepts what Save-Image wrote"
        # the file's digest and size, as sha256sum and stat see them
        "$($saved.Digest)" | Should -Be "sha256:$((Invoke-Native 'sha256sum "$1" | cut -c1-64' @($dest)).Trim())"
        $saved.Size | Should -Be (Get-Item $dest).Length
        # the tar inside is the image skopeo reads, with the config skopeo recorded for the source
        $tar = Join-Path $TestDrive "$Name.plain.tar"
        Invoke-Native "$Tool -dc < `"`$1`" > `"`$2`"" @($dest, $tar) | Out-Null
        (Invoke-Native 'tar -tf "$1"' @($tar)) -split "`n" | Should -Contain 'manifest.json'
        $want = Get-SkopeoDigest "oci:${layout}:app:2.0" -Config
        $want | Should -Not -BeNullOrEmpty
        "sha256:$((Invoke-Native 'skopeo inspect --config "docker-archive:$1:app:2.0" | sha256sum | cut -c1-64' @($tar)).Trim())" | Should -Not -Be 'sha256:'
        "$((Get-ImageConfig -Path $tar -Name app:2.0).ImageId)" | Should -Be $want
        # and the module reads the compressed file itself in place
        "$((Get-ImageConfig -Path $dest -Name app:2.0).ImageId)" | Should -Be $want
        Assert-EveryBlobValid $dest
    }

    It 'writes a plain tar for a .tar.gz name with -ArchiveCompression None' {
        $dest = Join-Path $TestDrive 'plain.tar.gz'
        Save-Image -Path $layout -Name base:1.0 -DestinationPath $dest -ArchiveCompression None -ErrorAction Stop | Out-Null
        (Invoke-Native 'tar -tf "$1"' @($dest)) -split "`n" | Should -Contain 'index.json'
        (Invoke-Native 'head -c 2 "$1" | od -An -tx1' @($dest)).Trim() | Should -Not -Be '1f 8b'
    }

    It 'leaves no file and no temporary file when the save fails' {
        $dir = Join-Path $TestDrive 'failing'
        New-Item -ItemType Directory $dir | Out-Null
        $dest = Join-Path $dir 'x.tar.gz'
        Save-Image -Path $layout -Name no-such:image -DestinationPath $dest -ErrorAction SilentlyContinue -ErrorVariable err | Out-Null
        $err.Count | Should -BeGreaterThan 0
        @(Get-ChildItem -Force $dir).Count | Should -Be 0
    }
}

Describe 'docker load of a Save-Image .tar.gz' @needsDocker {
    BeforeAll {
        $script:dockerd = Start-PrivateDockerd
        $script:archive = Join-Path $TestDrive 'for-docker.tar.gz'
        Save-Image -Path $layout -Name base:1.0, app -DestinationPath $archive | Out-Null
        $script:loadOutput = Invoke-PrivateDocker $dockerd @('load', '-i', $archive)
    }
    AfterAll { Stop-PrivateDockerd $dockerd }

    It 'is gzip, and docker loads every name with the image ID the source has' {
        (Invoke-Native 'head -c 2 "$1" | od -An -tx1' @($archive)).Trim() | Should -Be '1f 8b'
        foreach ($name in 'base:1.0', 'app:2.0', 'app:latest') {
            $id = Invoke-PrivateDocker $dockerd @('image', 'inspect', '--format', '{{.Id}}', $name)
            $id | Should -Be "$((Get-Image -Path $layout -Name $name).ImageIds[0])"
        }
    }

    It 'reads back what docker save | gzip writes, with the IDs docker reports' {
        $theirs = Join-Path $TestDrive 'docker-saved.tar.gz'
        Invoke-Native 'docker -H "unix://$1" save app:2.0 | gzip > "$2"' @($dockerd.Socket, $theirs) | Out-Null
        $id = Invoke-PrivateDocker $dockerd @('image', 'inspect', '--format', '{{.Id}}', 'app:2.0')
        "$((Get-Image -Path $theirs -Name app:2.0).ImageIds[0])" | Should -Be $id
        # every layer and config manifest.json names (docker's own listing, read with tar) checked in one call, all valid
        $files = [int](Invoke-Native 'tar -xzOf "$1" manifest.json | jq "[.[].Layers[], .[].Config] | unique | length"' @($theirs))
        $files | Should -BeGreaterThan 1
        $checked = @(Test-ImageBlob -Path $theirs -DiffId)
        $checked.Count | Should -BeGreaterOrEqual $files
        @($checked | Where-Object Status -ne Valid) | Should -BeNullOrEmpty
    }
}
