# A small registry of the tests' own with the OCI 1.1 referrers API (HttpListener on 127.0.0.1, in a thread job),
# for what docker-registry 2.8 does not have: GET /v2/<name>/referrers/<digest> (an index of the descriptors of
# the manifests whose subject is that digest, artifactType and annotations as the distribution spec says),
# ?artifactType= answered with OCI-Filters-Applied (unless .State.ApplyFilter is $false), pages of .State.PageSize
# entries linked with Link: <…>; rel="next", and manifest PUTs answered with OCI-Subject. Blobs are uploaded
# monolithically (POST then PUT ?digest=, checked) or mounted within the server. Every request is logged
# (.State.Log: Key "METHOD /path?query"). .State.ReferrersStatus set answers every referrers request with that
# status. Everything is kept in memory.

function Start-ReferrersServer {
    param([int] $PageSize = 2)
    $port = Get-FreePort
    $listener = [System.Net.HttpListener]::new()
    $listener.Prefixes.Add("http://127.0.0.1:$port/")
    $listener.Start()
    $state = [hashtable]::Synchronized(@{
        Blobs = [hashtable]::Synchronized(@{})       # digest -> bytes (all repositories share them; a mount always succeeds)
        Manifests = [hashtable]::Synchronized(@{})   # "repo@digest" -> @{ Bytes; MediaType }
        Tags = [hashtable]::Synchronized(@{})        # "repo:tag" -> digest
        Referrers = [hashtable]::Synchronized(@{})   # "repo@subject" -> ArrayList of descriptors (ordered hashtables)
        Log = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
        PageSize = $PageSize
        ApplyFilter = $true
        ReferrersStatus = 0                          # when set, every referrers request is answered with it (a broken API)
    })
    $job = Start-ThreadJob -ArgumentList $listener, $state -ScriptBlock {
        param($listener, $state)
        function Sha([byte[]] $b) { 'sha256:' + [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($b)).ToLowerInvariant() }
        function Send($res, [int] $status, [byte[]] $body, [hashtable] $headers) {
            $res.StatusCode = $status
            foreach ($h in @(if ($headers) { $headers.Keys })) {
                if ($h -eq 'Content-Type') { $res.ContentType = $headers[$h] } else { $res.AddHeader($h, $headers[$h]) }
            }
            if ($null -eq $body) { $body = [byte[]]::new(0) }
            $res.ContentLength64 = $body.Length
            if ($res.StatusCode -ne 204 -and $script:method -ne 'HEAD') { $res.OutputStream.Write($body, 0, $body.Length) }
            $res.Close()
        }
        while ($listener.IsListening) {
            try { $ctx = $listener.GetContext() } catch { break }
            $req = $ctx.Request; $res = $ctx.Response
            $script:method = $req.HttpMethod
            $path = $req.Url.AbsolutePath
            $query = [System.Web.HttpUtility]::ParseQueryString($req.Url.Query)
            $body = $null
            if ($req.HasEntityBody) { $ms = [IO.MemoryStream]::new(); $req.InputStream.CopyTo($ms); $body = $ms.ToArray() }
            $null = $state.Log.Add([pscustomobject]@{ Key = "$($req.HttpMethod) $($req.Url.PathAndQuery)"; Accept = $req.Headers['Accept'] })
            try {
                if ($path -eq '/v2/') { Send $res 200 $null @{}; continue }
                if ($path -match '^/v2/(.+)/blobs/uploads/(.*)$') {
                    $repo = $Matches[1]; $session = $Matches[2]
                    if ($req.HttpMethod -eq 'POST') {
                        $mount = $query['mount']
                        if ($mount -and $state.Blobs.ContainsKey($mount)) { Send $res 201 $null @{ 'Docker-Content-Digest' = $mount; Location = "/v2/$repo/blobs/$mount" }; continue }
                        Send $res 202 $null @{ Location = "/v2/$repo/blobs/uploads/$([guid]::NewGuid())" }; continue
                    }
                    if ($req.HttpMethod -eq 'PUT') {
                        $digest = $query['digest']
                        if ($null -eq $body) { $body = [byte[]]::new(0) }
                        if ((Sha $body) -ne $digest) { Send $res 400 ([Text.Encoding]::UTF8.GetBytes('{"errors":[{"code":"DIGEST_INVALID"}]}')) @{}; continue }
                        $state.Blobs[$digest] = $body
                        Send $res 201 $null @{ 'Docker-Content-Digest' = $digest; Location = "/v2/$repo/blobs/$digest" }; continue
                    }
                }
                if ($path -match '^/v2/(.+)/blobs/(sha256:[0-9a-f]{64})$') {
                    $blob = $state.Blobs[$Matches[2]]
                    if ($null -eq $blob) { Send $res 404 $null @{}; continue }
                    Send $res 200 $blob @{ 'Docker-Content-Digest' = $Matches[2]; 'Content-Type' = 'application/octet-stream' }; continue
                }
                if ($path -match '^/v2/(.+)/manifests/([^/]+)$') {
                    $repo = $Matches[1]; $ref = $Matches[2]
                    if ($req.HttpMethod -eq 'PUT') {
                        $digest = Sha $body
                        if ($ref -like 'sha256:*' -and $ref -ne $digest) { Send $res 400 $null @{}; continue }
                        $mediaType = $req.ContentType -replace ';.*$', ''
                        $state.Manifests["$repo@$digest"] = @{ Bytes = $body; MediaType = $mediaType }
                        if ($ref -notlike 'sha256:*') { $state.Tags["${repo}:$ref"] = $digest }
                        $headers = @{ 'Docker-Content-Digest' = $digest; Location = "/v2/$repo/manifests/$digest" }
                        $doc = [Text.Encoding]::UTF8.GetString($body) | ConvertFrom-Json -AsHashtable
                        if ($doc.subject) {
                            $artifactType = if ($doc.artifactType) { $doc.artifactType } elseif ($doc.config) { $doc.config.mediaType } else { $null }
                            $entry = [ordered]@{ mediaType = $mediaType; digest = $digest; size = $body.Length }
                            if ($artifactType) { $entry.artifactType = $artifactType }
                            if ($doc.annotations) { $entry.annotations = $doc.annotations }
                            $key = "$repo@$($doc.subject.digest)"
                            if (-not $state.Referrers.ContainsKey($key)) { $state.Referrers[$key] = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new()) }
                            if (-not (@($state.Referrers[$key]) | Where-Object { $_.digest -eq $digest })) { $null = $state.Referrers[$key].Add($entry) }
                            $headers['OCI-Subject'] = $doc.subject.digest
                        }
                        Send $res 201 $null $headers; continue
                    }
                    $digest = if ($ref -like 'sha256:*') { $ref } else { $state.Tags["${repo}:$ref"] }
                    $m = if ($digest) { $state.Manifests["$repo@$digest"] } else { $null }
                    if (-not $m) { Send $res 404 $null @{}; continue }
                    if ($req.HttpMethod -eq 'DELETE') { $state.Manifests.Remove("$repo@$digest"); Send $res 202 $null @{}; continue }
                    Send $res 200 $m.Bytes @{ 'Content-Type' = $m.MediaType; 'Docker-Content-Digest' = $digest }; continue
                }
                if ($req.HttpMethod -eq 'GET' -and $path -match '^/v2/(.+)/referrers/([^/]+)$') {
                    $repo = $Matches[1]; $subject = $Matches[2]
                    if ($subject -notmatch '^sha256:[0-9a-f]{64}$') { Send $res 400 $null @{}; continue }
                    if ($state.ReferrersStatus) { Send $res $state.ReferrersStatus $null @{}; continue }
                    $all = @(if ($state.Referrers.ContainsKey("$repo@$subject")) { $state.Referrers["$repo@$subject"] })
                    $headers = @{ 'Content-Type' = 'application/vnd.oci.image.index.v1+json' }
                    $filter = $query['artifactType']
                    if ($filter -and $state.ApplyFilter) { $all = @($all | Where-Object { $_.artifactType -eq $filter }); $headers['OCI-Filters-Applied'] = 'artifactType' }
                    $page = [int]($query['page'] ?? 0)
                    $slice = @($all | Select-Object -Skip ($page * $state.PageSize) -First $state.PageSize)
                    if (($page + 1) * $state.PageSize -lt $all.Count) {
                        $next = "/v2/$repo/referrers/${subject}?page=$($page + 1)" + $(if ($filter) { '&artifactType=' + [Uri]::EscapeDataString($filter) } else { '' })
                        $headers['Link'] = "<$next>; rel=`"next`""
                    }
                    $index = [ordered]@{ schemaVersion = 2; mediaType = 'application/vnd.oci.image.index.v1+json'; manifests = $slice }
                    Send $res 200 ([Text.Encoding]::UTF8.GetBytes(($index | ConvertTo-Json -Depth 8 -Compress))) $headers; continue
                }
                Send $res 404 $null @{}
            } catch { $null = $state.Log.Add([pscustomobject]@{ Key = "ERROR $($req.HttpMethod) $path"; Accept = "$_" }); try { $res.Abort() } catch { } }
        }
    }
    return [pscustomobject]@{ Listener = $listener; Job = $job; State = $state; Address = "127.0.0.1:$port" }
}

function Stop-ReferrersServer($Server) {
    if ($Server) { $Server.Listener.Stop(); $Server.Listener.Close(); $Server.Job | Wait-Job -Timeout 5 | Out-Null; $Server.Job | Remove-Job -Force }
}
