#!/usr/bin/env bash
# Builds tests/Fixtures/registry/ with the real distribution registry (Debian's docker-registry 2.8.2) and skopeo 1.9.3.
#
#   sudo tests/Fixtures/registry/New-RegistryFixtures.sh
#
# Starts `docker-registry serve` on 127.0.0.1 (a free port) with filesystem storage in a temp folder, pushes the
# images of tests/Fixtures/data/oci-layout with skopeo, records what the registry and skopeo say about them, stops
# the registry by its PID, runs `docker-registry garbage-collect --dry-run` (plain and --delete-untagged), and
# commits the storage tree as storage.tar (a tar keeps the empty folders a deleted manifest leaves; git would not).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../daemon-helpers.sh
. "$here/../daemon-helpers.sh"
layout=$(cd "$here/../data/oci-layout" && pwd)

need=()
for pkg in docker-registry skopeo curl python3; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${need[@]}"
fi

tmp=$(mktemp -d /tmp/imagetools-registry.XXXXXX)
pid=
cleanup() {
  stop_pid "$pid" docker-registry
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
reg=127.0.0.1:$port
cat > "$tmp/config.yml" <<EOF
version: 0.1
log: { level: info }
storage:
  filesystem: { rootdirectory: $tmp/root }
  delete: { enabled: true }
  maintenance: { uploadpurging: { enabled: false } }
http: { addr: $reg }
EOF

docker-registry serve "$tmp/config.yml" > "$tmp/serve.log" 2>&1 &
pid=$!
for _ in $(seq 200); do curl -sf "http://$reg/v2/" >/dev/null && break; sleep 0.1; done
curl -sf "http://$reg/v2/" >/dev/null || { cat "$tmp/serve.log"; exit 1; }

push() { skopeo --insecure-policy copy --quiet --dest-tls-verify=false "$@"; }

# A top-level repository, and a user/repo repository with two images that share layers (app:2.0 = base's 3 layers + 2).
push "oci:$layout:base:1.0" "docker://$reg/base:1.0"
push "oci:$layout:app:2.0" "docker://$reg/aiops/data-cleaning:2.0"
# A second tag on the same manifest.
push "oci:$layout:app:2.0" "docker://$reg/aiops/data-cleaning:latest"
# A tag overwritten by another manifest: zdgt was base:1.0, then app:2.0; base's manifest stays as an untagged revision.
push "oci:$layout:base:1.0" "docker://$reg/aiops/data-cleaning:zdgt"
push "oci:$layout:app:2.0" "docker://$reg/aiops/data-cleaning:zdgt"
# A multi-platform index with all its platforms, three levels deep.
push --all "oci:$layout:multi:latest" "docker://$reg/org/team/app:latest"
# A manifest deleted through the API: its zstd layer, config and manifest blob become unreferenced.
push "oci:$layout:zstd:1.0" "docker://$reg/base:doomed"
doomed=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$reg/base:doomed")
skopeo delete --tls-verify=false "docker://$reg/base@$doomed"
echo "$doomed" > "$tmp/deleted-manifest.txt"

# A stray blob uploaded into base and never referenced by any manifest.
printf 'a stray blob, uploaded and never referenced\n' > "$tmp/stray"
stray="sha256:$(sha256sum "$tmp/stray" | cut -d' ' -f1)"
loc=$(curl -sf -X POST -D - -o /dev/null "http://$reg/v2/base/blobs/uploads/" | tr -d '\r' | sed -n 's/^Location: //Ip')
case "$loc" in http*) ;; *) loc="http://$reg$loc" ;; esac
sep='?'; case "$loc" in *\?*) sep='&' ;; esac
curl -sf -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$tmp/stray" "$loc${sep}digest=$stray" -o /dev/null

# An unfinished upload in aiops/data-cleaning: POST, one PATCH, never the final PUT.
loc=$(curl -sf -X POST -D - -o /dev/null "http://$reg/v2/aiops/data-cleaning/blobs/uploads/" | tr -d '\r' | sed -n 's/^Location: //Ip')
case "$loc" in http*) ;; *) loc="http://$reg$loc" ;; esac
printf 'half of an upload' | curl -sf -X PATCH -H 'Content-Type: application/octet-stream' --data-binary @- "$loc" -o /dev/null

# What the registry and skopeo say.
out=$here/expected
rm -rf "$out"; mkdir -p "$out"
curl -sf "http://$reg/v2/_catalog" > "$out/catalog.json"
: > "$out/skopeo-digests.txt"
for repo in $(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["repositories"]))' "$out/catalog.json"); do
  file=$(echo "$repo" | tr / _)
  curl -sf "http://$reg/v2/$repo/tags/list" > "$out/tags.$file.json"
  for tag in $(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["tags"] or []))' "$out/tags.$file.json"); do
    digest=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$reg/$repo:$tag")
    echo "$repo:$tag $digest" >> "$out/skopeo-digests.txt"
    skopeo inspect --tls-verify=false --raw "docker://$reg/$repo:$tag" > "$out/raw.$file.$tag.json"
  done
done
echo "$stray" > "$out/stray-blob.txt"
cp "$tmp/deleted-manifest.txt" "$out/deleted-manifest.txt"

stop_pid "$pid" docker-registry; pid=

docker-registry garbage-collect --dry-run "$tmp/config.yml" > "$out/gc-dry-run.txt" 2>&1
docker-registry garbage-collect --dry-run --delete-untagged "$tmp/config.yml" > "$out/gc-dry-run-untagged.txt" 2>&1
# Keep only the messages (the log lines carry no timestamps in dry-run, but strip any host-specific temp path).
sed -i "s#$tmp#<tmp>#g" "$out/gc-dry-run.txt" "$out/gc-dry-run-untagged.txt"

rm -f "$here/storage.tar"
tar -C "$tmp/root" --sort=name --owner=0 --group=0 --numeric-owner -cf "$here/storage.tar" docker
(cd "$tmp/root" && find docker | sort) > "$out/storage-listing.txt"
echo "Wrote $here/storage.tar and $out"
