BeforeDiscovery { . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1" }

Describe 'Get-DockerContainer on a real dockerd 20.10 data root' -Skip:([bool]$DockerSkipReason) {
    BeforeAll {
        Import-Module $env:IMAGETOOLS_MODULE -Force
        . "$PSScriptRoot/../Fixtures/docker/DockerRootFixture.ps1"
        $script:root = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'docker')
        $script:inspect = @(Get-DockerInspect 'overlay2.container-inspect.json')
    }

    It 'lists the containers docker inspect lists' {
        (Get-DockerContainer -Path $root).Id | Sort-Object | Should -Be ($inspect.Id | Sort-Object)
    }

    It 'agrees with docker inspect on <_.Name>: name, image, state, created and overlay2 directories' -ForEach (Get-DockerInspect 'overlay2.container-inspect.json') {
        $c = Get-DockerContainer -Path $root -Name $_.Id
        $c.Name | Should -Be $_.Name.TrimStart('/')
        $c.Image.ToString() | Should -Be $_.Image
        $c.ImageName | Should -Be $_.Config.Image
        $c.State | Should -Be $_.State.Status
        $c.ExitCode | Should -Be $_.State.ExitCode
        [DateTimeOffset]$c.Created | Should -Be ([DateTimeOffset]::Parse($_.Created, [Globalization.CultureInfo]::InvariantCulture))
        $c.Driver | Should -Be $_.Driver
        $c.MountId | Should -Be (Get-DriverDirId $_.GraphDriver.Data.UpperDir)
        $c.UpperDir | Should -Be (Join-Path $root "overlay2/$($c.MountId)/diff")
        $c.MergedPath | Should -Be (Join-Path $root "overlay2/$($c.MountId)/merged")
        $lower = @($_.GraphDriver.Data.LowerDir -split ':' | ForEach-Object { Get-DriverDirId $_ })
        $c.InitId | Should -Be $lower[0]
        @($c.LowerDirs | ForEach-Object { Get-DriverDirId $_ }) | Should -Be @($lower | Select-Object -Skip 1)
        $c.IsMounted | Should -BeFalse
    }

    It 'matches containers by name, id prefix and wildcard' {
        (Get-DockerContainer -Path $root -Name ran).Name | Should -Be 'ran'
        (Get-DockerContainer -Path $root -Name '/ran').Name | Should -Be 'ran'
        @(Get-DockerContainer -Path $root -Name 'cr*').Name | Should -Be @('created-only')
        $id = ($inspect | Where-Object Name -eq '/ran').Id
        (Get-DockerContainer -Path $root -Name $id.Substring(0, 8)).Id | Should -Be $id
    }

    It 'sees merged/ mounted while it is a mount point' {
        $c = Get-DockerContainer -Path $root -Name ran
        New-Item -ItemType Directory $c.MergedPath -Force | Out-Null
        & mount --bind $c.UpperDir $c.MergedPath
        if ($LASTEXITCODE -ne 0) { Set-ItResult -Skipped -Because 'mount --bind is not allowed here'; return }
        try { (Get-DockerContainer -Path $root -Name ran).IsMounted | Should -BeTrue }
        finally { & umount $c.MergedPath }
        (Get-DockerContainer -Path $root -Name ran).IsMounted | Should -BeFalse
    }

    It 'reports an unreadable config.v2.json with its path and still lists every container' {
        $r = Expand-DockerRootFixture -Driver overlay2 -Destination (Join-Path $TestDrive 'badcfg')
        $id = ($inspect | Where-Object Name -eq '/ran').Id
        Set-Content -LiteralPath "$r/containers/$id/config.v2.json" -Value '{"ID": "x", "State": ' -NoNewline
        $all = @(Get-DockerContainer -Path $r -ErrorVariable err -ErrorAction SilentlyContinue)
        $all.Count | Should -Be 2
        ($all | Where-Object Id -eq $id).MountId | Should -Not -BeNullOrEmpty
        ($all | Where-Object Name -eq 'created-only').State | Should -Be 'created'
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'MalformedContent*'
        $err[0].Exception.Message | Should -BeLike "*$r/containers/$id/config.v2.json*"
    }
}
