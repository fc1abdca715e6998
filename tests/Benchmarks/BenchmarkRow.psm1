<#
.SYNOPSIS
    The one shape every benchmark script emits, so that Invoke-Benchmarks.ps1 can print one table of ratios.
.DESCRIPTION
    A benchmark script prints what it likes with Write-Host and writes one row per measured work to its output with
    New-BenchmarkRow. TimeRatio is our time over the reference tool's time in the same run (0.5 = twice as fast);
    GoalTimeRatio is the largest TimeRatio the issue allows ("at least 2x as fast" is 0.5, "within 1.2x" is 1.2).
#>
function New-BenchmarkRow {
    param(
        [Parameter(Mandatory)] [string] $Work,
        [Parameter(Mandatory)] [double] $Seconds,
        [Parameter(Mandatory)] [string] $Reference,
        [Parameter(Mandatory)] [double] $ReferenceSeconds,
        [double] $GoalTimeRatio = [double]::NaN,
        [double] $MemoryMiB = [double]::NaN,
        [string] $Note = ''
    )
    $ratio = if ($ReferenceSeconds -gt 0) { $Seconds / $ReferenceSeconds } else { [double]::NaN }
    [pscustomobject]@{
        PSTypeName       = 'ImageTools.BenchmarkRow'
        Work             = $Work
        Seconds          = [math]::Round($Seconds, 3)
        Reference        = $Reference
        ReferenceSeconds = [math]::Round($ReferenceSeconds, 3)
        TimeRatio        = [math]::Round($ratio, 2)
        GoalTimeRatio    = $GoalTimeRatio
        Met              = if ([double]::IsNaN($GoalTimeRatio)) { $null } else { $ratio -le $GoalTimeRatio }
        MemoryMiB        = if ([double]::IsNaN($MemoryMiB)) { $null } else { [math]::Round($MemoryMiB, 1) }
        Note             = $Note
    }
}

function Measure-BestSeconds {
    param([Parameter(Mandatory)] [scriptblock] $Block, [int] $Runs = 3)
    (1..$Runs | ForEach-Object {
            $sw = [Diagnostics.Stopwatch]::StartNew(); & $Block | Out-Null; $sw.Elapsed.TotalSeconds
        } | Measure-Object -Minimum).Minimum
}

Export-ModuleMember -Function New-BenchmarkRow, Measure-BestSeconds
