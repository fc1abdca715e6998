<#
.SYNOPSIS
    Runs the Pester tests against a built module; called by build.ps1 -Task Test in a child process.
.DESCRIPTION
    Besides the NUnit results, writes -SkippedPath (JSON): how many skipped tests needed each missing real tool,
    from their 'needs:<tool>' tags (Get-RealToolNeed in TestHelpers.psm1), e.g. {"skopeo": 20, "dockerd+containerd": 7}.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultPath,
    [string[]] $TestPath = @($PSScriptRoot),
    [string] $SkippedPath
)
$ErrorActionPreference = 'Stop'
# Results, not noise: no colour codes in a log (Pester's own output, and errors and tables formatted by pwsh).
$PSStyle.OutputRendering = 'PlainText'
$pesterHome = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages/pester/6.2.0/tools'
if ($env:NUGET_PACKAGES) { $pesterHome = Join-Path $env:NUGET_PACKAGES 'pester/6.2.0/tools' }
Import-Module (Join-Path $pesterHome 'Pester.psd1') -Force
Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
$env:IMAGETOOLS_MODULE = (Resolve-Path $ModulePath).Path

$config = New-PesterConfiguration
# From build.ps1 through -File, several paths arrive as one comma-separated string.
$config.Run.Path = @($TestPath | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
$config.Run.Exit = $false
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$config.Output.RenderMode = 'Plaintext'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = $ResultPath
$run = Invoke-Pester -Configuration $config

# The tools a skipped test was tagged as needing (on itself or an enclosing block) that this machine lacks.
$byTool = [ordered]@{}
foreach ($test in $run.Skipped) {
    $tags = @($test.Tag)
    for ($b = $test.Block; $b; $b = $b.Parent) { $tags += @($b.Tag) }
    $needed = @($tags | Where-Object { $_ -like 'needs:*' } | ForEach-Object { $_.Substring(6) } | Select-Object -Unique)
    $missing = @(Get-MissingRealTool $needed)
    if ($missing.Count -eq 0) { continue }
    $key = $missing -join '+'
    $byTool[$key] = 1 + [int]$byTool[$key]
}
if ($SkippedPath) { $byTool | ConvertTo-Json | Set-Content -LiteralPath $SkippedPath }

# A hostile case judged Hang leaves a thread stuck in a system call (a FIFO opened for reading); it must not keep
# this process, and so the test command, from ending.
[Environment]::Exit(0)
