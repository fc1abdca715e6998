<#
.SYNOPSIS
    Wall time and CPU time of one piece of work, for benchmarks run on a shared machine: the wall-clock ratio moves
    with the load, the CPU-time ratio much less. CPU time is read from /proc/self/stat (this process's own time plus
    that of the children it waited for, so a `bash -c "gzip -dc | sha256sum"` is counted whole).
#>
Import-Module (Join-Path $PSScriptRoot 'BenchmarkRow.psm1')

function Get-CpuSeconds {
    $stat = Get-Content -Raw /proc/self/stat
    # fields after "pid (comm) ": state ppid ... utime(14) stime(15) cutime(16) cstime(17), counted from 1
    $f = $stat.Substring($stat.LastIndexOf(')') + 2) -split ' '
    ([long]$f[11] + [long]$f[12] + [long]$f[13] + [long]$f[14]) / 100.0
}

function Measure-Work {
    <# The best (shortest) of -Runs runs: its wall seconds and the CPU seconds it took. #>
    param([Parameter(Mandatory)] [scriptblock] $Block, [int] $Runs = 3)
    $best = $null
    for ($i = 0; $i -lt $Runs; $i++) {
        $cpu = Get-CpuSeconds
        $sw = [Diagnostics.Stopwatch]::StartNew()
        & $Block | Out-Null
        $wall = $sw.Elapsed.TotalSeconds
        $used = (Get-CpuSeconds) - $cpu
        if (-not $best -or $wall -lt $best.Seconds) { $best = [pscustomobject]@{ Seconds = $wall; CpuSeconds = $used } }
    }
    $best
}

function Get-LoadAverage { ((Get-Content -Raw /proc/loadavg) -split ' ')[0..2] -join ' ' }

function Format-WorkNote {
    <# The note of a benchmark row on a shared machine: the CPU-time ratio and the load average while it ran. #>
    param([Parameter(Mandatory)] $Ours, [Parameter(Mandatory)] $Theirs, [string] $Extra)
    $cpuRatio = if ($Theirs.CpuSeconds -gt 0) { $Ours.CpuSeconds / $Theirs.CpuSeconds } else { [double]::NaN }
    $note = 'cpu {0:N2}s vs {1:N2}s (ratio {2:N2}); load {3}' -f $Ours.CpuSeconds, $Theirs.CpuSeconds, $cpuRatio, (Get-LoadAverage)
    if ($Extra) { $note += "; $Extra" }
    $note
}

function New-WorkRow {
    <# New-BenchmarkRow from two Measure-Work results, its note giving the CPU-time ratio and the load average. #>
    param(
        [Parameter(Mandatory)] [string] $Work, [Parameter(Mandatory)] $Ours,
        [Parameter(Mandatory)] [string] $Reference, [Parameter(Mandatory)] $Theirs,
        [double] $Goal = [double]::NaN, [double] $MemoryMiB = [double]::NaN, [string] $Extra
    )
    New-BenchmarkRow -Work $Work -Seconds $Ours.Seconds -Reference $Reference -ReferenceSeconds $Theirs.Seconds -GoalTimeRatio $Goal `
        -MemoryMiB $MemoryMiB -Note (Format-WorkNote $Ours $Theirs $Extra)
}

Export-ModuleMember -Function Get-CpuSeconds, Measure-Work, Get-LoadAverage, Format-WorkNote, New-WorkRow
