<#
.SYNOPSIS
    Times Invoke-Command over 8 concurrent localhost SSH sessions against one session and against running the same
    command locally, on a host tree made from the committed fixtures (tests/Fixtures/host/HostTreeFixture.ps1).
.DESCRIPTION
    Starts a private sshd (tests/Remoting/Remoting.psm1: 127.0.0.1, a free port, temp keys, this pwsh as the powershell
    subsystem), opens the sessions (timed: that is what a fleet run pays first), imports the module in each, then
    times, best of -Runs: the command locally, Invoke-Command on one session, and Invoke-Command on all sessions at
    once (each session reads the same tree: 8 hosts' worth of work on one machine with 2 cores, so this measures the
    fan-out's overhead, not a fleet's speed). Prints the times and the ratios. Needs root (sshd, the Docker fixture).
.EXAMPLE
    dotnet pwsh tests/Benchmarks/Remoting.Benchmark.ps1 -ModulePath ./out/ImageTools/ImageTools.psd1
#>
# BenchmarkNeeds: root sshd
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ImageTools/ImageTools.psd1'),
    # 2 sessions, 1 timed run
    [switch] $Quick,
    [int] $Sessions = $(if ($Quick) { 2 } else { 8 }),
    [int] $Runs = $(if ($Quick) { 1 } else { 3 }),
    [string] $Command = 'Get-ImageStore -Root $root | Test-ImageBlob -DiffId'
)
$ErrorActionPreference = 'Stop'
$Module = (Resolve-Path $ModulePath).Path
Import-Module $Module -Force
Import-Module (Join-Path $PSScriptRoot 'BenchmarkRow.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../Remoting/Remoting.psm1') -Force
. (Join-Path $PSScriptRoot '../Fixtures/host/HostTreeFixture.ps1')

$work = (& mktemp -d -t imagetools-bench-remoting.XXXXXX)
$sshd = $null; $all = @()
try {
    $root = New-HostTree -Destination "$work/host"
    $sb = [scriptblock]::Create("param(`$root) $Command")
    $sshd = Start-PrivateSshd
    $t = [Diagnostics.Stopwatch]::StartNew()
    $all = @(New-PrivateSshSession $sshd -HostName (@('127.0.0.1') * $Sessions))
    Invoke-Command -Session $all -ScriptBlock { param($m) Import-Module $m } -ArgumentList $Module
    $open = $t.Elapsed.TotalSeconds

    function Measure-Best([scriptblock] $Action) {
        $best = [double]::MaxValue; $count = 0
        $null = & $Action   # warm-up: JIT and file cache, untimed
        for ($i = 0; $i -lt $Runs; $i++) {
            $w = [Diagnostics.Stopwatch]::StartNew()
            $count = @(& $Action).Count
            $best = [Math]::Min($best, $w.Elapsed.TotalSeconds)
        }
        [pscustomobject]@{ Seconds = $best; Objects = $count }
    }
    $local = Measure-Best { & $sb $root }
    $one = Measure-Best { Invoke-Command -Session $all[0] -ScriptBlock $sb -ArgumentList $root }
    $fan = Measure-Best { Invoke-Command -Session $all -ScriptBlock $sb -ArgumentList $root }

    Write-Host "Command: $Command   ($([Environment]::ProcessorCount) cores, best of $Runs)"
    Write-Host ("Open $Sessions sessions and import the module: {0:N2} s" -f $open)
    Write-Host ("Local:                          {0,7:N3} s  {1,5} objects" -f $local.Seconds, $local.Objects)
    Write-Host ("Invoke-Command, 1 session:      {0,7:N3} s  {1,5} objects  ({2:N2}x local)" -f $one.Seconds, $one.Objects, ($one.Seconds / $local.Seconds))
    Write-Host ("Invoke-Command, $Sessions sessions:     {0,7:N3} s  {1,5} objects  ({2:N2}x local, {3:N2}x one session)" -f $fan.Seconds, $fan.Objects, ($fan.Seconds / $local.Seconds), ($fan.Seconds / $one.Seconds))
    New-BenchmarkRow -Work 'Invoke-Command, 1 SSH session' -Seconds $one.Seconds -Reference 'the same command locally' -ReferenceSeconds $local.Seconds
    New-BenchmarkRow -Work "Invoke-Command, $Sessions SSH sessions at once" -Seconds $fan.Seconds -Reference 'Invoke-Command, 1 SSH session' -ReferenceSeconds $one.Seconds `
        -Note "opening $Sessions sessions and importing the module: $([math]::Round($open, 2)) s"
}
finally {
    if ($all) { $all | Remove-PSSession }
    Stop-PrivateSshd $sshd
    & chmod -R u+rwx $work 2>$null
    # rm, not Remove-Item: the host tree's symlinks (etc/mtab -> /proc/mounts) left the folder behind
    & rm -rf -- $work
}
