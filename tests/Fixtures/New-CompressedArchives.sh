#!/bin/sh
# Compresses the committed tar fixtures whole, with the real command-line tools, as people keep `docker save` output:
#   New-CompressedArchives.sh <destination folder>
# writes <fixture>.tar.gz, .tar.bz2, .tar.xz and .tar.zst for docker-save-legacy, docker-archive, oci-archive and
# ctr-export. The expected answers are those recorded for the plain tars (data/expected).
set -eu
dest="$1"
data="$(cd "$(dirname "$0")/data" && pwd)"
mkdir -p "$dest"
for f in docker-save-legacy docker-archive oci-archive ctr-export; do
    gzip -c < "$data/$f.tar" > "$dest/$f.tar.gz"
    bzip2 -c < "$data/$f.tar" > "$dest/$f.tar.bz2"
    xz -c < "$data/$f.tar" > "$dest/$f.tar.xz"
    zstd -q -c < "$data/$f.tar" > "$dest/$f.tar.zst"
done
