#!/bin/bash
# Makes the fixtures of the layers area (Get-ImageLayerEntry, Get-ImageFileSystem, Expand-Image, Measure-Image,
# Compare-Image) with the real tools: umoci 0.4.7 (repack, insert --whiteout/--opaque, raw add-layer, unpack),
# GNU tar, python3 tarfile (hostile and truncated tars only). Run as root from anywhere; re-runnable.
# Output (committed): oci-layout/ (images edge:1.0, broken:1.0, hostile-*:1, truncated:1, same-layer:1) and expected/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="$here/../data/oci-layout"
layout="$here/oci-layout"
expected="$here/expected"
tmp="$(mktemp -d /tmp/imagetools-layers.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT INT TERM
export TZ=UTC SOURCE_DATE_EPOCH=1700000000
created=2023-11-14T22:13:20Z
umoci_meta=(--history.created "$created" --history.author fixtures --history.created_by "New-LayerFixtures.sh")

rm -rf "$layout" "$expected"
mkdir -p "$expected"
umoci init --layout "$layout"

# edge:1.0 -- layer 1 by umoci repack: a hardlink across directories, a fifo, a char device, a symlink chain,
# a setuid file, a sticky dir; then umoci insert layers: a file, --whiteout of the hardlinked file, --opaque of a dir.
umoci new --image "$layout:edge"
umoci unpack --image "$layout:edge" "$tmp/edge"
r="$tmp/edge/rootfs"
mkdir -p "$r/a" "$r/b" "$r/dev" "$r/tmp" "$r/data/old" "$r/links"
printf 'shared content\n' > "$r/a/f"
ln "$r/a/f" "$r/b/g"
mkfifo "$r/a/pipe"
mknod "$r/dev/null" c 1 3
chmod 0666 "$r/dev/null"
ln -s ../a/f "$r/links/one"
ln -s one "$r/links/two"
printf '#!/bin/sh\n' > "$r/a/suid"; chmod 4755 "$r/a/suid"
chmod 1777 "$r/tmp"
printf 'old\n' > "$r/data/old/o.txt"
printf 'stays\n' > "$r/data/top.txt"
head -c 70000 /dev/zero | tr '\0' 'z' > "$r/data/big.bin"
chown 1000:1000 "$r/data/old/o.txt"
find "$r" -mindepth 1 -exec touch -h -d @1700000000 {} +
umoci repack --image "$layout:edge" "${umoci_meta[@]}" "$tmp/edge"
printf 'inserted\n' > "$tmp/extra.txt"; touch -d @1700000000 "$tmp/extra.txt"
umoci insert --image "$layout:edge" "${umoci_meta[@]}" "$tmp/extra.txt" /data/extra.txt
umoci insert --image "$layout:edge" "${umoci_meta[@]}" --whiteout /a/f
mkdir -p "$tmp/newdata"; printf 'replaced\n' > "$tmp/newdata/new.txt"; touch -d @1700000000 "$tmp/newdata/new.txt" "$tmp/newdata"
umoci insert --image "$layout:edge" "${umoci_meta[@]}" --opaque "$tmp/newdata" /data
rm -rf "$tmp/edge"

# broken:1.0 -- only umoci insert layers (no end-of-archive blocks; --opaque cut inside the padding).
umoci new --image "$layout:broken"
umoci insert --image "$layout:broken" "${umoci_meta[@]}" "$tmp/extra.txt" /keep/extra.txt
umoci insert --image "$layout:broken" "${umoci_meta[@]}" --whiteout /keep/extra.txt
umoci insert --image "$layout:broken" "${umoci_meta[@]}" --opaque "$tmp/newdata" /keep

# hostile-*:1 and truncated:1 -- hand-made tars added verbatim (umoci gzips them).
python3 "$here/make-tars.py" "$tmp"
for t in "$tmp"/hostile-*.tar "$tmp/truncated.tar"; do
  name="$(basename "$t" .tar)"
  umoci new --image "$layout:$name"
  umoci raw add-layer --image "$layout:$name" "${umoci_meta[@]}" "$t"
done

# same-layer:1 -- two umoci insert layers (/d/{lower,kept}.txt, /o/lower.txt), then same-layer.tar from make-tars.py:
# whiteouts and an opaque marker next to files the same layer adds.
mkdir -p "$tmp/sl/d" "$tmp/sl/o"
printf 'lower\n' > "$tmp/sl/d/lower.txt"; printf 'kept lower\n' > "$tmp/sl/d/kept.txt"; printf 'lower\n' > "$tmp/sl/o/lower.txt"
find "$tmp/sl" -exec touch -h -d @1700000000 {} +
umoci new --image "$layout:same-layer"
umoci insert --image "$layout:same-layer" "${umoci_meta[@]}" "$tmp/sl/d" /d
umoci insert --image "$layout:same-layer" "${umoci_meta[@]}" "$tmp/sl/o" /o
umoci raw add-layer --image "$layout:same-layer" "${umoci_meta[@]}" "$tmp/same-layer.tar"
umoci gc --layout "$layout"

# What the real tools say: umoci unpack of every image we compare with, listed by list-rootfs.py;
# tar -tv of each layer of broken:1.0 (GNU tar's view of the broken tars).
unpack() { # layout tag out-name
  rm -rf "$tmp/u"
  umoci unpack --image "$1:$2" "$tmp/u" > /dev/null
  python3 "$here/list-rootfs.py" "$tmp/u/rootfs" > "$expected/$3.umoci-unpack.tsv"
  rm -rf "$tmp/u"
}
unpack "$data" base:1.0 base_1.0
unpack "$data" app:2.0 app_2.0
unpack "$layout" edge edge_1.0
unpack "$layout" broken broken_1.0
unpack "$layout" same-layer same-layer_1
# zstd:1.0: umoci 0.4.7 cannot read zstd layers; record its answer.
umoci unpack --image "$data:zstd:1.0" "$tmp/z" > "$expected/zstd_1.0.umoci-unpack.txt" 2>&1 || true
rm -rf "$tmp/z"
i=0
for d in $(jq -r '.layers[].digest' "$layout/blobs/sha256/$(jq -r '.manifests[]|select(.annotations["org.opencontainers.image.ref.name"]=="broken")|.digest' "$layout/index.json" | cut -d: -f2)"); do
  f="$layout/blobs/sha256/${d#sha256:}"
  zcat "$f" > "$tmp/l.tar"
  { echo "# layer $i $d: $(stat -c %s "$tmp/l.tar") bytes uncompressed"; tar -tvf "$tmp/l.tar" 2>&1 || true; } > "$expected/broken_1.0.layer$i.tar-tv.txt"
  i=$((i+1))
done
umoci ls --layout "$layout" > "$expected/umoci-ls.txt"
echo "done: $layout, $expected"
