<#
.SYNOPSIS
    Builds the one-cmdlet binary module PwshFloor into -OutputPath and writes the path of its manifest (nothing when
    the build fails). The benchmarks import it as ImageTools is imported: what it takes is pwsh's own part.
#>
param([Parameter(Mandatory)] [string] $OutputPath)
& dotnet build (Join-Path $PSScriptRoot 'PwshFloor.csproj') -c Release -o $OutputPath --nologo -v quiet | Out-Null
if ($LASTEXITCODE) { Write-Host 'building tests/Benchmarks/pwshfloor failed: no floor row'; return }
Join-Path $OutputPath 'PwshFloor.psd1'
