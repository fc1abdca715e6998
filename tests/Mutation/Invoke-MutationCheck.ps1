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
.EXAMPLE
    dotnet pwsh tests/Mutation/Invoke-MutationCheck.ps1
.EXAMPLE
    dotnet pwsh tests/Mutation/Invoke-MutationCheck.ps1 -Id names-exact-first, tar-whiteout-prefix
#>
[CmdletBinding()]
param([string[]] $Id, [string] $KeepCopy)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }

$repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$mutations = @((Import-PowerShellDataFile (Join-Path $PSScriptRoot 'Mutations.psd1')).Mutations)
if ($Id) { $mutations = @($mutations | Where-Object { $_.Id -in $Id }) }
if ($mutations.Count -eq 0) { throw 'No mutation selected.' }

$pwshCommand = @((Get-Process -Id $PID).Path)
if ((Split-Path -Leaf $pwshCommand[0]) -like 'dotnet*') { $pwshCommand += (Join-Path $PSHOME 'pwsh.dll') }
function Invoke-Pwsh([string[]] $Arguments) {
    $all = @($pwshCommand | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive') + $Arguments
    & $pwshCommand[0] @all
}

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
    $moduleDir = Join-Path $work 'out/ImageTools'
    $dllOut = Join-Path $work 'out/mutant'

    $results = foreach ($m in $mutations) {
        $file = Join-Path $work $m.File
        $original = [IO.File]::ReadAllText($file)
        $count = ([regex]::Matches($original, [regex]::Escape($m.Find))).Count
        if ($count -ne 1) {
            [pscustomobject]@{ Id = $m.Id; Area = $m.Area; Caught = 'NotApplied'; By = "Find text occurs $count times in $($m.File)" }
            continue
        }
        $caughtBy = @()
        $compiled = $true
        try {
            [IO.File]::WriteAllText($file, $original.Replace($m.Find, $m.Replace))
            & dotnet build (Join-Path $work 'src/ImageTools/ImageTools.csproj') -c Release -o $dllOut --nologo -v quiet 2>&1 | Out-Null
            $compiled = $LASTEXITCODE -eq 0
        }
        catch { [IO.File]::WriteAllText($file, $original); throw }
        if (-not $compiled) {
            # A mutation must be a wrong program, not a broken build: fix the list.
            [IO.File]::WriteAllText($file, $original)
            [pscustomobject]@{ Id = $m.Id; Area = $m.Area; Caught = 'NotCompiled'; By = '' }
            continue
        }
        try {
            Copy-Item (Join-Path $dllOut 'ImageTools.dll') $moduleDir -Force

            if ($m.ContainsKey('Tests') -and $m.Tests) {
                $result = Join-Path $work "out/mutation-$($m.Id).xml"
                $paths = @($m.Tests | ForEach-Object { Join-Path $work $_ })
                Invoke-Pwsh (@('-File', (Join-Path $work 'tests/Invoke-PesterRun.ps1'), '-ModulePath', (Join-Path $moduleDir 'ImageTools.psd1'),
                        '-ResultPath', $result, '-TestPath') + (($paths) -join ',')) *> $null
                $suite = if (Test-Path $result) { ([xml](Get-Content $result -Raw)).'test-results' } else { $null }
                if (-not $suite) { $caughtBy += 'pester (no result)' }
                elseif ([int]$suite.failures + [int]$suite.errors -gt 0) { $caughtBy += "pester ($([int]$suite.failures + [int]$suite.errors) failed)" }
            }
            if ($m.ContainsKey('Unit') -and $m.Unit) {
                & dotnet test (Join-Path $work 'tests/ImageTools.UnitTests/ImageTools.UnitTests.csproj') -c Release --nologo -v quiet --filter $m.Unit *> $null
                if ($LASTEXITCODE -ne 0) { $caughtBy += 'xunit' }
            }
        }
        finally {
            [IO.File]::WriteAllText($file, $original)
        }
        [pscustomobject]@{ Id = $m.Id; Area = $m.Area; Caught = [bool]($caughtBy.Count -gt 0); By = ($caughtBy -join ', ') }
    }
    # Put the unmutated assembly back for a kept copy.
    & dotnet build (Join-Path $work 'src/ImageTools/ImageTools.csproj') -c Release -o $dllOut --nologo -v quiet 2>&1 | Out-Null
    Copy-Item (Join-Path $dllOut 'ImageTools.dll') $moduleDir -Force

    $results | Format-Table -AutoSize -Wrap | Out-String -Width 200 | Write-Host
    $caught = @($results | Where-Object Caught -eq $true).Count
    Write-Host "$caught of $($results.Count) mutations caught"
    if ($caught -ne $results.Count) { exit 1 }
}
finally {
    if (-not $KeepCopy -and (Test-Path $work)) { Remove-Item -Recurse -Force $work }
}
