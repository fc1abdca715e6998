# The harness itself: each verdict it gives is reached by a case built to reach it.
BeforeAll {
    Import-Module $env:IMAGETOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Hostile.psm1') -Force
    $savedLog = $env:IMAGETOOLS_HOSTILE_LOG
    $env:IMAGETOOLS_HOSTILE_LOG = $null   # these cases are about the harness, not the module: not counted
}
AfterAll { $env:IMAGETOOLS_HOSTILE_LOG = $savedLog }

Describe 'Invoke-HostileCase' {
    It 'gives ClearError for a stable id that was expected' {
        $c = Invoke-HostileCase -Name 'missing store' -Class Test -Arguments (Join-Path $TestDrive 'nothing') -ExpectErrorId FileNotFound -Action {
            param($p) Get-Image -LiteralPath $p
        }
        $c.Verdict | Should -Be 'ClearError'
        $c.ErrorIds | Should -Contain 'FileNotFound'
    }
    It 'gives UnclearError for a stable id that was not expected' {
        $c = Invoke-HostileCase -Name 'missing store' -Class Test -Arguments (Join-Path $TestDrive 'nothing') -ExpectErrorId DigestMismatch -Action {
            param($p) Get-Image -LiteralPath $p
        }
        $c.Verdict | Should -Be 'UnclearError'
    }
    It 'gives SilentMismatch when nothing is reported, Tolerated when that is allowed' {
        $layout = Get-FixturePath 'oci-layout'
        (Invoke-HostileCase -Name ok -Class Test -Arguments $layout -Action { param($p) Get-Image -Path $p }).Verdict | Should -Be 'SilentMismatch'
        (Invoke-HostileCase -Name ok -Class Test -Arguments $layout -SuccessAllowed -Action { param($p) Get-Image -Path $p }).Verdict | Should -Be 'Tolerated'
    }
    It 'gives Crash for an error that is not one of the module''s ids, Hang past the time limit' {
        (Invoke-HostileCase -Name crash -Class Test -Action { throw [InvalidOperationException]::new('boom') }).Verdict | Should -Be 'Crash'
        (Invoke-HostileCase -Name hang -Class Test -TimeoutSeconds 1 -Action { Start-Sleep -Seconds 30 }).Verdict | Should -Be 'Hang'
    }
    It 'gives WroteOutside when a watched path changes, LeftBehind for a destination left after an error' {
        $f = Join-Path $TestDrive 'watched.txt'; Set-Content $f 'a'
        (Invoke-HostileCase -Name write -Class Test -Arguments $f -Unchanged $f -SuccessAllowed -Action { param($p) Set-Content $p 'b' }).Verdict | Should -Be 'WroteOutside'
        $d = Join-Path $TestDrive 'dest'
        (Invoke-HostileCase -Name left -Class Test -Arguments $d -Destination $d -Action {
            param($p) New-Item -ItemType Directory $p | Out-Null; Get-Image -LiteralPath "$p/nothing"
        }).Verdict | Should -Be 'LeftBehind'
    }
    It 'gives LiveDataDestroyed when the live check finds something lost' {
        (Invoke-HostileCase -Name lost -Class Test -SuccessAllowed -LiveCheck { 'tag x' } -Action { }).Verdict | Should -Be 'LiveDataDestroyed'
    }
}
