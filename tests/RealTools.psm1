<#
    Which real tools this machine can run (tests that need one declare it with Get-RealToolNeed), and their daemons
    for interop tests: a private dockerd and a private containerd, each with its own root in a temp folder and a
    unix socket there; stopped by the PID we started, never by name.
#>

# The daemons, and the clients that only talk to a private daemon we start: these need root as well.
$script:RootTools = @('dockerd', 'containerd', 'ctr', 'runc', 'docker')

function Test-RealTool([string[]] $Name) {
    <# Whether every tool named is installed (and, for the daemons, whether we are root to run them). #>
    @(Get-MissingRealTool $Name).Count -eq 0
}

function Get-MissingRealTool([string[]] $Name) {
    <# The tools named that this machine cannot run: not installed, or a daemon and not root. #>
    $isRoot = $IsLinux -and ((& id -u) -eq '0')
    foreach ($n in $Name) {
        $found = [bool](Get-Command $n -CommandType Application -ErrorAction SilentlyContinue)
        if (-not $found -or ($n -in $script:RootTools -and -not $isRoot)) { $n }
    }
}

function Get-RealToolNeed([string[]] $Name) {
    <#
        Splat it on a Describe, Context or It that runs real tools live (`$needs = Get-RealToolNeed skopeo` in
        BeforeDiscovery, then `It 'name' @needs { }`): tags it 'needs:<tool>' for each tool, which the run's summary
        counts skips by, and skips it when one of them is missing.
    #>
    @{ Tag = @($Name | ForEach-Object { "needs:$_" }); Skip = -not (Test-RealTool $Name) }
}

function Wait-Until([scriptblock] $Condition, [int] $Seconds = 30, [string] $What) {
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        if (& $Condition) { return }
        Start-Sleep -Milliseconds 200
    }
    throw "Timed out after $Seconds s waiting for $What"
}

function Start-PrivateDockerd {
    $dir = Join-Path ([IO.Path]::GetTempPath()) "it-dockerd-$([guid]::NewGuid().ToString('N').Substring(0,8))"
    New-Item -ItemType Directory -Force $dir | Out-Null
    $sock = "$dir/docker.sock"
    $log = "$dir/dockerd.log"
    $p = Start-Process -FilePath dockerd -PassThru -RedirectStandardError $log -RedirectStandardOutput "$dir/dockerd.out" -ArgumentList @(
        '--data-root', "$dir/root", '--exec-root', "$dir/exec", '--host', "unix://$sock", '--pidfile', "$dir/dockerd.pid",
        '--storage-driver', 'overlay2', '--iptables=false', '--ip6tables=false', '--bridge=none')
    $d = [pscustomobject]@{ Process = $p; Dir = $dir; Socket = $sock; Log = $log }
    try { Wait-Until { & /usr/bin/docker -H "unix://$sock" version *> $null; $LASTEXITCODE -eq 0 } 60 'dockerd' }
    catch { Stop-PrivateDockerd $d; throw "dockerd did not start: $(Get-Content $log -Tail 20 -ErrorAction SilentlyContinue)" }
    $d
}

function Invoke-PrivateDocker($Daemon, [string[]] $Arguments) {
    $out = & /usr/bin/docker -H "unix://$($Daemon.Socket)" @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "docker $($Arguments -join ' ') failed: $out" }
    $out
}

function Stop-PrivateDockerd($Daemon) {
    if (-not $Daemon) { return }
    if (-not $Daemon.Process.HasExited) {
        Stop-Process -Id $Daemon.Process.Id -ErrorAction SilentlyContinue
        if (-not $Daemon.Process.WaitForExit(20000)) { Stop-Process -Id $Daemon.Process.Id -Force -ErrorAction SilentlyContinue }
    }
    Remove-PrivateRoot $Daemon.Dir
}

function Start-PrivateContainerd {
    $dir = Join-Path ([IO.Path]::GetTempPath()) "it-containerd-$([guid]::NewGuid().ToString('N').Substring(0,8))"
    New-Item -ItemType Directory -Force $dir | Out-Null
    $sock = "$dir/ctrd.sock"
    @"
version = 2
root = "$dir/root"
state = "$dir/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$sock"
[ttrpc]
  address = "$sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/opt"
"@ | Set-Content "$dir/config.toml"
    $log = "$dir/containerd.log"
    $p = Start-Process -FilePath containerd -PassThru -RedirectStandardError $log -RedirectStandardOutput "$dir/containerd.out" -ArgumentList @('--config', "$dir/config.toml")
    $c = [pscustomobject]@{ Process = $p; Dir = $dir; Socket = $sock; Root = "$dir/root"; Log = $log }
    try { Wait-Until { & ctr -a $sock version *> $null; $LASTEXITCODE -eq 0 } 60 'containerd' }
    catch { Stop-PrivateContainerd $c; throw "containerd did not start: $(Get-Content $log -Tail 20 -ErrorAction SilentlyContinue)" }
    $c
}

function Invoke-PrivateCtr($Daemon, [string[]] $Arguments) {
    $out = & ctr -a $Daemon.Socket @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "ctr $($Arguments -join ' ') failed: $out" }
    $out
}

function Stop-PrivateContainerd($Daemon, [switch] $KeepRoot) {
    if (-not $Daemon) { return }
    if (-not $Daemon.Process.HasExited) {
        Stop-Process -Id $Daemon.Process.Id -ErrorAction SilentlyContinue
        if (-not $Daemon.Process.WaitForExit(20000)) { Stop-Process -Id $Daemon.Process.Id -Force -ErrorAction SilentlyContinue }
    }
    if (-not $KeepRoot) { Remove-PrivateRoot $Daemon.Dir }
}

function Remove-PrivateRoot([string] $Dir) {
    if (-not $Dir -or -not (Test-Path $Dir)) { return }
    # Unmount anything a daemon left mounted below its root, deepest first, then make mode-0000 folders removable.
    Get-Content /proc/self/mounts | ForEach-Object { ($_ -split ' ')[1] } | Where-Object { $_.StartsWith($Dir) } |
        Sort-Object Length -Descending | ForEach-Object { & umount -l $_ 2>$null }
    & chmod -R u+rwx $Dir 2>$null
    Remove-Item -Recurse -Force $Dir -ErrorAction SilentlyContinue
}

Export-ModuleMember -Function Test-RealTool, Get-MissingRealTool, Get-RealToolNeed, Wait-Until, Start-PrivateDockerd, Invoke-PrivateDocker, Stop-PrivateDockerd,
    Start-PrivateContainerd, Invoke-PrivateCtr, Stop-PrivateContainerd, Remove-PrivateRoot
