# A content record whose size is a negative Go varint (meta-negative-size.db, made by
# Fixtures/containerd/make-negative-size.sh from the committed root): the module reads what containerd 1.6 read from
# the same database (ctr content ls, recorded in ctr-content-negative-size.txt).
BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    $script:Fx = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../Fixtures/containerd'))
    $script:Root = Join-Path $TestDrive 'root'
    New-Item -ItemType Directory (Join-Path $Root 'io.containerd.metadata.v1.bolt') | Out-Null
    Copy-Item -Recurse (Join-Path $Fx 'root/io.containerd.content.v1.content') $Root
    Copy-Item (Join-Path $Fx 'meta-negative-size.db') (Join-Path $Root 'io.containerd.metadata.v1.bolt/meta.db')
    # ctr content ls: DIGEST, SIZE, AGE, LABELS separated by tabs
    $script:Ctr = @(Get-Content (Join-Path $Fx 'ctr-content-negative-size.txt') | Select-Object -Skip 1 | Where-Object { $_.Trim() } | ForEach-Object {
        $f = $_ -split "`t+"
        [pscustomobject]@{ Digest = $f[0]; Size = $f[1] }
    })
}

Describe 'Get-ContainerdContent on a record with a negative size' {
    It 'lists every record ctr content ls lists, with the sizes containerd read (one of them negative)' {
        @($Ctr | Where-Object Size -like '-*').Count | Should -Be 1
        $got = @(Get-ContainerdContent -Path $Root -Namespace k8s.io -ErrorAction Stop)
        $got.Count | Should -Be $Ctr.Count
        $want = @($Ctr | ForEach-Object { "$($_.Digest) $($_.Size)" } | Sort-Object)
        @($got | ForEach-Object { "$($_.Digest) $([ImageTools.ContainerdText]::HumanSize($_.Size))" } | Sort-Object) | Should -Be $want
    }

    It 'gives the negative record its size as the number containerd decoded, -172' {
        $neg = ($Ctr | Where-Object Size -like '-*').Digest
        (Get-ContainerdContent -Path $Root -Namespace k8s.io -Digest $neg -ErrorAction Stop).Size | Should -Be -172
    }
}
