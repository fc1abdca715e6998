#!/usr/bin/env bash
# Makes the containerd fixtures used by tests/Containerd/*.Tests.ps1 with the real containerd (Debian 12's
# containerd 1.6.x and ctr). Run as root; writes next to this script:
#   root/                 the parts of a containerd root the module reads: io.containerd.metadata.v1.bolt/meta.db,
#                         io.containerd.content.v1.content/blobs/sha256/*, io.containerd.snapshotter.v1.overlayfs/
#                         metadata.db and snapshots/<id>/fs (the fs contents are NOT kept: whiteouts are character
#                         devices that git cannot store; each fs holds a placeholder file instead)
#   meta-before.db        meta.db as it was before the second run (it still knows snapshot view-gone, which the
#                         second run removed, and not view-new, which it added; it also knows team-view, which
#                         containerd's garbage collector removed at the start of run 2): a real source of leaked snapshots
#   ctr-*.txt             what ctr said: content ls, images ls, snapshots ls, snapshots info, containers ls/info,
#                         leases ls, namespaces ls (the tests compare the cmdlets with these, field by field)
#   snapshot-dirs.txt     the snapshots/<id> folders as containerd left them
# Input: the image archives of tests/Fixtures/data. containerd runs private (root/state/socket in a temp dir, cri
# plugin disabled) and is stopped by its PID.
set -euo pipefail

OUT="$(cd "$(dirname "$0")" && pwd)"
DATA="$(cd "$OUT/../data" && pwd)"
WORK="$(mktemp -d /tmp/containerd-fixtures.XXXXXX)"
CTRD_PID=""
SOCK="$WORK/ctrd.sock"

# shellcheck source=../daemon-helpers.sh
. "$OUT/../daemon-helpers.sh"

stop_containerd() { stop_pid "$CTRD_PID" containerd; CTRD_PID=""; }

cleanup() {
  stop_containerd
  # snapshots may still be mounted if something failed half-way: remove_tree unmounts only below our temp dir
  remove_tree "$WORK"
}
trap cleanup EXIT INT TERM

cat > "$WORK/config.toml" <<TOML
version = 2
root = "$WORK/root"
state = "$WORK/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$WORK/opt"
TOML

start_containerd() {
  containerd --config "$WORK/config.toml" >> "$WORK/containerd.log" 2>&1 &
  CTRD_PID=$!
  for _ in $(seq 1 100); do
    if ctr -a "$SOCK" version > /dev/null 2>&1; then return 0; fi
    kill -0 "$CTRD_PID" 2>/dev/null || { cat "$WORK/containerd.log"; echo "containerd exited" >&2; exit 1; }
    sleep 0.1
  done
  echo "containerd did not answer on $SOCK" >&2; exit 1
}

c() { ctr -a "$SOCK" "$@"; }

# ---- run 1: two namespaces, images, a lease, a container with an active snapshot, two views ----
start_containerd
c namespaces create k8s.io
c namespaces create team-b owner=imagetools
# ctr-export.tar: base:1.0 (gzip layers), docker.io/library/app:2.0 (plain layers), multi:latest (an index, 2 platforms)
c -n k8s.io images import --all-platforms "$DATA/ctr-export.tar" > /dev/null
c -n team-b images import "$DATA/oci-archive.tar" > /dev/null
c -n k8s.io leases create --id fixture-lease --expires 0 purpose=fixture owner=imagetools > /dev/null
c -n k8s.io containers create --label role=fixture docker.io/library/app:2.0 app-ctr
BASE_CHAIN="$(c -n k8s.io snapshots ls | awk 'NR>1 && $3=="Committed" && $2=="" {print $1; exit}')"
c -n k8s.io snapshots view view-gone "$BASE_CHAIN" > /dev/null
c -n team-b snapshots view team-view "$BASE_CHAIN" > /dev/null 2>&1 || true
stop_containerd
cp "$WORK/root/io.containerd.metadata.v1.bolt/meta.db" "$OUT/meta-before.db"

# ---- run 2: remove one view and add another, so that meta-before.db and the snapshotter disagree ----
start_containerd
# containerd's garbage collector runs once shortly after start and removes the views no lease or gc.root label keeps
# (team-view, and view-gone unless the rm below comes first); wait for it before making view-new, which it would remove
# as well (no later collection happens before the stop: deletions do not trigger one by default, and this run makes
# far fewer than 100 mutations)
for _ in $(seq 1 100); do c -n team-b snapshots ls | awk '$1 == "team-view"' | grep -q . || break; sleep 0.1; done
c -n k8s.io snapshots rm view-gone 2> /dev/null || true
c -n k8s.io snapshots view view-new "$BASE_CHAIN" > /dev/null

c namespaces ls > "$OUT/ctr-namespaces.txt"
for ns in k8s.io team-b; do
  c -n "$ns" content ls > "$OUT/ctr-content-$ns.txt"
  c -n "$ns" images ls > "$OUT/ctr-images-$ns.txt"
  c -n "$ns" snapshots ls > "$OUT/ctr-snapshots-$ns.txt"
  c -n "$ns" containers ls > "$OUT/ctr-containers-$ns.txt"
  c -n "$ns" leases ls > "$OUT/ctr-leases-$ns.txt"
  : > "$OUT/ctr-snapshots-info-$ns.jsonl"
  for key in $(c -n "$ns" snapshots ls | awk 'NR>1 {print $1}'); do
    c -n "$ns" snapshots info "$key" | jq -c . >> "$OUT/ctr-snapshots-info-$ns.jsonl"
  done
done
c -n k8s.io containers info app-ctr | jq -c 'del(.Spec)' > "$OUT/ctr-container-info-app-ctr.json"
stop_containerd

# ---- keep the parts the module reads ----
R="$OUT/root"
rm -rf "$R"
mkdir -p "$R/io.containerd.metadata.v1.bolt" "$R/io.containerd.content.v1.content/blobs/sha256" \
         "$R/io.containerd.snapshotter.v1.overlayfs/snapshots"
cp "$WORK/root/io.containerd.metadata.v1.bolt/meta.db" "$R/io.containerd.metadata.v1.bolt/"
cp "$WORK/root/io.containerd.content.v1.content/blobs/sha256/"* "$R/io.containerd.content.v1.content/blobs/sha256/"
chmod 0644 "$R/io.containerd.content.v1.content/blobs/sha256/"*
cp "$WORK/root/io.containerd.snapshotter.v1.overlayfs/metadata.db" "$R/io.containerd.snapshotter.v1.overlayfs/"
( cd "$WORK/root/io.containerd.snapshotter.v1.overlayfs/snapshots" && ls -1 | sort -n ) > "$OUT/snapshot-dirs.txt"
for id in $(cat "$OUT/snapshot-dirs.txt"); do
  mkdir -p "$R/io.containerd.snapshotter.v1.overlayfs/snapshots/$id/fs"
  echo "placeholder: the fs contents of snapshot $id are not kept in the fixture" \
    > "$R/io.containerd.snapshotter.v1.overlayfs/snapshots/$id/fs/.fixture-placeholder"
done
ls -lR "$OUT" | head -80
