<#
.SYNOPSIS
    Makes a copy of the running pwsh with its own assemblies precompiled (ReadyToRun), as Microsoft builds the pwsh
    of its packages, to run the benchmarks under.
.DESCRIPTION
    The pwsh this repository installs is the NuGet dotnet tool, which PowerShell publishes framework-dependent and so
    without ReadyToRun (PowerShell.Common.props: PublishReadyToRun is false for FxDependent); its deb, rpm and tar.gz
    packages are self-contained Release builds with ReadyToRun on. An IL-only pwsh compiles its own engine code in
    every new process: about 100 ms of any Import-Module and of a new session's first pipeline here. This script copies
    $PSHOME to -Destination and compiles System.Management.Automation, the Microsoft.PowerShell.* assemblies, pwsh and
    Microsoft.ApplicationInsights there with crossgen2 from the NuGet cache (the module's own ReadyToRun build restores
    it; run `dotnet pwsh ./build.ps1 -Task Build` first). An assembly crossgen2 refuses is left as it was.
    Nothing outside -Destination changes. Then, for example:
        dotnet <Destination>/pwsh.dll tests/Benchmarks/Invoke-Benchmarks.ps1 -Name Import,ContainerdContent
    runs those benchmarks, and every pwsh they start, on the precompiled copy.
.EXAMPLE
    dotnet pwsh tests/Benchmarks/New-ReadyToRunPwsh.ps1 -Destination /tmp/pwsh-r2r
#>
param([Parameter(Mandatory)] [string] $Destination)
$ErrorActionPreference = 'Stop'
$runtime = [System.Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory().TrimEnd('/')
$version = Split-Path -Leaf $runtime
$rid = [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
$packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
$crossgen = Join-Path $packages "microsoft.netcore.app.crossgen2.$rid/$version/tools/crossgen2"
if (-not (Test-Path -LiteralPath $crossgen)) { throw "crossgen2 $version for $rid is not in ${packages}: build the module first (dotnet pwsh ./build.ps1 -Task Build)" }
if (Test-Path -LiteralPath $Destination) { throw "$Destination exists: give a new folder" }
Copy-Item -LiteralPath $PSHOME -Destination $Destination -Recurse
$work = Join-Path $Destination '.r2r'
New-Item -ItemType Directory $work | Out-Null
$targetOs = if ($IsLinux) { 'linux' } elseif ($IsMacOS) { 'osx' } else { 'windows' }
$arch = [System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString().ToLowerInvariant()
$names = @('System.Management.Automation.dll', 'pwsh.dll', 'Microsoft.ApplicationInsights.dll') +
    @(Get-ChildItem -LiteralPath $Destination -Filter 'Microsoft.PowerShell.*.dll' | ForEach-Object Name)
foreach ($name in $names) {
    $output = Join-Path $work $name
    # a response file: pwsh would expand the *.dll of a reference given on the command line into many arguments
    $rsp = Join-Path $work "$name.rsp"
    Set-Content -LiteralPath $rsp -Value @((Join-Path $Destination $name), '-o', $output, '-r', (Join-Path $Destination '*.dll'),
        '-r', (Join-Path $runtime '*.dll'), '--targetos', $targetOs, '--targetarch', $arch, '-O')
    & $crossgen "@$rsp" *> (Join-Path $work "$name.log")
    if ($LASTEXITCODE -eq 0) { Move-Item -LiteralPath $output -Destination (Join-Path $Destination $name) -Force; Write-Host "precompiled $name" }
    else { Write-Host "left $name as it was (crossgen2 exit code $LASTEXITCODE)" }
}
Remove-Item -LiteralPath $work -Recurse -Force
Write-Host "dotnet $(Join-Path $Destination 'pwsh.dll') runs the precompiled copy"
