# A fault-injecting HTTP server for the registry client tests (HttpListener on 127.0.0.1, in a thread job): it
# answers what the real registry will not do on demand. Routes are matched in order against "METHOD /path?query"
# (PowerShell -like patterns); each route holds a list of answers, used in turn, the last one repeated. An answer
# is a hashtable: Status, Headers, Body (bytes), CutAfter (send that many bytes of a longer Content-Length, then
# drop the connection), Ranged (answer a Range request with 206 and the rest of Body), Script (param($req, $body,
# $state), returns the answer to give; it sees only its parameters). Every request is logged.

function Start-FaultServer {
    $port = Get-FreePort
    $listener = [System.Net.HttpListener]::new()
    $listener.Prefixes.Add("http://127.0.0.1:$port/")
    $listener.Start()
    $state = [hashtable]::Synchronized(@{
        Routes = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
        Log = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
        Bodies = [hashtable]::Synchronized(@{})
    })
    $job = Start-ThreadJob -ArgumentList $listener, $state -ScriptBlock {
        param($listener, $state)
        while ($listener.IsListening) {
            try { $ctx = $listener.GetContext() } catch { break }
            $req = $ctx.Request; $res = $ctx.Response
            $key = "$($req.HttpMethod) $($req.Url.PathAndQuery)"
            $body = $null
            if ($req.HasEntityBody) {
                $ms = [IO.MemoryStream]::new(); $req.InputStream.CopyTo($ms); $body = $ms.ToArray()
                $state.Bodies[$key] = $body
            }
            $null = $state.Log.Add([pscustomobject]@{ Key = $key; Range = $req.Headers['Range']; Authorization = $req.Headers['Authorization']; BodyLength = $body.Length })
            $route = $null
            foreach ($r in @($state.Routes)) { if ($key -like $r.Pattern) { $route = $r; break } }
            try {
                if (-not $route) { $res.StatusCode = 404; $res.Close(); continue }
                $answer = if ($route.Answers.Count -gt 1) { $a = $route.Answers[0]; $route.Answers.RemoveAt(0); $a } else { $route.Answers[0] }
                # the script is made again here from its text: a script block belongs to the runspace that made it
                if ($answer.Script) { $answer = & ([scriptblock]::Create($answer.Script.ToString())) $req $body $state }
                $res.StatusCode = if ($answer.Status) { $answer.Status } else { 200 }
                foreach ($h in @(if ($answer.Headers) { $answer.Headers.Keys })) {
                    if ($h -eq 'Content-Type') { $res.ContentType = $answer.Headers[$h] } else { $res.AddHeader($h, $answer.Headers[$h]) }
                }
                [byte[]] $bytes = [byte[]]::new(0); if ($null -ne $answer.Body) { $bytes = $answer.Body }
                $range = $req.Headers['Range']
                if ($answer.Ranged -and $range -match '^bytes=(\d+)-$') {
                    $from = [long]$Matches[1]
                    $res.StatusCode = 206
                    $res.AddHeader('Content-Range', "bytes $from-$($bytes.Length - 1)/$($bytes.Length)")
                    $bytes = $bytes[$from..($bytes.Length - 1)]
                }
                $res.ContentLength64 = if ($answer.ContentLength) { $answer.ContentLength } else { $bytes.Length }
                if ($req.HttpMethod -eq 'HEAD') { $res.Close(); continue }
                if ($answer.CutAfter) {
                    $res.OutputStream.Write($bytes, 0, $answer.CutAfter); $res.OutputStream.Flush()
                    $res.Abort(); continue
                }
                if ($answer.ContentLength -and $answer.ContentLength -gt $bytes.Length) {
                    # a body longer than anything sent: keep writing the same bytes
                    $left = $answer.ContentLength
                    $chunk = [byte[]]::new(65536)
                    while ($left -gt 0) { $n = [Math]::Min($left, $chunk.Length); $res.OutputStream.Write($chunk, 0, $n); $left -= $n }
                } else { $res.OutputStream.Write($bytes, 0, $bytes.Length) }
                $res.Close()
            } catch {
                $null = $state.Log.Add([pscustomobject]@{ Key = "ERROR $key"; Range = "$_" })
                # a failure before the answer started is a 500 (an abort would reach the client as 200 OK); after, a cut
                try { $res.StatusCode = 500; $res.Close() } catch { try { $res.Abort() } catch { } }
            }
        }
    }
    return [pscustomobject]@{ Listener = $listener; Job = $job; State = $state; Address = "127.0.0.1:$port"; Port = $port }
}

function Add-FaultRoute($Server, [string] $Pattern, [object[]] $Answers) {
    $list = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
    foreach ($a in $Answers) { $null = $list.Add($a) }
    $null = $Server.State.Routes.Add([pscustomobject]@{ Pattern = $Pattern; Answers = $list })
}

function Clear-FaultServer($Server) { $Server.State.Routes.Clear(); $Server.State.Log.Clear(); $Server.State.Bodies.Clear() }

function Stop-FaultServer($Server) {
    if ($Server) { $Server.Listener.Stop(); $Server.Listener.Close(); $Server.Job | Wait-Job -Timeout 5 | Out-Null; $Server.Job | Remove-Job -Force }
}

function Get-BytesDigest([byte[]] $Bytes) { 'sha256:' + [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($Bytes)).ToLowerInvariant() }

function New-FaultImage([string] $Dir) {
    # A one-layer image made here: a gzip tar of 300 KiB of random bytes (tar and gzip), its config and manifest.
    New-Item -ItemType Directory -Force "$Dir/root" | Out-Null
    $random = [byte[]]::new(300KB); [System.Random]::new(7).NextBytes($random)
    [IO.File]::WriteAllBytes("$Dir/root/data.bin", $random)
    & tar -C "$Dir/root" --owner=0 --group=0 --numeric-owner --mtime=@0 -cf "$Dir/layer.tar" data.bin
    & gzip -n -c "$Dir/layer.tar" > "$Dir/layer.tar.gz"
    if ($LASTEXITCODE -ne 0) { throw 'tar/gzip failed' }
    $layer = [IO.File]::ReadAllBytes("$Dir/layer.tar.gz")
    $diffId = Get-BytesDigest ([IO.File]::ReadAllBytes("$Dir/layer.tar"))
    $config = [Text.Encoding]::UTF8.GetBytes((@{ architecture = 'amd64'; os = 'linux'; rootfs = @{ type = 'layers'; diff_ids = @($diffId) }; config = @{} } | ConvertTo-Json -Compress -Depth 5))
    $manifest = [Text.Encoding]::UTF8.GetBytes((@{ schemaVersion = 2; mediaType = 'application/vnd.oci.image.manifest.v1+json'
        config = @{ mediaType = 'application/vnd.oci.image.config.v1+json'; digest = (Get-BytesDigest $config); size = $config.Length }
        layers = @(@{ mediaType = 'application/vnd.oci.image.layer.v1.tar+gzip'; digest = (Get-BytesDigest $layer); size = $layer.Length }) } | ConvertTo-Json -Compress -Depth 5))
    [pscustomobject]@{ Layer = $layer; LayerDigest = (Get-BytesDigest $layer); Config = $config; ConfigDigest = (Get-BytesDigest $config)
        Manifest = $manifest; ManifestDigest = (Get-BytesDigest $manifest); DiffId = $diffId }
}

function Add-ImageRoutes($Server, $Image, [string] $Repository = 'team/app', [string] $Tag = '1', $LayerAnswers) {
    # The routes of a well-behaved registry serving $Image, with the layer's answers given (default: the bytes).
    $mt = @{ 'Content-Type' = 'application/vnd.oci.image.manifest.v1+json'; 'Docker-Content-Digest' = $Image.ManifestDigest }
    Add-FaultRoute $Server 'GET /v2/' @(@{ Status = 200 })
    Add-FaultRoute $Server "* /v2/$Repository/manifests/$Tag" @(@{ Headers = $mt; Body = $Image.Manifest })
    Add-FaultRoute $Server "* /v2/$Repository/manifests/$($Image.ManifestDigest)" @(@{ Headers = $mt; Body = $Image.Manifest })
    Add-FaultRoute $Server "* /v2/$Repository/blobs/$($Image.ConfigDigest)" @(@{ Body = $Image.Config })
    if (-not $LayerAnswers) { $LayerAnswers = @(@{ Body = $Image.Layer; Ranged = $true }) }
    Add-FaultRoute $Server "* /v2/$Repository/blobs/$($Image.LayerDigest)" $LayerAnswers
}
