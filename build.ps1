<#
.SYNOPSIS
    Builds, tests, packages and demonstrates the ImageTools module.
.DESCRIPTION
    Clean    removes out/ and the build folders.
    Build    publishes the module into out/ImageTools (dll, dependencies, manifest, formats, help), its assemblies
             precompiled (ReadyToRun) for this platform unless -NoReadyToRun.
    Test     installs the Debian packages the live tests use when it can (root, apt-get, one missing), builds, runs
             the xunit tests and the Pester tests, and prints "N passed, N failed, N skipped" last. Tests that need a
             tool this machine lacks are skipped, and the line above the last names those tools.
    Package  builds a versioned module folder out/package/ImageTools/<version> that Import-Module finds by name.
    Demo     builds and runs the module's main job on the sample images shipped in tests/Fixtures/data.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Build', 'Test', 'Package', 'Demo')]
    [string[]] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    # Pester tests to run (file names or folders under tests/); all when omitted.
    [string[]] $TestPath,
    # Build plain IL assemblies (they run anywhere, but a fresh pwsh JIT-compiles them on first use).
    [switch] $NoReadyToRun
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleOut = Join-Path $out 'ImageTools'
$manifestData = Import-PowerShellDataFile (Join-Path $root 'ImageTools.psd1')
$version = $manifestData.ModuleVersion

if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }

# The pwsh running this script: a plain pwsh, or pwsh.dll run by dotnet as a local tool.
$script:pwshCommand = @((Get-Process -Id $PID).Path)
if ((Split-Path -Leaf $script:pwshCommand[0]) -like 'dotnet*') { $script:pwshCommand += (Join-Path $PSHOME 'pwsh.dll') }

function Invoke-Pwsh {
    param([string[]] $Arguments)
    $exe = $script:pwshCommand[0]
    $all = @($script:pwshCommand | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive') + $Arguments
    & $exe @all
}

function Invoke-Native {
    param([string] $File, [string[]] $Arguments)
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Clean {
    foreach ($dir in @($out) + (Get-ChildItem -Path (Join-Path $root 'src'), (Join-Path $root 'tests') -Directory -Recurse -Include bin, obj).FullName) {
        if ($dir -and (Test-Path $dir)) { Remove-Item -Recurse -Force $dir }
    }
}

# The views are written one file per area (src/ImageTools/Formats/<Area>.format.ps1xml) and shipped as one file: pwsh
# spends about 1.5 ms on each format file it loads at Import-Module, so nine files cost a new session about 12 ms more.
function Join-FormatFiles([string] $Folder, [string] $Destination) {
    $joined = [xml]'<?xml version="1.0" encoding="utf-8"?><Configuration/>'
    foreach ($file in Get-ChildItem -LiteralPath $Folder -Filter '*.format.ps1xml' | Sort-Object Name) {
        $part = [xml](Get-Content -Raw -LiteralPath $file.FullName)
        foreach ($section in $part.DocumentElement.ChildNodes) {
            if ($section -isnot [System.Xml.XmlElement]) { continue }
            $into = $joined.DocumentElement[$section.Name]
            if (-not $into) { $into = $joined.DocumentElement.AppendChild($joined.CreateElement($section.Name)) }
            $into.AppendChild($joined.CreateComment(" from $($file.Name) ")) | Out-Null
            foreach ($node in $section.ChildNodes) { $into.AppendChild($joined.ImportNode($node, $true)) | Out-Null }
        }
    }
    $joined.Save($Destination)
}

function Invoke-Build {
    # -Quiet (the test run): only errors, no progress lines; a failure still throws with its message.
    param([switch] $Quiet)
    if (Test-Path $moduleOut) { Remove-Item -Recurse -Force $moduleOut }
    $publish = @('-c', $Configuration, '-o', $moduleOut, '--nologo', '-v', 'quiet', "-p:Version=$version")
    if ($NoReadyToRun) {
        Invoke-Native dotnet (@('publish', (Join-Path $root 'src/ImageTools/ImageTools.csproj')) + $publish)
    } else {
        $rid = [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
        Invoke-Native dotnet (@('publish', (Join-Path $root 'src/ImageTools.ReadyToRun/ImageTools.ReadyToRun.csproj'), '-r', $rid) + $publish)
        Get-ChildItem $moduleOut -Filter 'ImageTools.ReadyToRun.*' | Remove-Item
    }
    # pwsh carries these itself; a second copy in the module folder would only be ignored or conflict.
    Get-ChildItem $moduleOut -Filter 'System.*.dll' | Remove-Item
    Get-ChildItem $moduleOut -Filter 'Microsoft.Bcl.*.dll' | Remove-Item
    Get-ChildItem $moduleOut -Filter '*.deps.json' | Remove-Item
    Copy-Item (Join-Path $root 'ImageTools.psd1') $moduleOut
    Join-FormatFiles (Join-Path $root 'src/ImageTools/Formats') (Join-Path $moduleOut 'ImageTools.format.ps1xml')
    $helpScript = Join-Path $root 'src/Help/New-ExternalHelp.ps1'
    $helpFile = Join-Path $root 'en-US/ImageTools.dll-Help.xml'
    $helpOutput = Invoke-Pwsh @('-File', $helpScript, '-ModulePath', (Join-Path $moduleOut 'ImageTools.psd1'),
        '-XmlDocPath', (Join-Path $moduleOut 'ImageTools.xml'), '-OutputPath', $helpFile)
    if (-not $Quiet -or $LASTEXITCODE -ne 0) { $helpOutput | Write-Host }
    if ($LASTEXITCODE -ne 0) { throw "Generating help failed with exit code $LASTEXITCODE" }
    New-Item -ItemType Directory -Force (Join-Path $moduleOut 'en-US') | Out-Null
    Copy-Item (Join-Path $root 'en-US/*') (Join-Path $moduleOut 'en-US')
    Remove-Item (Join-Path $moduleOut 'ImageTools.xml') -ErrorAction SilentlyContinue
    Remove-Item (Join-Path $moduleOut '*.pdb') -ErrorAction SilentlyContinue
    if (-not $Quiet) { Write-Host "Built ImageTools $version into $moduleOut" }
}

# What dotnet test prints around its results that says nothing about them: the assembly it runs, how many files
# matched, where the trx went. Everything else (build errors and warnings, failed tests with their assertion and
# stack, which the console logger's minimal verbosity prints, and the summary) passes.
$script:TestPreamble = '^(Test run for |A total of \d+ test files? matched|Results File: )'

# The Debian packages whose tools the tests run live (TestHelpers.psm1, Registry/, Fixtures/*.sh), and libisal2, the
# faster gzip inflater the module uses where it is installed (so that the tests run it as well as the runtime's zlib).
$script:TestPackages = @('skopeo', 'umoci', 'docker-registry', 'containerd', 'runc', 'docker.io', 'jq', 'attr', 'zstd',
    'python3', 'apache2-utils', 'openssh-server', 'xz-utils', 'bzip2', 'libisal2')

function Install-TestPackages {
    # Only where it can and needs to: Linux, root, apt-get and dpkg-query present, and a package not installed.
    $haveApt = $IsLinux -and (Get-Command apt-get -CommandType Application -ErrorAction SilentlyContinue) -and
        (Get-Command dpkg-query -CommandType Application -ErrorAction SilentlyContinue)
    if (-not $haveApt) {
        Write-Host 'No apt-get here: tests that need a missing tool will be skipped.'
        return
    }
    $missing = @($script:TestPackages | Where-Object { "$(& dpkg-query -W -f '${Status}' $_ 2>$null)" -notlike '*install ok installed*' })
    if ($missing.Count -eq 0) { return }
    if ((& id -u) -ne '0') {
        Write-Host "Not root, so not installing $($missing -join ' '): tests that need them will be skipped."
        return
    }
    Write-Host "Installing $($missing -join ' ')"
    $env:DEBIAN_FRONTEND = 'noninteractive'
    & apt-get -o DPkg::Lock::Timeout=300 update
    if ($LASTEXITCODE -eq 0) { & apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends @missing }
    if ($LASTEXITCODE -ne 0) { Write-Host "apt-get failed (exit code $LASTEXITCODE): tests that need the missing tools will be skipped." }
}

function Invoke-Test {
    Install-TestPackages
    Invoke-Build -Quiet
    $passed = 0; $failed = 0; $skipped = 0

    # C# internals: xunit.
    $trx = Join-Path $out 'xunit'
    if (Test-Path $trx) { Remove-Item -Recurse -Force $trx }
    & dotnet test (Join-Path $root 'tests/ImageTools.UnitTests/ImageTools.UnitTests.csproj') -c $Configuration --nologo -v quiet `
        --logger "trx;LogFileName=unit.trx" --logger 'console;verbosity=minimal' --results-directory $trx 2>&1 |
        ForEach-Object { "$_" } | Where-Object { $_ -notmatch $script:TestPreamble -and $_.Trim() } | Write-Host
    $unitExit = $LASTEXITCODE
    $trxFile = Get-ChildItem $trx -Filter *.trx -Recurse | Select-Object -First 1
    if ($trxFile) {
        $counters = ([xml](Get-Content $trxFile.FullName -Raw)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error
        $skipped += [int]$counters.notExecuted
    }
    elseif ($unitExit -ne 0) { $failed += 1; Write-Host 'xunit: the unit test run failed before reporting results' }

    # Cmdlets and stores: Pester, in a child process so this session never loads the module dll.
    Invoke-Native dotnet @('restore', (Join-Path $root 'tests/Pester/Pester.csproj'), '--nologo', '-v', 'quiet')
    $resultFile = Join-Path $out 'pester.xml'
    $skippedFile = Join-Path $out 'pester-skipped.json'
    Remove-Item -LiteralPath $resultFile, $skippedFile -ErrorAction SilentlyContinue
    $env:IMAGETOOLS_HOSTILE_LOG = Join-Path $out 'hostile-cases.jsonl'
    Remove-Item -LiteralPath $env:IMAGETOOLS_HOSTILE_LOG -ErrorAction SilentlyContinue
    $runner = Join-Path $root 'tests/Invoke-PesterRun.ps1'
    $paths = if ($TestPath) { $TestPath } else { @(Join-Path $root 'tests') }
    Invoke-Pwsh (@('-File', $runner, '-ModulePath', (Join-Path $moduleOut 'ImageTools.psd1'), '-ResultPath', $resultFile,
        '-SkippedPath', $skippedFile, '-TestPath') + $paths)
    if (Test-Path $resultFile) {
        $r = [xml](Get-Content $resultFile -Raw)
        $suite = $r.'test-results'
        $passed += [int]$suite.total - [int]$suite.failures - [int]$suite.errors - [int]$suite['not-run'] - [int]$suite.skipped - [int]$suite.inconclusive - [int]$suite.ignored
        $failed += [int]$suite.failures + [int]$suite.errors
        $skipped += [int]$suite['not-run'] + [int]$suite.skipped + [int]$suite.inconclusive + [int]$suite.ignored
    }
    else { $failed += 1; Write-Host 'Pester: the run failed before writing results' }
    & (Join-Path $root 'tests/Hostile/Show-HostileTotals.ps1') -LogPath $env:IMAGETOOLS_HOSTILE_LOG

    if (Test-Path $skippedFile) {
        $byTool = (Get-Content -Raw $skippedFile | ConvertFrom-Json -AsHashtable)
        if ($byTool -and $byTool.Count) {
            Write-Host "Skipped for missing tools: $(($byTool.GetEnumerator() | ForEach-Object { "$($_.Key) $($_.Value)" }) -join ', ')"
        }
    }
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

function Invoke-Package {
    Invoke-Build
    $target = Join-Path $out "package/ImageTools/$version"
    if (Test-Path $target) { Remove-Item -Recurse -Force $target }
    New-Item -ItemType Directory -Force $target | Out-Null
    Copy-Item (Join-Path $moduleOut '*') $target -Recurse
    Write-Host "Packaged into $target. Install: copy $(Join-Path $out 'package/ImageTools') into a folder of `$env:PSModulePath, then Import-Module ImageTools."
}

function Invoke-Demo {
    Invoke-Build
    Invoke-Pwsh @('-File', (Join-Path $root 'tests/Demo.ps1'), '-ModulePath', (Join-Path $moduleOut 'ImageTools.psd1'))
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

foreach ($t in $Task) {
    switch ($t) {
        'Clean' { Invoke-Clean }
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Package' { Invoke-Package }
        'Demo' { Invoke-Demo }
    }
}
