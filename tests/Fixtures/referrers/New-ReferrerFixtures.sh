#!/usr/bin/env bash
# Builds tests/Fixtures/referrers/: an image with signatures, an SBOM and attestations attached, in the stores the
# module reads offline, made with the real tools (skopeo 1.9.3, docker-registry 2.8, GNU tar, sha256sum, curl).
#
#   sudo tests/Fixtures/referrers/New-ReferrerFixtures.sh        (New-Fixtures.sh runs it last)
#
#   layout/               OCI layout: base:1.0 (skopeo copy from ../data/oci-layout) with a cosign signature tagged
#                         sha256-<hex>.sig, a Notation signature, an SPDX SBOM and an in-toto SLSA provenance attached
#                         with subject, the fallback index tagged sha256-<hex>, and buildkit:1.0 (multi's platforms with
#                         BuildKit attestation manifests); artifacts written by write-artifacts.py from the media types
#   oci-archive.tar       the layout as a tar (GNU tar, sorted, fixed mtime, root-owned)
#   registry-storage.tar  docker-registry 2.8 storage filled over HTTP: base:1.0, the .sig tag and buildkit:1.0 by
#                         skopeo copy; the artifacts with subject and the fallback index by PUTs (curl), as a client
#                         does against a registry without the referrers API (skopeo 1.9.3 cannot copy an artifact
#                         whose config is application/vnd.oci.empty.v1+json, nor address an untagged manifest)
#   expected/             made.json (what write-artifacts.py made), skopeo inspect --raw of every tag and digest, in
#                         the layout and in the registry, blobs.sha256sum (checked with sha256sum -c), the registry's
#                         tag list and its 404 for the referrers API
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../daemon-helpers.sh
. "$here/../daemon-helpers.sh"
source_layout=$(cd "$here/../data/oci-layout" && pwd)
for t in skopeo docker-registry curl python3 sha256sum tar; do
  command -v "$t" >/dev/null || { echo "missing $t (apt-get install -y skopeo docker-registry curl python3)" >&2; exit 1; }
done
export LC_ALL=C.UTF-8 TZ=UTC
umask 022
MTIME=1700010000

tmp=$(mktemp -d /tmp/imagetools-referrers.XXXXXX)
pid=
cleanup() { stop_pid "$pid" docker-registry; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

out=$here
exp=$out/expected
rm -rf "$out/layout" "$exp" "$out/oci-archive.tar" "$out/registry-storage.tar"
mkdir -p "$exp"
sk=(skopeo --insecure-policy)

# ------------------------------------------------------------------ the layout
"${sk[@]}" copy --quiet "oci:$source_layout:base:1.0" "oci:$out/layout:base:1.0"
"${sk[@]}" copy --quiet --all "oci:$source_layout:multi:latest" "oci:$out/layout:multi:latest"
python3 "$here/write-artifacts.py" "$out/layout" base:1.0 multi:latest "$exp/made.json"
subject=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["subject"])' "$exp/made.json")
hex=${subject#sha256:}
find "$out/layout" -exec touch -h -d "@$MTIME" {} +

# every blob's name is its sha256
(cd "$out/layout/blobs/sha256" && for f in *; do echo "$f  $f"; done) > "$exp/blobs.sha256sum"
(cd "$out/layout/blobs/sha256" && sha256sum * | diff - "$exp/blobs.sha256sum")

# skopeo's view of every tag of the layout, and of each artifact by digest
inspect() { "${sk[@]}" inspect --raw "$@"; }
for tag in base:1.0 "sha256-$hex.sig" "sha256-$hex" buildkit:1.0; do
  inspect "oci:$out/layout:$tag" > "$exp/layout.${tag//:/_}.raw.json"
done
"${sk[@]}" inspect "oci:$out/layout:base:1.0" > "$exp/layout.base_1.0.inspect.json"

# ------------------------------------------------------------------ the oci-archive
tar --sort=name --mtime="@$MTIME" --owner=0 --group=0 --numeric-owner -C "$out/layout" -cf "$out/oci-archive.tar" oci-layout index.json blobs
"${sk[@]}" inspect --raw "oci-archive:$out/oci-archive.tar:sha256-$hex.sig" > "$tmp/archive.sig.json"
cmp "$tmp/archive.sig.json" "$exp/layout.sha256-$hex.sig.raw.json"

# ------------------------------------------------------------------ the registry
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
reg=127.0.0.1:$port
cat > "$tmp/config.yml" <<YML
version: 0.1
log: { level: info }
storage:
  filesystem: { rootdirectory: $tmp/root }
  delete: { enabled: true }
  maintenance: { uploadpurging: { enabled: false } }
http: { addr: $reg }
YML
docker-registry serve "$tmp/config.yml" > "$tmp/serve.log" 2>&1 &
pid=$!
for _ in $(seq 200); do curl -sf "http://$reg/v2/" >/dev/null && break; sleep 0.1; done
curl -sf "http://$reg/v2/" >/dev/null || { cat "$tmp/serve.log"; exit 1; }

push() { "${sk[@]}" copy --quiet --dest-tls-verify=false "$@"; }
push "oci:$out/layout:base:1.0" "docker://$reg/base:1.0"
push "oci:$out/layout:sha256-$hex.sig" "docker://$reg/base:sha256-$hex.sig"
push --all "oci:$out/layout:buildkit:1.0" "docker://$reg/buildkit:1.0"

# PUT a blob (monolithic upload) and a manifest, as a client without skopeo's image model does
put_blob() { # put_blob REPO DIGEST
  local loc sep
  loc=$(curl -sf -X POST -D - -o /dev/null "http://$reg/v2/$1/blobs/uploads/" | tr -d '\r' | sed -n 's/^Location: //Ip')
  case "$loc" in http*) ;; *) loc="http://$reg$loc" ;; esac
  sep='?'; case "$loc" in *\?*) sep='&' ;; esac
  curl -sf -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$out/layout/blobs/sha256/${2#sha256:}" "$loc${sep}digest=$2" -o /dev/null
}
put_manifest() { # put_manifest REPO DIGEST MEDIATYPE REFERENCE
  curl -sf -X PUT -H "Content-Type: $3" --data-binary "@$out/layout/blobs/sha256/${2#sha256:}" "http://$reg/v2/$1/manifests/$4" -o /dev/null
}
python3 - "$exp/made.json" "$out/layout" > "$tmp/uploads.txt" <<'PY'
import json, os, sys
made = json.load(open(sys.argv[1]))
for r in made["referrers"]:
    if r["foundBy"] != "Subject": continue
    m = json.load(open(os.path.join(sys.argv[2], "blobs", "sha256", r["digest"].split(":")[1])))
    for d in [m["config"]] + m["layers"]: print("blob", d["digest"])
    print("manifest", r["digest"])
print("index", made["fallbackIndex"])
PY
while read -r what digest; do
  case $what in
    blob) put_blob base "$digest" ;;
    manifest) put_manifest base "$digest" application/vnd.oci.image.manifest.v1+json "$digest" ;;
    index) put_manifest base "$digest" application/vnd.oci.image.index.v1+json "sha256-$hex" ;;
  esac
done < "$tmp/uploads.txt"

# what the registry says: tags, no referrers API (404), each tag and artifact as skopeo reads it back
curl -sf "http://$reg/v2/base/tags/list" > "$exp/registry.tags.base.json"
curl -sf "http://$reg/v2/buildkit/tags/list" > "$exp/registry.tags.buildkit.json"
curl -s -o /dev/null -w '%{http_code}\n' "http://$reg/v2/base/referrers/$subject" > "$exp/registry.referrers-api.status.txt"
for tag in base:1.0 "base:sha256-$hex.sig" "base:sha256-$hex" buildkit:1.0; do
  "${sk[@]}" inspect --raw --tls-verify=false "docker://$reg/$tag" > "$exp/registry.${tag//:/_}.raw.json"
done
python3 - "$exp/made.json" < /dev/null > "$tmp/digests.txt" <<'PY'
import json, sys
made = json.load(open(sys.argv[1]))
for r in made["referrers"]:
    if r["foundBy"] == "Subject": print(r["digest"])
PY
while read -r d; do
  "${sk[@]}" inspect --raw --tls-verify=false "docker://$reg/base@$d" > "$tmp/by-digest.json"
  cmp "$tmp/by-digest.json" "$out/layout/blobs/sha256/${d#sha256:}"
done < "$tmp/digests.txt"
for tag in base:1.0 "base:sha256-$hex.sig" "base:sha256-$hex" buildkit:1.0; do
  local_tag=${tag#base:}; [ "$tag" = base:1.0 ] && local_tag=base:1.0
  cmp "$exp/registry.${tag//:/_}.raw.json" "$exp/layout.${local_tag//:/_}.raw.json"
done

stop_pid "$pid" docker-registry; pid=
# the registry's blobs: every data file hashes to its folder name
(cd "$tmp/root/docker/registry/v2/blobs/sha256" && for d in */*/; do h=${d#*/}; h=${h%/}; echo "$h  $d""data"; done | sha256sum -c --quiet)
find "$tmp/root" -exec touch -h -d "@$MTIME" {} +
tar --sort=name --mtime="@$MTIME" --owner=0 --group=0 --numeric-owner -C "$tmp/root" -cf "$out/registry-storage.tar" docker
(cd "$tmp/root" && find docker | sort) > "$exp/registry-storage-listing.txt"
echo "== referrers fixtures: $(du -sh "$out" | cut -f1) in $out" >&2
