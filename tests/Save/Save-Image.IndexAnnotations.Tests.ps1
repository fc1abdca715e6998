# The names a docker archive's index.json carries, against the ones containerd wrote for the same images
# (tests/Fixtures/data/ctr-export.tar is `ctr images export` of base:1.0, docker.io/library/app:2.0 and multi:latest):
# io.containerd.image.name is the full name; org.opencontainers.image.ref.name is only the tag of a docker.io name.
BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:ctrExport = Get-FixturePath 'ctr-export.tar'
    # python3's tarfile reads the member, not the module
    function Read-IndexJson([string] $Tar) {
        python3 -c "import tarfile,json,sys; print(json.dumps(json.load(tarfile.open(sys.argv[1]).extractfile('index.json'))))" $Tar | ConvertFrom-Json -NoEnumerate
    }
    $script:ctrIndex = Read-IndexJson $ctrExport
}

Describe 'Save-Image -Format DockerArchive names images in index.json as containerd does' {
    It 'writes the annotations ctr export wrote for <Name>' -ForEach @(@{ Name = 'docker.io/library/app:2.0' }) {
        $expected = @($ctrIndex.manifests | Where-Object { $_.annotations.'io.containerd.image.name' -eq $Name })
        $expected.Count | Should -Be 1
        $expected[0].annotations.'org.opencontainers.image.ref.name' | Should -Be '2.0'

        $out = Join-Path $TestDrive 'app.tar'
        Save-Image -Path $ctrExport -Name $Name -Format DockerArchive -DestinationPath $out | Out-Null
        $index = Read-IndexJson $out
        $entries = @($index.manifests)
        $entries.Count | Should -Be 1
        $entries[0].annotations.'io.containerd.image.name' | Should -Be $expected[0].annotations.'io.containerd.image.name'
        $entries[0].annotations.'org.opencontainers.image.ref.name' | Should -Be $expected[0].annotations.'org.opencontainers.image.ref.name'
    }
}
