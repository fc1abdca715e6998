<#
    PowerShell remoting to this machine for the tests: a private sshd (Debian's openssh-server) listening on loopback
    addresses only, with a host key, an authorized key and a config of its own in a temp folder, and this pwsh (the
    local dotnet tool: dotnet + $PSHOME/pwsh.dll) as its powershell subsystem. Nothing system-wide changes except that
    /run/sshd (sshd's privilege-separation folder) is created when missing. Stopped by the PID it wrote.
#>

function Get-SshdNeed {
    <# Splat on a Describe: tags it needs:sshd, and skips it unless sshd, ssh, ssh-keygen are installed and we are root (sshd logs in as root). #>
    $isRoot = $IsLinux -and ((& id -u) -eq '0')
    $missing = @('sshd', 'ssh', 'ssh-keygen' | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction SilentlyContinue) })
    @{ Tag = @('needs:sshd'); Skip = ($missing.Count -gt 0 -or -not $isRoot) }
}

function Get-FreeLoopbackPort {
    $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $l.Start()
    try { $l.LocalEndpoint.Port } finally { $l.Stop() }
}

function Start-PrivateSshd {
    <#
        Starts sshd on 127.0.0.1 (and on 127.0.0.2, 127.0.0.3... when -Addresses asks: each loopback address stands for one
        host of a fleet, so PSComputerName tells them apart). Returns @{ Dir; Port; KeyFile; Pid; Addresses; Log }.
    #>
    param([int] $Addresses = 1)
    $dir = (& mktemp -d -t imagetools-sshd.XXXXXX)
    & ssh-keygen -q -t ed25519 -N '' -C imagetools-test-host -f "$dir/hostkey"
    & ssh-keygen -q -t ed25519 -N '' -C imagetools-test-user -f "$dir/userkey"
    Copy-Item "$dir/userkey.pub" "$dir/authorized_keys"
    $port = Get-FreeLoopbackPort
    $addrs = @(1..$Addresses | ForEach-Object { "127.0.0.$_" })
    $dotnet = (Get-Process -Id $PID).Path               # the dotnet host running this pwsh
    $pwshDll = Join-Path $PSHOME 'pwsh.dll'
    if (-not (Test-Path $pwshDll)) { throw "No pwsh.dll in ${PSHOME}: the subsystem needs the pwsh of the local dotnet tool" }
    $config = @(
        "Port $port"
        $addrs | ForEach-Object { "ListenAddress $_" }
        "HostKey $dir/hostkey"
        "PidFile $dir/sshd.pid"
        "AuthorizedKeysFile $dir/authorized_keys"
        'PasswordAuthentication no'
        'KbdInteractiveAuthentication no'
        'PermitRootLogin prohibit-password'
        'StrictModes no'
        'UsePAM no'
        'MaxStartups 32:30:64'
        "Subsystem powershell $dotnet $pwshDll -sshs -NoLogo -NoProfile"
    )
    Set-Content -LiteralPath "$dir/sshd_config" -Value $config
    New-Item -ItemType Directory -Force -Path /run/sshd | Out-Null
    $sshd = (Get-Command sshd -CommandType Application | Select-Object -First 1).Source
    & $sshd -f "$dir/sshd_config" -E "$dir/sshd.log"
    if ($LASTEXITCODE -ne 0) { throw "sshd did not start (exit code ${LASTEXITCODE}): $(Get-Content -Raw "$dir/sshd.log" -ErrorAction SilentlyContinue)" }
    $deadline = [DateTime]::UtcNow.AddSeconds(20)
    # the pid file appears, then gets its number: wait for the number
    $sshdPid = 0
    while (-not ([int]::TryParse("$(Get-Content -Raw "$dir/sshd.pid" -ErrorAction SilentlyContinue)".Trim(), [ref] $sshdPid) -and $sshdPid -gt 0) -and [DateTime]::UtcNow -lt $deadline) {
        Start-Sleep -Milliseconds 100
    }
    if ($sshdPid -le 0) { throw "sshd wrote no pid file, log: $(Get-Content -Raw "$dir/sshd.log" -ErrorAction SilentlyContinue)" }
    [pscustomobject]@{
        Dir = $dir; Port = $port; KeyFile = "$dir/userkey"; Addresses = $addrs; Log = "$dir/sshd.log"
        Pid = $sshdPid
    }
}

function Get-PrivateSshdOptions($Sshd) {
    <# The parameters Invoke-Command and New-PSSession need to reach the private sshd (splat them; add -HostName). #>
    @{
        Port = $Sshd.Port; UserName = 'root'; KeyFilePath = $Sshd.KeyFile
        Options = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'ERROR' }
    }
}

function New-PrivateSshSession {
    <# Sessions to the private sshd, one per address given (127.0.0.1 when none), opened at once. #>
    param([Parameter(Mandatory)] $Sshd, [string[]] $HostName = @('127.0.0.1'))
    $o = Get-PrivateSshdOptions $Sshd
    New-PSSession -HostName $HostName @o -ErrorAction Stop
}

function Stop-PrivateSshd($Sshd) {
    <# Stops the listening sshd by the PID it wrote (close the sessions first: each has its own sshd child), and removes its folder. #>
    if (-not $Sshd) { return }
    # sshd retitles itself ("sshd: ... [listener]"), so it is recognized by its command line naming our config folder.
    $cmdline = Get-Content -Raw -LiteralPath "/proc/$($Sshd.Pid)/cmdline" -ErrorAction SilentlyContinue
    if ($cmdline -and $cmdline.Contains($Sshd.Dir)) {
        $p = Get-Process -Id $Sshd.Pid -ErrorAction SilentlyContinue
        Stop-Process -Id $Sshd.Pid
        if ($p) { $p.WaitForExit(10000) | Out-Null }
    }
    else { Write-Warning "sshd $($Sshd.Pid) of $($Sshd.Dir) is not running any more." }
    Remove-Item -Recurse -Force -LiteralPath $Sshd.Dir -ErrorAction SilentlyContinue
}

Export-ModuleMember -Function Get-SshdNeed, Get-FreeLoopbackPort, Start-PrivateSshd, Get-PrivateSshdOptions, New-PrivateSshSession, Stop-PrivateSshd
