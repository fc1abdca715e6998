#!/usr/bin/env bash
# Makes the bbolt fixtures used by tests/ImageTools.UnitTests/Bolt with the real containerd (Debian 12's
# containerd 1.6.x, ctr, umoci, skopeo). Run as root from anywhere; writes next to this script:
#   meta.db            containerd's metadata database (namespaces, leases, content labels, an image, a container)
#   metadata.db        the overlayfs snapshotter's database from the same run
#   ctr-*.txt          what ctr said about that data (the tests compare the reader with these listings)
#   meta-large.db.gz   a second containerd run with many/long labels and many leases, so that the database has
#                      overflow pages and several levels of branch pages (gzip'd: the file is mostly zeros)
#   ctr-large-*.txt    listings for the large database
# Each containerd is private (root/state/socket in a temp dir, cri plugin disabled) and is stopped by its PID.
set -euo pipefail

OUT="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d /tmp/bolt-fixtures.XXXXXX)"
CTRD_PID=""
SOCK=""

# shellcheck source=../daemon-helpers.sh
. "$OUT/../daemon-helpers.sh"

stop_containerd() { stop_pid "$CTRD_PID" containerd; CTRD_PID=""; }

cleanup() {
  stop_containerd
  # snapshots may still be mounted if something failed half-way: remove_tree unmounts only below our temp dir
  remove_tree "$WORK"
}
trap cleanup EXIT

start_containerd() {   # $1 = directory for this instance
  local d="$1"
  mkdir -p "$d"
  cat > "$d/config.toml" <<TOML
version = 2
root = "$d/root"
state = "$d/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$d/ctrd.sock"
[ttrpc]
  address = "$d/ctrd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$d/opt"
# containerd's GC would otherwise collect the ingested, unreferenced test blobs ~100ms after start-up
[plugins."io.containerd.gc.v1.scheduler"]
  startup_delay = "1h"
  mutation_threshold = 1000000
TOML
  containerd --config "$d/config.toml" > "$d/containerd.log" 2>&1 &
  CTRD_PID=$!
  SOCK="$d/ctrd.sock"
  for _ in $(seq 1 100); do
    if ctr -a "$SOCK" version > /dev/null 2>&1; then return 0; fi
    kill -0 "$CTRD_PID" 2>/dev/null || { cat "$d/containerd.log"; echo "containerd exited" >&2; exit 1; }
    sleep 0.1
  done
  echo "containerd did not answer on $SOCK" >&2; exit 1
}

c() { ctr -a "$SOCK" "$@"; }

# ---- a tiny OCI image (one layer with one file), imported through an oci-archive ----
L="$WORK/layout"; B="$WORK/bundle"
umoci init --layout "$L"
umoci new --image "$L:tiny:1.0"
umoci unpack --rootless --image "$L:tiny:1.0" "$B" > /dev/null
echo "hello from the bolt fixture" > "$B/rootfs/hello.txt"
umoci repack --image "$L:tiny:1.0" --history.created 2024-01-02T03:04:05Z "$B" > /dev/null
umoci config --image "$L:tiny:1.0" --created 2024-01-02T03:04:05Z --config.cmd /hello.txt > /dev/null
umoci gc --layout "$L"
skopeo copy --quiet "oci:$L:tiny:1.0" "oci-archive:$WORK/tiny.tar:tiny:1.0"

# ---- run 1: a small, realistic meta.db ----
R1="$WORK/run1"
start_containerd "$R1"
c namespaces create alpha team=imagetools purpose=bolt-fixture
c namespaces create beta
c namespaces label beta tier=test
c -n alpha leases create --id lease-one --expires 0 app=fixture owner=bolt
c -n alpha leases create --id lease-two --expires 0
c -n beta leases create --id lease-beta --expires 0 note=inline-bucket
printf 'some content for the bolt fixture\n' > "$WORK/blob1"
D1="sha256:$(sha256sum "$WORK/blob1" | cut -d' ' -f1)"
c -n alpha content ingest --expected-size "$(stat -c %s "$WORK/blob1")" --expected-digest "$D1" ingest-1 < "$WORK/blob1"
c -n alpha content label "$D1" containerd.io/gc.root=fixture example.com/label=value other=label
c -n alpha images import "$WORK/tiny.tar"
c -n alpha containers create tiny:1.0 ctr-one

c namespaces ls > "$OUT/ctr-namespaces.txt"
for ns in alpha beta; do
  c -n "$ns" leases ls > "$OUT/ctr-leases-$ns.txt"
  c -n "$ns" content ls > "$OUT/ctr-content-$ns.txt"
  c -n "$ns" images ls > "$OUT/ctr-images-$ns.txt"
  c -n "$ns" snapshots ls > "$OUT/ctr-snapshots-$ns.txt"
  c -n "$ns" containers ls > "$OUT/ctr-containers-$ns.txt"
done
stop_containerd
cp "$R1/root/io.containerd.metadata.v1.bolt/meta.db" "$OUT/meta.db"
SNAPDB="$R1/root/io.containerd.snapshotter.v1.overlayfs/metadata.db"
if [ -f "$SNAPDB" ]; then cp "$SNAPDB" "$OUT/metadata.db"; fi

# ---- run 2: a larger meta.db with overflow pages and several branch levels ----
R2="$WORK/run2"
start_containerd "$R2"
c namespaces create bulk
printf 'the blob that carries the long labels\n' > "$WORK/blob2"
D2="sha256:$(sha256sum "$WORK/blob2" | cut -d' ' -f1)"
c -n bulk content ingest --expected-size "$(stat -c %s "$WORK/blob2")" --expected-digest "$D2" ingest-2 < "$WORK/blob2"
# 24 labels of ~4000 bytes each (1000-byte keys make branch pages hold only a few keys => several levels),
# plus one label whose key+value (4094 bytes) does not fit a 4096-byte page => an overflow page.
rep() { python3 -c "import sys; print(sys.argv[1] * int(sys.argv[2]))" "$1" "$2"; }
args=(containerd.io/gc.root=fixture)
for i in $(seq -w 1 24); do
  args+=("bulk.example.com/$i/$(rep k 980)=$i:$(rep v 2990)")
done
args+=("overflow.example.com/big=$(rep x 4069)")
c -n bulk content label "$D2" "${args[@]}" > /dev/null
for i in $(seq -w 1 300); do
  c -n bulk leases create --id "bulk-lease-$i" --expires 0 "index=$i" > /dev/null
done
c namespaces ls > "$OUT/ctr-large-namespaces.txt"
c -n bulk leases ls > "$OUT/ctr-large-leases-bulk.txt"
c -n bulk content ls > "$OUT/ctr-large-content-bulk.txt"
stop_containerd
gzip -9 -n -c "$R2/root/io.containerd.metadata.v1.bolt/meta.db" > "$OUT/meta-large.db.gz"

ls -l "$OUT"
