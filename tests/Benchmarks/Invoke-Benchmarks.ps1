<#
.SYNOPSIS
    Runs every benchmark (tests/Benchmarks/*.Benchmark.ps1) against its reference tool and prints one table of ratios.
.DESCRIPTION
    Each script runs in its own pwsh process (a fresh session: no module or JIT state carried from one to the next),
    with -ModulePath, and with -Quick when this script has -Quick. The rows a script writes to its output
    (New-BenchmarkRow, BenchmarkRow.psm1) are collected; what it prints with Write-Host shows as it runs. At the end
    one table: Work, Seconds, Reference, ReferenceSeconds, TimeRatio (ours / theirs: 0.5 is twice as fast), Goal (the
    largest TimeRatio issue 14 allows), Met, MemoryMiB; then the notes of the rows, and /proc/loadavg before and after.
    Benchmarks are timings: they are never part of the test run.

    The convention every *.Benchmark.ps1 follows:
      - param [string] $ModulePath (the built module's psd1) and [switch] $Quick (small sizes that finish in about
        a minute; the sizes the issue names otherwise). Other parameters keep their defaults here.
      - a line "# BenchmarkNeeds: <need> <need> ..." in the file lists what it cannot run without: 'root', a command
        on PATH (ctr, containerd, skopeo, du ...) or 'python3:<module>' (a module python3 must import). A script
        whose need is missing is skipped with a line saying which; no line means it needs nothing.
      - it writes one New-BenchmarkRow per measured work, our time against the reference tool's in the same run,
        with GoalTimeRatio from the issue and MemoryMiB where memory is part of the goal.
.PARAMETER Name
    Run only the scripts whose name (without .Benchmark.ps1) matches one of these wildcard patterns (a,b works from
    a shell too).
.PARAMETER Quick
    Pass -Quick to every script: small sizes, for a look while developing (the ratios of small sizes say less).
.PARAMETER BusyCore
    Keep one core busy for the whole run with a separate process (a pwsh spinning), started here and stopped by its
    PID at the end: the table under load, as issue 14 asks for next to the quiet one.
.PARAMETER PassThru
    Also write the rows to the output (for Export-Csv, ConvertTo-Json).
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Build; dotnet pwsh tests/Benchmarks/Invoke-Benchmarks.ps1
.EXAMPLE
    dotnet pwsh tests/Benchmarks/Invoke-Benchmarks.ps1 -Name Import,Containerd* -Quick -BusyCore
#>
[CmdletBinding(DefaultParameterSetName = 'All')]
param(
    [Parameter(ParameterSetName = 'All')]
    [string[]] $Name = '*',
    [switch] $Quick,
    [Parameter(ParameterSetName = 'All')]
    [switch] $BusyCore,
    [Parameter(ParameterSetName = 'All')]
    [switch] $PassThru,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ImageTools/ImageTools.psd1'),
    # Internal: run one script in this (child) process and write its rows to -RowsPath.
    [Parameter(ParameterSetName = 'One', Mandatory)]
    [string] $RunOne,
    [Parameter(ParameterSetName = 'One', Mandatory)]
    [string] $RowsPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }

if ($PSCmdlet.ParameterSetName -eq 'One') {
    # the benchmark scripts (and the test helpers they dot-source) are written without strict mode, as when run alone
    Set-StrictMode -Off
    $parameters = (Get-Command $RunOne).Parameters
    $arguments = @{}
    if ($parameters.ContainsKey('ModulePath')) { $arguments.ModulePath = $ModulePath }
    if ($Quick -and $parameters.ContainsKey('Quick')) { $arguments.Quick = $true }
    $rows = @(& $RunOne @arguments | Where-Object { $_ -and $_.PSObject.TypeNames -contains 'ImageTools.BenchmarkRow' })
    $rows | Export-Clixml -LiteralPath $RowsPath -Depth 2
    return
}

$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
# -Name a,b from a shell (pwsh -File) arrives as one string
$Name = @($Name | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
# The pwsh running this script: a plain pwsh, or pwsh.dll run by dotnet as a local tool.
$pwsh = @((Get-Process -Id $PID).Path)
if ((Split-Path -Leaf $pwsh[0]) -like 'dotnet*') { $pwsh += (Join-Path $PSHOME 'pwsh.dll') }

function Get-MissingNeed([string] $Path) {
    $line = Select-String -LiteralPath $Path -Pattern '^\s*#\s*BenchmarkNeeds:\s*(.*)$' | Select-Object -First 1
    if (-not $line) { return @() }
    foreach ($need in ($line.Matches[0].Groups[1].Value -split '\s+' | Where-Object { $_ })) {
        if ($need -eq 'root') {
            if (-not $IsLinux -or (& id -u) -ne '0') { 'root' }
        }
        elseif ($need -like 'python3:*') {
            $module = $need.Substring(8)
            if (-not (Get-Command python3 -CommandType Application -ErrorAction SilentlyContinue)) { 'python3' }
            else {
                & python3 -c "import $module" 2>$null
                if ($LASTEXITCODE -ne 0) { "python3 module $module" }
            }
        }
        elseif (-not (Get-Command $need -CommandType Application -ErrorAction SilentlyContinue)) { $need }
    }
}

function Get-LoadAverage { if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg -Raw).Trim() } else { 'n/a' } }

$scripts = @(Get-ChildItem -LiteralPath $PSScriptRoot -Filter '*.Benchmark.ps1' | Sort-Object Name | Where-Object {
        $short = $_.Name -replace '\.Benchmark\.ps1$', ''
        @($Name | Where-Object { $short -like $_ }).Count -gt 0
    })
if ($scripts.Count -eq 0) { throw "No benchmark script under $PSScriptRoot matches $($Name -join ', ')." }

$busy = $null
$rows = [System.Collections.Generic.List[object]]::new()
$skipped = [System.Collections.Generic.List[string]]::new()
$work = Join-Path ([IO.Path]::GetTempPath()) ("imagetools-benchmarks-" + [guid]::NewGuid().ToString('n').Substring(0, 8))
New-Item -ItemType Directory -Path $work | Out-Null
$loadBefore = Get-LoadAverage
try {
    if ($BusyCore) {
        $spin = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', 'while ($true) { }')
        $busy = Start-Process -FilePath $pwsh[0] -ArgumentList $spin -PassThru
        Write-Host "Keeping one core busy: process $($busy.Id)"
    }
    foreach ($script in $scripts) {
        $short = $script.Name -replace '\.Benchmark\.ps1$', ''
        $missing = @(Get-MissingNeed $script.FullName)
        if ($missing.Count -gt 0) {
            $line = "$short skipped: needs $($missing -join ', ')"
            $skipped.Add($line)
            Write-Host $line
            continue
        }
        Write-Host "== $short$(if ($Quick) { ' (-Quick)' })"
        $rowsPath = Join-Path $work "$short.clixml"
        $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $PSCommandPath,
            '-RunOne', $script.FullName, '-RowsPath', $rowsPath, '-ModulePath', $ModulePath)
        if ($Quick) { $arguments += '-Quick' }
        & $pwsh[0] @arguments
        if ($LASTEXITCODE -ne 0 -or -not (Test-Path -LiteralPath $rowsPath)) {
            $line = "$short failed (exit code $LASTEXITCODE): no rows"
            $skipped.Add($line)
            Write-Host $line
            continue
        }
        $got = @(Import-Clixml -LiteralPath $rowsPath)
        if ($got.Count -eq 0) { $skipped.Add("$short wrote no rows"); Write-Host "$short wrote no rows" }
        foreach ($row in $got) { $rows.Add($row) }
    }
}
finally {
    if ($busy) { Stop-Process -Id $busy.Id -ErrorAction SilentlyContinue }
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}
$loadAfter = Get-LoadAverage

Write-Host ''
Write-Host ("Benchmarks{0}{1}; /proc/loadavg before: {2}; after: {3}; {4} logical processors" -f
    $(if ($Quick) { ' (-Quick sizes)' }), $(if ($BusyCore) { ', one core kept busy' } else { '' }), $loadBefore, $loadAfter, [Environment]::ProcessorCount)
if ($rows.Count -eq 0) { Write-Host 'No rows.' }
$rows | Format-Table -AutoSize -Property Work, Seconds, Reference, ReferenceSeconds, TimeRatio,
    @{ Name = 'Goal'; Expression = { if ([double]::IsNaN([double]$_.GoalTimeRatio)) { '' } else { $_.GoalTimeRatio } } },
    Met, MemoryMiB | Out-String -Width 300 | Write-Host
foreach ($row in $rows) { if ($row.Note) { Write-Host "$($row.Work): $($row.Note)" } }
foreach ($line in $skipped) { Write-Host $line }
if ($PassThru) { $rows }
