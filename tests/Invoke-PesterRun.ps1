<#
.SYNOPSIS
    Runs the Pester tests against a built module; called by build.ps1 -Task Test in a child process.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultPath,
    [string[]] $TestPath = @($PSScriptRoot)
)
$ErrorActionPreference = 'Stop'
$pesterHome = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages/pester/6.2.0/tools'
if ($env:NUGET_PACKAGES) { $pesterHome = Join-Path $env:NUGET_PACKAGES 'pester/6.2.0/tools' }
Import-Module (Join-Path $pesterHome 'Pester.psd1') -Force
$env:IMAGETOOLS_MODULE = (Resolve-Path $ModulePath).Path

$config = New-PesterConfiguration
# From build.ps1 through -File, several paths arrive as one comma-separated string.
$config.Run.Path = @($TestPath | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
$config.Run.Exit = $false
$config.Output.Verbosity = 'Normal'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = $ResultPath
Invoke-Pester -Configuration $config | Out-Null
