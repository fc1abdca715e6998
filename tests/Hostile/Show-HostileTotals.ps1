<#
.SYNOPSIS
    Prints the hostile suite's totals from the case log written by tests/Hostile/Hostile.psm1 (JSON lines): one row per
    class of damage and a total, with the counts of each verdict.
#>
param([Parameter(Mandatory)] [string] $LogPath)
if (-not (Test-Path -LiteralPath $LogPath)) { return }
$cases = @(Get-Content -LiteralPath $LogPath | Where-Object { $_ } | ConvertFrom-Json)
if ($cases.Count -eq 0) { return }
$verdicts = 'ClearError', 'Tolerated', 'UnclearError', 'Crash', 'Hang', 'WroteOutside', 'SilentMismatch', 'LeftBehind', 'LiveDataDestroyed'
function Get-Row([string] $Label, $Group) {
    $row = [ordered]@{ Class = $Label; Tried = $Group.Count }
    foreach ($v in $verdicts) { $row[$v] = @($Group | Where-Object Verdict -eq $v).Count }
    [pscustomobject]$row
}
$rows = @($cases | Group-Object Class | Sort-Object Name | ForEach-Object { Get-Row $_.Name $_.Group }) + @(Get-Row 'Total' $cases)
Write-Host 'Hostile suite totals (tests/Hostile):'
# -Property *: without it Format-Table shows only the first 10 columns and hides LiveDataDestroyed.
$rows | Format-Table -Property * -AutoSize | Out-String -Width 220 | Write-Host
