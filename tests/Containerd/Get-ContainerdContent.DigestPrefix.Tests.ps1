# Issue 13: Get-ContainerdContent -Digest takes a prefix of the hex (with or without sha256:), as the image ID rule
# does. Expected: ctr content ls of the same root (recorded).
BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    $script:CtrFx = Join-Path $PSScriptRoot '../Fixtures/containerd'
    $script:CtrRoot = Join-Path $CtrFx 'root'
    $script:Listed = @(Get-Content (Join-Path $CtrFx 'ctr-content-team-b.txt') | Select-Object -Skip 1 | Where-Object { $_.Trim() } |
        ForEach-Object { ($_ -split "`t+")[0] })
}

Describe 'Get-ContainerdContent -Digest with a prefix' {
    It 'selects the records ctr content ls lists under a <Length>-hex prefix, with and without sha256:' -TestCases @(@{ Length = 4 }, @{ Length = 12 }, @{ Length = 64 }) {
        $Listed.Count | Should -BeGreaterThan 1
        foreach ($digest in $Listed) {
            $hex = ($digest -replace '^sha256:').Substring(0, $Length)
            $want = @($Listed | Where-Object { $_.StartsWith("sha256:$hex") })
            $want.Count | Should -BeGreaterThan 0
            @((Get-ContainerdContent -Path $CtrRoot -Namespace team-b -Digest $hex).Digest | ForEach-Object ToString) | Should -Be $want
            @((Get-ContainerdContent -Path $CtrRoot -Namespace team-b -Digest "sha256:$hex").Digest | ForEach-Object ToString) | Should -Be $want
        }
    }

    It 'writes BlobNotFound for a prefix no record ctr lists starts with, and lists the others' {
        $absent = @('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f' | ForEach-Object { "$_$_$_$_$_$_" } |
            Where-Object { $p = $_; -not ($Listed | Where-Object { $_.StartsWith("sha256:$p") }) })[0]
        $absent | Should -Not -BeNullOrEmpty
        $first = ($Listed[0] -replace '^sha256:').Substring(0, 8)
        $got = @(Get-ContainerdContent -Path $CtrRoot -Namespace team-b -Digest $absent, $first -ErrorVariable err -ErrorAction SilentlyContinue)
        @($got.Digest | ForEach-Object ToString) | Should -Be @($Listed[0])
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'BlobNotFound*'
        $err[0].TargetObject | Should -Be $absent
    }

    It 'refuses a prefix shorter than 4 hex characters as an invalid digest' {
        Get-ContainerdContent -Path $CtrRoot -Namespace team-b -Digest 'abc' -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDigest*'
    }
}
