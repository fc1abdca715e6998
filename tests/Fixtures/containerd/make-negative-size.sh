#!/usr/bin/env bash
# Makes meta-negative-size.db: the committed meta.db of root/ with one content record's size (a Go varint, zig-zag
# encoded by binary.PutVarint) turned negative in place: 172 (d8 02) becomes -172 (d7 02), same length, so the bbolt
# page stays valid. Real containerd never writes a negative size itself, so the damage is made here; what containerd
# 1.6 and ctr make of it is recorded in ctr-content-negative-size.txt (ctr content ls of namespace k8s.io, its
# containerd running private on a copy of root/ with this meta.db, stopped by its PID).
# Run as root; writes next to this script. Needs python3, containerd, ctr.
set -euo pipefail

OUT="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d /tmp/containerd-negative.XXXXXX)"
CTRD_PID=""
SOCK="$WORK/ctrd.sock"
BLOB="sha256:074efeb85877c16cab22183c3a5b3460d75543ae47c261d2a70dce0cfa210bc5"   # 172 bytes, in k8s.io

# shellcheck source=../daemon-helpers.sh
. "$OUT/../daemon-helpers.sh"
cleanup() { stop_pid "$CTRD_PID" containerd; CTRD_PID=""; remove_tree "$WORK"; }
trap cleanup EXIT INT TERM

python3 - "$OUT/root/io.containerd.metadata.v1.bolt/meta.db" "$OUT/meta-negative-size.db" "$BLOB" <<'PY'
import sys
src, dst, blob = sys.argv[1], sys.argv[2], sys.argv[3].encode()
data = bytearray(open(src, 'rb').read())
# the blob's record is an inline bucket stored right after its key, so its "size" key and value follow the digest
# closely; the digest also appears as a label value elsewhere, which has no size 172 nearby
hits, at = [], data.find(blob)
while at >= 0:
    size = data.find(b'size\xd8\x02', at)
    if 0 <= size - at < 512: hits.append(size)
    at = data.find(blob, at + 1)
assert len(hits) == 1, 'expected one content record of that digest with size 172, found %d' % len(hits)
size = hits[0]
data[size + 4] = 0xd7   # zig-zag: 344 (= 2*172) -> 343 (= 2*172 - 1), i.e. 172 -> -172
open(dst, 'wb').write(bytes(data))
PY

mkdir -p "$WORK/root"
cp -r "$OUT/root/io.containerd.content.v1.content" "$WORK/root/"
mkdir -p "$WORK/root/io.containerd.metadata.v1.bolt"
cp "$OUT/meta-negative-size.db" "$WORK/root/io.containerd.metadata.v1.bolt/meta.db"
cat > "$WORK/config.toml" <<TOML
version = 2
root = "$WORK/root"
state = "$WORK/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.gc.v1.scheduler"]
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$WORK/opt"
TOML
containerd --config "$WORK/config.toml" >> "$WORK/containerd.log" 2>&1 &
CTRD_PID=$!
for _ in $(seq 1 100); do
  if ctr -a "$SOCK" version > /dev/null 2>&1; then break; fi
  kill -0 "$CTRD_PID" 2>/dev/null || { cat "$WORK/containerd.log"; echo "containerd exited" >&2; exit 1; }
  sleep 0.1
done
ctr -a "$SOCK" -n k8s.io content ls > "$OUT/ctr-content-negative-size.txt"
echo "done: $OUT/meta-negative-size.db, $OUT/ctr-content-negative-size.txt"
