<#
.SYNOPSIS
    The hostile suite's harness: runs one module command on damaged input, in a runspace of its own with a time
    limit, and says what happened. Every case is logged (JSON lines, $env:IMAGETOOLS_HOSTILE_LOG) so that
    Show-HostileTotals.ps1 can print the totals: tried, clear error, unclear error, crash, hang, wrote outside,
    silent mismatch, left behind, live data destroyed.

    A verdict is one of:
      ClearError        an ErrorRecord with one of the expected stable ids (or any stable id when none is given)
      Tolerated         no error, and the case says the input is tolerable (-SuccessAllowed)
      UnclearError      only errors with stable ids, none of them the expected one
      Crash             an error whose id is not one of the module's stable ids (a .NET exception leaked through)
      Hang              the command did not finish within the time limit
      WroteOutside      a path that must stay unchanged (the store read, folders beside a destination) changed
      SilentMismatch    no error at all on input that is wrong
      LeftBehind        a failed writer left its destination or a temp file in place
      LiveDataDestroyed the -LiveCheck found something in use that is gone
    The worst one wins, in the order: LiveDataDestroyed, WroteOutside, Hang, Crash, LeftBehind, SilentMismatch,
    UnclearError, ClearError/Tolerated.
#>

$script:StableIds = $null
$script:Runspace = $null

function Get-StableErrorIds {
    if (-not $script:StableIds) {
        Import-Module $env:IMAGETOOLS_MODULE
        $script:StableIds = @([Enum]::GetNames([ImageTools.ErrorId])) + @('AccessDenied')
    }
    return $script:StableIds
}

function New-CaseRunspace {
    $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
    $iss.ImportPSModule(@($env:IMAGETOOLS_MODULE))
    $rs = [runspacefactory]::CreateRunspace($iss)
    $rs.Open()
    return $rs
}

function Get-PathFingerprint([string] $Path) {
    # Type, size, mtime and sha256 of everything under a path; symlinks by target, never followed.
    if (-not (Test-Path -LiteralPath $Path)) { return "<absent>" }
    $root = (Get-Item -LiteralPath $Path -Force).FullName
    $items = @(Get-Item -LiteralPath $root -Force)
    if ($items[0].PSIsContainer -and -not $items[0].LinkType) {
        $items += @(Get-ChildItem -LiteralPath $root -Recurse -Force -Attributes !ReparsePoint -ErrorAction SilentlyContinue)
        $items += @(Get-ChildItem -LiteralPath $root -Recurse -Force -Attributes ReparsePoint -ErrorAction SilentlyContinue)
    }
    $lines = foreach ($i in $items | Sort-Object FullName -Unique) {
        $rel = $i.FullName.Substring($root.Length)
        if ($i.LinkType) { "L $rel -> $($i.Target)" }
        elseif ($i.PSIsContainer) { "D $rel $($i.LastWriteTimeUtc.Ticks)" }
        elseif ($i.UnixStat -and ($i.UnixStat.Mode -band 0xF000) -ne 0x8000) { "S $rel $($i.UnixStat.ItemType)" }
        else {
            $hash = try { (Get-FileHash -LiteralPath $i.FullName -Algorithm SHA256 -ErrorAction Stop).Hash } catch { 'unreadable' }
            "F $rel $($i.Length) $($i.LastWriteTimeUtc.Ticks) $hash"
        }
    }
    return ($lines -join "`n")
}

function Invoke-HostileCase {
    <#
    .SYNOPSIS
        Runs -Action (a script block run in a fresh runspace with the module; -Arguments is passed to it as $args[0])
        and returns the case record with its Verdict; the record is also logged.
    .PARAMETER Class
        The kind of damage: Corrupt, Truncated, Malformed, HostileName, PathAttack, BoltDamage, DockerRootDamage,
        KilledWriter, FailingWriter, DiskFull, GarbageRemoval, ReadOnlyStore, Explosion, Blocking.
    .PARAMETER ExpectErrorId
        The stable ids that count as the right answer; any stable id when omitted.
    .PARAMETER Unchanged
        Paths that must be byte-identical after the action (the store read; a folder beside a destination).
    .PARAMETER Destination
        A writer's destination: it must not exist after the action wrote an error.
    .PARAMETER NoTempFilesIn
        Folders where no temp file of the module (*.imagetools-*) may remain after the action.
    .PARAMETER LiveCheck
        Run after the action in the caller's scope; returns what is lost (strings). Empty: nothing lost.
    #>
    param(
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [string] $Class,
        [Parameter(Mandatory)] [scriptblock] $Action,
        [object] $Arguments,
        [string[]] $ExpectErrorId,
        [string[]] $Unchanged = @(),
        [string] $Destination,
        [string[]] $NoTempFilesIn = @(),
        [scriptblock] $LiveCheck,
        [switch] $SuccessAllowed,
        [int] $TimeoutSeconds = 60
    )
    $stable = Get-StableErrorIds
    $before = @{}
    foreach ($p in $Unchanged) { $before[$p] = Get-PathFingerprint $p }
    if (-not $script:Runspace) { $script:Runspace = New-CaseRunspace }

    $ps = [powershell]::Create()
    $ps.Runspace = $script:Runspace
    [void]$ps.AddScript('param($a, $action) $ErrorActionPreference = "Continue"; & ([scriptblock]::Create($action)) $a')
    [void]$ps.AddArgument($Arguments).AddArgument($Action.ToString())
    $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
    $inputs = [System.Management.Automation.PSDataCollection[psobject]]::new()
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $handle = $ps.BeginInvoke($inputs, $output)
    $hung = -not $handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSeconds))
    $ids = [System.Collections.Generic.List[string]]::new()
    $messages = [System.Collections.Generic.List[string]]::new()
    $terminating = $false
    if ($hung) {
        # A command stuck in a system call cannot be stopped; the runspace is given up and a new one made.
        [void]$ps.BeginStop($null, $null)
        $script:Runspace = $null
    }
    else {
        try { $ps.EndInvoke($handle) | Out-Null }
        catch {
            $terminating = $true
            $inner = $_.Exception
            while ($inner -is [System.Management.Automation.MethodInvocationException] -and $inner.InnerException) { $inner = $inner.InnerException }
            $record = if ($inner -is [System.Management.Automation.IContainsErrorRecord]) { $inner.ErrorRecord } else { $null }
            if ($record) { $ids.Add(($record.FullyQualifiedErrorId -split ',')[0]); $messages.Add($record.Exception.Message) }
            else { $ids.Add($inner.GetType().FullName); $messages.Add($inner.Message) }
        }
        foreach ($e in $ps.Streams.Error) { $ids.Add(($e.FullyQualifiedErrorId -split ',')[0]); $messages.Add($e.Exception.Message) }
        $ps.Dispose()
    }
    $sw.Stop()

    $changed = @($Unchanged | Where-Object { (Get-PathFingerprint $_) -ne $before[$_] })
    $leftovers = @()
    if ($ids.Count -gt 0 -and $Destination -and (Test-Path -LiteralPath $Destination)) { $leftovers += $Destination }
    foreach ($folder in $NoTempFilesIn) {
        if (Test-Path -LiteralPath $folder) {
            # ForEach-Object, not .FullName: member access on an empty result gives $null, which would count as one leftover
            $leftovers += @(Get-ChildItem -LiteralPath $folder -Recurse -Force -Filter '*.imagetools-*' -ErrorAction SilentlyContinue | ForEach-Object FullName)
        }
    }
    $lost = if ($LiveCheck -and -not $hung) { @(& $LiveCheck) } else { @() }
    $unstable = @($ids | Where-Object { $_ -notin $stable })
    $expected = if ($ExpectErrorId) { @($ids | Where-Object { $_ -in $ExpectErrorId }) } else { @($ids | Where-Object { $_ -in $stable }) }

    $verdict =
        if ($lost.Count -gt 0) { 'LiveDataDestroyed' }
        elseif ($changed.Count -gt 0) { 'WroteOutside' }
        elseif ($hung) { 'Hang' }
        elseif ($unstable.Count -gt 0) { 'Crash' }
        elseif ($leftovers.Count -gt 0) { 'LeftBehind' }
        elseif ($ids.Count -eq 0) { if ($SuccessAllowed) { 'Tolerated' } else { 'SilentMismatch' } }
        elseif ($expected.Count -eq 0) { 'UnclearError' }
        else { 'ClearError' }

    $case = [pscustomobject]@{
        Name = $Name; Class = $Class; Verdict = $verdict; ErrorIds = @($ids | Select-Object -Unique)
        Terminating = $terminating; Messages = @($messages | Select-Object -Unique -First 5)
        Changed = $changed; LeftBehind = $leftovers; Lost = $lost; Output = $output.Count; Seconds = [math]::Round($sw.Elapsed.TotalSeconds, 2)
    }
    if ($env:IMAGETOOLS_HOSTILE_LOG) {
        Add-Content -LiteralPath $env:IMAGETOOLS_HOSTILE_LOG -Value ($case | ConvertTo-Json -Compress -Depth 4)
    }
    return $case
}

function Assert-HostileCase {
    <# Throws with the whole record when the verdict is not one that holds. #>
    param([Parameter(Mandatory, ValueFromPipeline)] $Case, [string[]] $Accept = @('ClearError'))
    process {
        if ($Case.Verdict -notin $Accept) {
            throw "Hostile case '$($Case.Name)': $($Case.Verdict), expected $($Accept -join ' or '). $($Case | ConvertTo-Json -Depth 4)"
        }
    }
}

Export-ModuleMember -Function Invoke-HostileCase, Assert-HostileCase, Get-PathFingerprint
