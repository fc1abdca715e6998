# Shared helpers of the tests of registries over HTTP: the real docker-registry (Debian's 2.8.2) on 127.0.0.1 in
# three set-ups (plain HTTP, TLS + htpasswd, TLS + token auth), a token server of the tests' own (RS256 JWTs with
# an x5c chain, as the registry's token verifier reads them), and skopeo as the independent client.
. (Join-Path $PSScriptRoot 'Registry.Common.ps1')

$script:HtUser = 'tester'
$script:HtPassword = 'p4ss-w0rd'

function Get-FreePort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    return $port
}

function New-TestCredential([string] $User = $script:HtUser, [string] $Password = $script:HtPassword) {
    [pscredential]::new($User, (ConvertTo-SecureString $Password -AsPlainText -Force))
}

function New-SelfSignedPair([string] $Dir, [string] $Name, [string] $Subject = '/CN=127.0.0.1') {
    # A key and a self-signed certificate made by openssl, valid for 127.0.0.1.
    & openssl req -x509 -newkey rsa:2048 -nodes -keyout "$Dir/$Name.key" -out "$Dir/$Name.crt" -days 2 -subj $Subject `
        -addext 'subjectAltName=IP:127.0.0.1' 2>$null
    if ($LASTEXITCODE -ne 0) { throw "openssl req failed for $Name" }
    return [pscustomobject]@{ Key = "$Dir/$Name.key"; Certificate = "$Dir/$Name.crt" }
}

function Start-HttpRegistry {
    # The real registry on 127.0.0.1 over $Root: plain HTTP, or TLS (-Tls) with htpasswd (-Htpasswd) or token auth
    # (-TokenRealm), and with -ClientCa (a CA file) requiring client certificates signed by it (http.tls.clientcas).
    param([string] $Root, [string] $Dir, [switch] $Tls, [switch] $Htpasswd, [string] $TokenRealm, [string] $TokenCertificate, [string] $ClientCa)
    New-Item -ItemType Directory -Force -Path $Root, $Dir | Out-Null
    $port = Get-FreePort
    $yaml = @"
version: 0.1
log: { level: error }
storage:
  filesystem: { rootdirectory: $Root }
  delete: { enabled: true }
  maintenance: { uploadpurging: { enabled: false } }
http:
  addr: 127.0.0.1:$port
"@
    $pair = $null
    if ($Tls) {
        $pair = New-SelfSignedPair $Dir "registry-$port"
        $clientCas = if ($ClientCa) { ", clientcas: [ $ClientCa ]" } else { '' }
        $yaml += "`n  tls: { certificate: $($pair.Certificate), key: $($pair.Key)$clientCas }"
    }
    if ($Htpasswd) {
        & htpasswd -Bbc "$Dir/htpasswd" $script:HtUser $script:HtPassword 2>$null
        if ($LASTEXITCODE -ne 0) { throw 'htpasswd failed' }
        $yaml += "`nauth:`n  htpasswd: { realm: test-realm, path: $Dir/htpasswd }"
    }
    if ($TokenRealm) {
        $yaml += "`nauth:`n  token: { realm: '$TokenRealm', service: test-registry, issuer: test-issuer, rootcertbundle: $TokenCertificate }"
    }
    $config = Join-Path $Dir "registry-$port.yml"
    Set-Content -Path $config -Value $yaml
    $psi = [System.Diagnostics.ProcessStartInfo]::new('docker-registry', @('serve', $config))
    $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true; $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $process.BeginOutputReadLine(); $process.BeginErrorReadLine()
    $scheme = if ($Tls) { 'https' } else { 'http' }
    $deadline = (Get-Date).AddSeconds(20)
    while ((Get-Date) -lt $deadline) {
        $code = & curl -sk -o /dev/null -w '%{http_code}' "${scheme}://127.0.0.1:$port/v2/" 2>$null
        # a registry that requires client certificates refuses curl's handshake: its port answering is enough
        if ($ClientCa -and $LASTEXITCODE -in 35, 56) { $code = '200' }
        if ($code -in '200', '401') {
            return [pscustomobject]@{ Process = $process; Address = "127.0.0.1:$port"; Config = $config; Certificate = $pair.Certificate; Root = $Root }
        }
        Start-Sleep -Milliseconds 100
    }
    $process.Kill(); throw "docker-registry did not answer on 127.0.0.1:$port"
}

function Start-TokenServer {
    # A token server (HttpListener on 127.0.0.1) that signs RS256 JWTs with the key of $Pair, the certificate in x5c.
    # The user $HtUser/$HtPassword gets the actions asked for; anonymous requests get a token with no access.
    # Requests are counted in .State.Requests.
    param($Pair, [int] $ExpiresIn = 300)
    $port = Get-FreePort
    $listener = [System.Net.HttpListener]::new()
    $listener.Prefixes.Add("http://127.0.0.1:$port/")
    $listener.Start()
    $state = [hashtable]::Synchronized(@{ Requests = 0; Scopes = [System.Collections.Generic.List[string]]::new() })
    $job = Start-ThreadJob -ArgumentList $listener, $state, $Pair.Key, $Pair.Certificate, $script:HtUser, $script:HtPassword, $ExpiresIn -ScriptBlock {
        param($listener, $state, $keyFile, $certFile, $user, $password, $expiresIn)
        function B64Url([byte[]] $b) { [Convert]::ToBase64String($b).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
        $rsa = [System.Security.Cryptography.RSA]::Create(); $rsa.ImportFromPem((Get-Content -Raw $keyFile))
        $cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem((Get-Content -Raw $certFile))
        $x5c = [Convert]::ToBase64String($cert.RawData)
        $expected = 'Basic ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("${user}:$password"))
        while ($listener.IsListening) {
            try { $ctx = $listener.GetContext() } catch { break }
            $state.Requests++
            $q = [System.Web.HttpUtility]::ParseQueryString($ctx.Request.Url.Query)
            $scopes = @($q.GetValues('scope') | Where-Object { $_ })
            foreach ($s in $scopes) { $state.Scopes.Add($s) }
            $auth = $ctx.Request.Headers['Authorization']
            if ($auth -and $auth -ne $expected) {
                $ctx.Response.StatusCode = 401; $ctx.Response.Close(); continue
            }
            $access = @(foreach ($s in $scopes) {
                $type, $name, $actions = $s -split ':'
                if ($auth) { @{ type = $type; name = $name; actions = @($actions -split ',') } }
            })
            $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
            $header = @{ typ = 'JWT'; alg = 'RS256'; x5c = @($x5c) } | ConvertTo-Json -Compress
            $claims = [ordered]@{ iss = 'test-issuer'; sub = $(if ($auth) { $user } else { '' }); aud = $q['service']; exp = $now + $expiresIn
                nbf = $now - 10; iat = $now; jti = [guid]::NewGuid().ToString(); access = $access } | ConvertTo-Json -Compress -Depth 5
            $signingInput = (B64Url ([Text.Encoding]::UTF8.GetBytes($header))) + '.' + (B64Url ([Text.Encoding]::UTF8.GetBytes($claims)))
            $sig = $rsa.SignData([Text.Encoding]::ASCII.GetBytes($signingInput), [System.Security.Cryptography.HashAlgorithmName]::SHA256,
                [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
            $token = $signingInput + '.' + (B64Url $sig)
            $body = [Text.Encoding]::UTF8.GetBytes((@{ token = $token; access_token = $token; expires_in = $expiresIn } | ConvertTo-Json -Compress))
            $ctx.Response.ContentType = 'application/json'
            $ctx.Response.OutputStream.Write($body, 0, $body.Length)
            $ctx.Response.Close()
        }
    }
    return [pscustomobject]@{ Listener = $listener; Job = $job; State = $state; Realm = "http://127.0.0.1:$port/token" }
}

function New-ClientCertificate([string] $Dir, [string] $Name) {
    # A CA made by openssl and a client certificate it signs (NAME.cert + NAME.key, the way docker's certs.d names them).
    & openssl req -x509 -newkey rsa:2048 -nodes -keyout "$Dir/$Name-ca.key" -out "$Dir/$Name-ca.pem" -days 2 -subj "/CN=$Name test CA" 2>$null
    & openssl req -newkey rsa:2048 -nodes -keyout "$Dir/$Name.key" -out "$Dir/$Name.csr" -subj "/CN=$Name" 2>$null
    & openssl x509 -req -in "$Dir/$Name.csr" -CA "$Dir/$Name-ca.pem" -CAkey "$Dir/$Name-ca.key" -CAcreateserial -out "$Dir/$Name.cert" -days 2 2>$null
    if ($LASTEXITCODE -ne 0) { throw "openssl could not make the client certificate $Name" }
    return [pscustomobject]@{ Ca = "$Dir/$Name-ca.pem"; Certificate = "$Dir/$Name.cert"; Key = "$Dir/$Name.key" }
}

function Stop-TokenServer($Server) {
    if ($Server) { $Server.Listener.Stop(); $Server.Listener.Close(); $Server.Job | Wait-Job -Timeout 5 | Out-Null; $Server.Job | Remove-Job -Force }
}

function Stop-HttpRegistry($Registry) {
    if ($Registry -and -not $Registry.Process.HasExited) { $Registry.Process.Kill(); $Registry.Process.WaitForExit(5000) | Out-Null }
}

function Invoke-SkopeoHttp {
    # skopeo with TLS checks off and, when given, credentials; returns its output, throws on failure.
    param([string[]] $Arguments, [switch] $Creds)
    $extra = @()
    if ($Creds) { $extra = @('--creds', "${script:HtUser}:$script:HtPassword") }
    $verb = $Arguments[0]
    $all = @($verb, '--tls-verify=false') + $extra + @($Arguments | Select-Object -Skip 1)
    if ($verb -eq 'copy') {
        $all = @('copy', '--src-tls-verify=false', '--dest-tls-verify=false')
        if ($Creds) { $all += @('--src-creds', "${script:HtUser}:$script:HtPassword", '--dest-creds', "${script:HtUser}:$script:HtPassword") }
        $all += @($Arguments | Select-Object -Skip 1)
    }
    $out = & skopeo @all 2>&1
    if ($LASTEXITCODE -ne 0) { throw "skopeo $($all -join ' ') failed: $out" }
    return $out
}

function Get-SkopeoRawDigest([string] $Reference, [switch] $Creds) {
    # The digest of the manifest skopeo fetches, computed from its bytes (skopeo inspect --raw).
    $bytes = Get-SkopeoRawBytes $Reference -Creds:$Creds
    return 'sha256:' + [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($bytes)).ToLowerInvariant()
}

function Get-SkopeoRawBytes([string] $Reference, [switch] $Creds) {
    # The manifest bytes exactly (through a file: PowerShell would re-encode a pipe as text).
    $tmp = [System.IO.Path]::GetTempFileName()
    try {
        $c = if ($Creds) { "--creds '${script:HtUser}:$script:HtPassword'" } else { '' }
        & bash -c "skopeo inspect --tls-verify=false --raw $c 'docker://$Reference' > '$tmp'"
        if ($LASTEXITCODE -ne 0) { throw "skopeo inspect --raw $Reference failed" }
        return [System.IO.File]::ReadAllBytes($tmp)
    } finally { Remove-Item $tmp -ErrorAction SilentlyContinue }
}
