<#
.SYNOPSIS
    The mutation check: applies each one-line wrong change of Mutations.psd1 to a copy of the source, runs the tests
    that should notice it, and prints which were caught. Every mutation on the list must be caught.
.DESCRIPTION
    The repository is copied once into a temp folder (git's tracked files plus the committed fixtures) and built
    there once (plain IL). For each mutation the one line is changed (its Find text must occur exactly once in
    the file), only the module assembly is rebuilt and copied into the built module, and the listed Pester files
    (Tests) and xunit filter (Unit) run; a mutation is caught when at least one of them fails. The copy is removed
    at the end. Not part of the test command: it builds the module once per mutation (a few minutes in all).
.PARAMETER Id
    Run only these mutations (all when omitted).
.PARAMETER KeepCopy
    Keep the built copy in this folder and reuse it on the next run (no second base build). The copy's tests/
    folder is refreshed from the working tree on every run, so a test being written is used at once.
.PARAMETER AllCatchers
    Run every listed test for every mutation; by default the xunit filter runs first and the Pester files only when
    it did not catch the mutation (the By column then names the first catcher).
.PARAMETER Baseline
    First run each listed Pester file and xunit filter on the unmutated build: a test that already fails would
    make every mutation look caught, so such a run stops the check.
.NOTES
    A Tests entry is a path under the repository, or a bare file name found anywhere under tests/ (test files move
    between folders), or alternatives separated by '|' of which the first that exists is used. A mutation whose tests
    resolve to nothing is reported as NoTests, never as caught.
.EXAMPLE
    dotnet pwsh tests/Mutation/Invoke-MutationCheck.ps1
.EXAMPLE
    dotnet pwsh tests/Mutation/Invoke-MutationCheck.ps1 -Id names-exact-first, tar-whiteout-prefix
#>
[CmdletBinding()]
param([string[]] $Id, [string] $KeepCopy, [switch] $Baseline, [switch] $AllCatchers)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }

$repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$mutations = @((Import-PowerShellDataFile (Join-Path $PSScriptRoot 'Mutations.psd1')).Mutations)
$Id = @($Id | ForEach-Object { $_ -split ',' } | Where-Object { $_ })  # through -File, a list arrives as one string
if ($Id) { $mutations = @($mutations | Where-Object { $_.Id -in $Id }) }
if ($mutations.Count -eq 0) { throw 'No mutation selected.' }

$pwshCommand = @((Get-Process -Id $PID).Path)
if ((Split-Path -Leaf $pwshCommand[0]) -like 'dotnet*') { $pwshCommand += (Join-Path $PSHOME 'pwsh.dll') }
function Invoke-Pwsh([string[]] $Arguments) {
    $all = @($pwshCommand | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive') + $Arguments
    & $pwshCommand[0] @all
}

# Each Tests entry ('new/path|OldName.Tests.ps1'): the first alternative that exists, as a path under $root or as a file name anywhere under tests/.
function Resolve-TestFile([string] $root, $entry) {
    foreach ($alt in @($entry -split '\|')) {
        $direct = Join-Path $root $alt
        if (Test-Path -LiteralPath $direct -PathType Leaf) { return (Resolve-Path -LiteralPath $direct).Path }
        $found = @(Get-ChildItem -LiteralPath (Join-Path $root 'tests') -Recurse -File -Filter (Split-Path -Leaf $alt) |
                Where-Object FullName -notlike '*/bin/*' | Where-Object FullName -notlike '*/obj/*')
        if ($found.Count -gt 0) { return $found[0].FullName }
    }
    return $null
}

function Invoke-Tests([string] $root, $m, [string] $tag, [bool] $all = $true) {
    $by = @()
    if ($m.ContainsKey('Unit') -and $m.Unit) {
        & dotnet test (Join-Path $root 'tests/ImageTools.UnitTests/ImageTools.UnitTests.csproj') -c Release --no-build --nologo -v quiet --filter $m.Unit *> (Join-Path $root "out/mutation-$tag-unit.log")
        if ($LASTEXITCODE -ne 0) { $by += "xunit $(($m.Unit -replace 'FullyQualifiedName~', '' -replace 'ImageTools\.UnitTests\.', '').Trim('.') -replace '\.\|\.', '|')" }
    }
    if ($by.Count -gt 0 -and -not $all) { return $by }
    if ($m.ContainsKey('Tests') -and $m.Tests) {
        $paths = @(foreach ($entry in $m.Tests) { Resolve-TestFile $root $entry })
        $paths = @($paths | Where-Object { $_ })
        if ($paths.Count -gt 0) {
            $result = Join-Path $root "out/mutation-$tag.xml"
            Remove-Item -LiteralPath $result -ErrorAction Ignore
            Invoke-Pwsh (@('-File', (Join-Path $root 'tests/Invoke-PesterRun.ps1'), '-ModulePath', (Join-Path $root 'out/ImageTools/ImageTools.psd1'),
                    '-ResultPath', $result, '-TestPath') + (($paths) -join ',')) *> (Join-Path $root "out/mutation-$tag.log")
            $suite = if (Test-Path $result) { ([xml](Get-Content $result -Raw)).'test-results' } else { $null }
            $names = ($paths | ForEach-Object { Split-Path -Leaf $_ }) -join ' '
            if (-not $suite) { $by += "pester (no result: $names)" }
            elseif ([int]$suite.failures + [int]$suite.errors -gt 0) { $by += "pester $names ($([int]$suite.failures + [int]$suite.errors) failed)" }
        }
    }
    $by
}

function Test-HasTests([string] $root, $m) {
    $hasUnit = $m.ContainsKey('Unit') -and $m.Unit
    $resolved = if ($m.ContainsKey('Tests')) { @(foreach ($e in @($m.Tests)) { Resolve-TestFile $root $e }) } else { @() }
    $hasPester = @($resolved | Where-Object { $_ }).Count -gt 0
    return [bool]($hasUnit -or $hasPester)
}

$started = Get-Date
$work = if ($KeepCopy) { $KeepCopy } else { Join-Path ([IO.Path]::GetTempPath()) "imagetools-mutation-$PID" }
try {
    if (-not (Test-Path $work)) {
        New-Item -ItemType Directory $work | Out-Null
        # The tracked files only: what a clean checkout holds.
        git -C $repo archive --format=tar HEAD | tar -x -C $work
        if ($LASTEXITCODE -ne 0) { throw 'git archive failed' }
        Push-Location $work
        try {
            Invoke-Pwsh @('-File', './build.ps1', '-Task', 'Build', '-NoReadyToRun') | Out-Host
            if ($LASTEXITCODE -ne 0) { throw 'The unmutated build failed.' }
        } finally { Pop-Location }
    }
    elseif ($KeepCopy) {
        # Tests being written: the working tree's tests/ replace the copy's (the build outputs under tests/ stay).
        $copyTests = Join-Path $work 'tests'
        Get-ChildItem -LiteralPath $copyTests -Recurse -File -Include *.ps1, *.psm1 | Remove-Item -Force
        Push-Location (Join-Path $repo 'tests')
        try { Get-ChildItem -Recurse -File | Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' } | ForEach-Object {
                $rel = [IO.Path]::GetRelativePath((Join-Path $repo 'tests'), $_.FullName)
                $dest = Join-Path $copyTests $rel
                New-Item -ItemType Directory -Force (Split-Path $dest) | Out-Null
                Copy-Item -LiteralPath $_.FullName $dest -Force } }
        finally { Pop-Location }
    }
    $moduleDir = Join-Path $work 'out/ImageTools'
    $moduleProject = Join-Path $work 'src/ImageTools/ImageTools.csproj'
    $unitProject = Join-Path $work 'tests/ImageTools.UnitTests/ImageTools.UnitTests.csproj'
    $builtDll = Join-Path $work 'src/ImageTools/bin/Release/netstandard2.0/ImageTools.dll'
    # The unmutated unit tests, built once (dotnet test runs with --no-build).
    & dotnet build $unitProject -c Release --nologo -v quiet 2>&1 | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'The unit tests do not build unmutated.' }

    if ($Baseline) {
        $seen = @{}
        $broken = foreach ($m in $mutations) {
            $key = "$(@($m.Tests) -join ',')|$($m.Unit)"
            if ($seen.ContainsKey($key)) { continue }
            $seen[$key] = $true
            $by = @(Invoke-Tests $work $m "baseline-$($m.Id)")
            if ($by.Count -gt 0) { "$($m.Id): $($by -join ', ')" }
        }
        if ($broken) { $broken | Write-Host; throw 'Tests fail on the unmutated build; fix them before checking mutations.' }
    }

    $results = foreach ($m in $mutations) {
        $file = Join-Path $work $m.File
        $original = [IO.File]::ReadAllText($file)
        $count = ([regex]::Matches($original, [regex]::Escape($m.Find))).Count
        if ($count -ne 1) {
            Write-Host "$($m.Id): not applied, its Find text occurs $count times"
            [pscustomobject]@{ Id = $m.Id; Area = $m.Area; Caught = 'NotApplied'; By = "Find text occurs $count times in $($m.File)" }
            continue
        }
        if (-not (Test-HasTests $work $m)) {
            [pscustomobject]@{ Id = $m.Id; Area = $m.Area; Caught = 'NoTests'; By = "none of $(@($m.Tests) -join ', ') found under tests/" }
            continue
        }
        $caughtBy = @()
        $compiled = $true
        try {
            [IO.File]::WriteAllText($file, $original.Replace($m.Find, $m.Replace))
            # One compile per mutation: the unit test project builds the module assembly too (into src/ImageTools/bin),
            # and dotnet test then runs without building again.
            $project = if ($m.ContainsKey('Unit') -and $m.Unit) { $unitProject } else { $moduleProject }
            & dotnet build $project -c Release --nologo -v quiet *> (Join-Path $work "out/mutation-$($m.Id)-build.log")
            $compiled = $LASTEXITCODE -eq 0
        }
        catch { [IO.File]::WriteAllText($file, $original); throw }
        if (-not $compiled) {
            # A mutation must be a wrong program, not a broken build: fix the list.
            [IO.File]::WriteAllText($file, $original)
            Write-Host "$($m.Id): did not compile (out/mutation-$($m.Id)-build.log)"
            [pscustomobject]@{ Id = $m.Id; Area = $m.Area; Caught = 'NotCompiled'; By = '' }
            continue
        }
        try {
            Copy-Item $builtDll $moduleDir -Force

            $caughtBy = @(Invoke-Tests $work $m $m.Id $AllCatchers.IsPresent)
        }
        finally {
            [IO.File]::WriteAllText($file, $original)
        }
        Write-Host "$($m.Id): $(if ($caughtBy.Count -gt 0) { 'caught by ' + ($caughtBy -join ', ') } else { 'NOT caught' })"
        [pscustomobject]@{ Id = $m.Id; Area = $m.Area; Caught = [bool]($caughtBy.Count -gt 0); By = ($caughtBy -join ', ') }
    }
    # Put the unmutated assembly back for a kept copy.
    & dotnet build $unitProject -c Release --nologo -v quiet 2>&1 | Out-Null
    Copy-Item $builtDll $moduleDir -Force

    $results | Format-Table -AutoSize -Wrap | Out-String -Width 200 | Write-Host
    $caught = @($results | Where-Object Caught -eq $true).Count
    Write-Host "$caught of $($results.Count) mutations caught in $([int]((Get-Date) - $started).TotalMinutes) min"
    if ($caught -ne $results.Count) { exit 1 }
}
finally {
    if (-not $KeepCopy -and (Test-Path $work)) { Remove-Item -Recurse -Force $work }
}
