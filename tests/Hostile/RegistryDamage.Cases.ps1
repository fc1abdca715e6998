# The damaged registry storage cases of RegistryGarbage.Tests.ps1: each damages a fresh copy of the real
# registry fixture (tests/Fixtures/registry/storage.tar, made by docker-registry 2.8.2 and skopeo).
# A case is: Name, Class, Also (the error id that names the damage), Damage { param($v2, $d, $out) } where $v2 is
# the copy's docker/registry/v2, $d the fixture's digests and $out a folder outside the store (watched unchanged
# when Outside is set). ForceLoses: with -Force, what only the damaged manifest refers to may go (the live check
# then covers only the tags still readable). Complete: the damage does not hide anything marking needs.

function Get-RegistryDamageCases {
    $newBlob = {
        # Writes bytes as a blob of the store and returns its digest.
        param([string] $v2, [byte[]] $bytes)
        $sha = [System.Security.Cryptography.SHA256]::Create()
        $hex = -join ($sha.ComputeHash($bytes) | ForEach-Object { $_.ToString('x2') })
        $dir = Join-Path $v2 "blobs/sha256/$($hex.Substring(0,2))/$hex"
        New-Item -ItemType Directory -Force -Path $dir | Out-Null
        [System.IO.File]::WriteAllBytes((Join-Path $dir 'data'), $bytes)
        return "sha256:$hex"
    }
    $tagTo = {
        # Points a new tag of a repository at a digest, with its revision link, as the registry writes them.
        param([string] $v2, [string] $repo, [string] $tag, [string] $digest)
        $hex = $digest.Substring(7)
        foreach ($rel in "_manifests/tags/$tag/current", "_manifests/tags/$tag/index/sha256/$hex", "_manifests/revisions/sha256/$hex") {
            $dir = Join-Path $v2 "repositories/$repo/$rel"
            New-Item -ItemType Directory -Force -Path $dir | Out-Null
            [System.IO.File]::WriteAllText((Join-Path $dir 'link'), $digest)
        }
    }
    $data = { param([string] $v2, [string] $digest) $hex = $digest.Substring(7); Join-Path $v2 "blobs/sha256/$($hex.Substring(0,2))/$hex/data" }

    $cases = @(
        # Issue 16 item 1: damaged input made Remove-RegistryGarbage delete live images.
        @{ Name = 'tag current link is empty'; Class = 'GarbageRemoval'; Also = 'InvalidLink'; Damage = {
            param($v2, $d, $out) [System.IO.File]::WriteAllBytes("$v2/repositories/base/_manifests/tags/1.0/current/link", [byte[]]@()) } }
        @{ Name = 'tag current link holds sha256:../../../..'; Class = 'GarbageRemoval'; Also = 'InvalidLink'; Damage = {
            param($v2, $d, $out) [System.IO.File]::WriteAllText("$v2/repositories/base/_manifests/tags/1.0/current/link", 'sha256:../../../..') } }
        @{ Name = 'tag current link is a valid digest and CRLF'; Class = 'GarbageRemoval'; Also = 'InvalidLink'; Damage = {
            param($v2, $d, $out) [System.IO.File]::WriteAllText("$v2/repositories/aiops/data-cleaning/_manifests/tags/2.0/current/link", "$($d.App)`r`n")
            [System.IO.File]::WriteAllText("$v2/repositories/aiops/data-cleaning/_manifests/tags/latest/current/link", "$($d.App)`r`n")
            [System.IO.File]::WriteAllText("$v2/repositories/aiops/data-cleaning/_manifests/tags/zdgt/current/link", "$($d.App)`r`n") } }
        @{ Name = 'tag current link is a FIFO'; Class = 'GarbageRemoval'; Also = 'NotARegularFile'; Damage = {
            param($v2, $d, $out) $link = "$v2/repositories/base/_manifests/tags/1.0/current/link"
            Remove-Item -LiteralPath $link; & mkfifo $link } }
        @{ Name = 'repository folder with an invalid name (App) holding the only tag of its blobs'; Class = 'GarbageRemoval'; Also = 'InvalidRepositoryName'; Damage = {
            param($v2, $d, $out) Move-Item -LiteralPath "$v2/repositories/org/team/app" -Destination "$v2/repositories/App" } }
        @{ Name = 'tagged manifest data is missing'; Class = 'GarbageRemoval'; Also = 'BlobNotFound'; ForceLoses = $true; Damage = {
            param($v2, $d, $out) Remove-Item -LiteralPath (& $data $v2 $d.App) } }
        @{ Name = 'tagged index is corrupt'; Class = 'GarbageRemoval'; Also = 'DigestMismatch'; Damage = {
            param($v2, $d, $out) $f = & $data $v2 $d.Index; $b = [System.IO.File]::ReadAllBytes($f); $b[40] = $b[40] -bxor 0x20; [System.IO.File]::WriteAllBytes($f, $b) } }

        # Issue 16 item 2: deletion through symlinks out of the store.
        @{ Name = 'blobs/sha256/ab is a symlink to an outside folder'; Class = 'PathAttack'; Also = 'PathOutsideStore'; Outside = $true; Damage = {
            param($v2, $d, $out) $hex = 'ab' + ('c' * 62)
            New-Item -ItemType Directory -Force -Path "$out/$hex" | Out-Null
            [System.IO.File]::WriteAllText("$out/$hex/data", 'outside data that nothing in the store refers to')
            New-Item -ItemType SymbolicLink -Path "$v2/blobs/sha256/ab" -Target $out | Out-Null } }
        @{ Name = 'repositories/evil is a symlink to an outside repository'; Class = 'PathAttack'; Also = 'PathOutsideStore'; Outside = $true; Damage = {
            param($v2, $d, $out) Copy-Item -Recurse -LiteralPath "$v2/repositories/base" -Destination "$out/evil"
            Remove-Item -Recurse -LiteralPath "$out/evil/_manifests/tags"
            New-Item -ItemType SymbolicLink -Path "$v2/repositories/evil" -Target "$out/evil" | Out-Null } }

        # More damage of the same kinds.
        @{ Name = 'tag points at a digest whose blob is missing'; Class = 'Corrupt'; Also = 'BlobNotFound'; Damage = {
            param($v2, $d, $out) & $tagTo $v2 'org/team/app' 'ghost' ('sha256:' + ('0' * 64)) } }
        @{ Name = 'tagged manifest data truncated'; Class = 'Corrupt'; Also = 'DigestMismatch'; ForceLoses = $true; Damage = {
            param($v2, $d, $out) $f = & $data $v2 $d.App; $b = [System.IO.File]::ReadAllBytes($f); [System.IO.File]::WriteAllBytes($f, $b[0..($b.Length / 2)]) } }
        @{ Name = 'tagged manifest is malformed JSON (its digest right)'; Class = 'Malformed'; Also = 'MalformedContent'; Damage = {
            param($v2, $d, $out) $m = & $newBlob $v2 ([System.Text.Encoding]::UTF8.GetBytes('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":'))
            & $tagTo $v2 'base' 'broken' $m } }
        @{ Name = 'tagged manifest names a hostile config digest'; Class = 'Malformed'; Also = 'MalformedContent', 'InvalidDigest'; Damage = {
            param($v2, $d, $out) $json = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:../../../../etc","size":2},"layers":[]}'
            & $tagTo $v2 'base' 'hostile' (& $newBlob $v2 ([System.Text.Encoding]::UTF8.GetBytes($json))) } }
        @{ Name = 'a needed _layers link file is a symlink to an outside file'; Class = 'PathAttack'; Also = 'PathOutsideStore'; Outside = $true; Damage = {
            param($v2, $d, $out) $link = "$v2/repositories/aiops/data-cleaning/_layers/sha256/cdc2b1efb0b685fdfd5eddd15df240e28be53195cf1ac5d6dde594d7a9e45ed6/link"
            New-Item -ItemType Directory -Force -Path $out | Out-Null
            Copy-Item -LiteralPath $link -Destination "$out/link"; Remove-Item -LiteralPath $link
            New-Item -ItemType SymbolicLink -Path $link -Target "$out/link" | Out-Null } }
        @{ Name = 'a dangling _layers link folder is a symlink to an outside folder'; Class = 'PathAttack'; Also = 'PathOutsideStore'; Outside = $true; Damage = {
            param($v2, $d, $out) $dir = "$v2/repositories/base/_layers/sha256/898ead369774a5732a89e35fba5a6020fd9040f4a715217b8c175883504f271d"
            Copy-Item -Recurse -LiteralPath $dir -Destination $out; Remove-Item -Recurse -LiteralPath $dir
            New-Item -ItemType SymbolicLink -Path $dir -Target $out | Out-Null } }
        @{ Name = 'a child of the tagged index is missing'; Class = 'Corrupt'; Also = 'BlobNotFound'; ForceLoses = $true; Damage = {
            param($v2, $d, $out) Remove-Item -LiteralPath (& $data $v2 $d.Amd64) } }
        @{ Name = 'repository folder named a..b'; Class = 'HostileName'; Also = 'InvalidRepositoryName'; Damage = {
            param($v2, $d, $out) Move-Item -LiteralPath "$v2/repositories/org/team/app" -Destination "$v2/repositories/a..b" } }
        @{ Name = 'repository folder named org/..team/app'; Class = 'HostileName'; Also = 'InvalidRepositoryName'; Damage = {
            param($v2, $d, $out) Move-Item -LiteralPath "$v2/repositories/org/team" -Destination "$v2/repositories/org/..team" } }
        @{ Name = 'a _manifests/tags/<tag> that is a file'; Class = 'Malformed'; Also = 'StoreUnreadable'; Damage = {
            param($v2, $d, $out) $tag = "$v2/repositories/base/_manifests/tags/1.0"
            Remove-Item -Recurse -LiteralPath $tag; [System.IO.File]::WriteAllText($tag, $d.Base) } }
        @{ Name = 'tagged manifest data is a FIFO'; Class = 'Blocking'; Also = 'NotARegularFile'; ForceLoses = $true; Damage = {
            param($v2, $d, $out) $f = & $data $v2 $d.App; Remove-Item -LiteralPath $f; & mkfifo $f } }
        @{ Name = 'a revision link is a FIFO'; Class = 'Blocking'; Also = 'NotARegularFile'; Damage = {
            param($v2, $d, $out) $link = "$v2/repositories/base/_manifests/revisions/sha256/$($d.Base.Substring(7))/link"
            Remove-Item -LiteralPath $link; & mkfifo $link } }
        @{ Name = 'tag current link is a symlink to an outside file'; Class = 'PathAttack'; Also = 'PathOutsideStore'; Outside = $true; Damage = {
            param($v2, $d, $out) New-Item -ItemType Directory -Force -Path $out | Out-Null
            $link = "$v2/repositories/base/_manifests/tags/1.0/current/link"
            Move-Item -LiteralPath $link -Destination "$out/link"
            New-Item -ItemType SymbolicLink -Path $link -Target "$out/link" | Out-Null } }
        @{ Name = 'tagged manifest data is a symlink to an outside copy'; Class = 'PathAttack'; Also = 'PathOutsideStore'; Outside = $true; ForceLoses = $true; Damage = {
            param($v2, $d, $out) New-Item -ItemType Directory -Force -Path $out | Out-Null
            $f = & $data $v2 $d.App; Move-Item -LiteralPath $f -Destination "$out/data"
            New-Item -ItemType SymbolicLink -Path $f -Target "$out/data" | Out-Null } }
        @{ Name = 'the repositories folder is a symlink to an outside copy'; Class = 'PathAttack'; Also = 'PathOutsideStore'; Outside = $true; ForceLoses = $true; Damage = {
            param($v2, $d, $out) Move-Item -LiteralPath "$v2/repositories" -Destination $out
            New-Item -ItemType SymbolicLink -Path "$v2/repositories" -Target $out | Out-Null } }
        @{ Name = 'a blob folder not named by a digest'; Class = 'Malformed'; Also = 'InvalidDigest'; Damage = {
            param($v2, $d, $out) New-Item -ItemType Directory -Force -Path "$v2/blobs/sha256/5a/5a-not-a-digest" | Out-Null
            [System.IO.File]::WriteAllText("$v2/blobs/sha256/5a/5a-not-a-digest/data", 'x') } }
        @{ Name = 'a revision link names another digest than its folder'; Class = 'Corrupt'; Also = 'InvalidLink'; Damage = {
            param($v2, $d, $out) [System.IO.File]::WriteAllText("$v2/repositories/org/team/app/_manifests/revisions/sha256/$($d.Arm64.Substring(7))/link", $d.App) } }
        @{ Name = 'a stale upload holds a symlink to an outside folder'; Class = 'PathAttack'; Complete = $true; Outside = $true; Damage = {
            param($v2, $d, $out) New-Item -ItemType Directory -Force -Path "$out/keep" | Out-Null
            [System.IO.File]::WriteAllText("$out/keep/file", 'outside, not garbage')
            $upload = Get-ChildItem -Directory "$v2/repositories/aiops/data-cleaning/_uploads" | Select-Object -First 1
            New-Item -ItemType SymbolicLink -Path "$($upload.FullName)/escape" -Target "$out/keep" | Out-Null } }
        @{ Name = 'an unreferenced blob folder holds symlinks to an outside folder and file'; Class = 'PathAttack'; Complete = $true; Outside = $true; Damage = {
            param($v2, $d, $out) New-Item -ItemType Directory -Force -Path "$out/keep" | Out-Null
            [System.IO.File]::WriteAllText("$out/keep/file", 'outside, not garbage')
            $stray = "$v2/blobs/sha256/f2/f274abdc7841eefa902e3ffad2738a99cf80409430f23a6bd59f69e181882881"
            Remove-Item -LiteralPath "$stray/data"
            New-Item -ItemType SymbolicLink -Path "$stray/data" -Target "$out/keep/file" | Out-Null
            New-Item -ItemType SymbolicLink -Path "$stray/folder" -Target "$out/keep" | Out-Null } }
        @{ Name = 'an upload startedat file is a FIFO'; Class = 'Blocking'; Complete = $true; Damage = {
            param($v2, $d, $out) $f = Get-ChildItem -Recurse -Filter startedat "$v2/repositories/aiops/data-cleaning/_uploads" | Select-Object -First 1
            Remove-Item -LiteralPath $f.FullName; & mkfifo $f.FullName } }
    )
    # The damage blocks run later, in the tests: they keep the helpers above.
    foreach ($c in $cases) { $c.Damage = $c.Damage.GetNewClosure() }
    return $cases
}
