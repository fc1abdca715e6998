#!/usr/bin/env bash
# make-layer-tar.sh OUT.tar INDEX MIB: a valid tar of about MIB MiB of real files under /usr, a different slice per INDEX.
set -eu  # no pipefail: awk stops reading once the budget is reached
out=$1 index=$2 mib=$3
list=$(mktemp)
trap 'rm -f "$list"' EXIT
find /usr/lib /usr/share -xdev -type f -size -64M -printf '%s %p\n' 2>/dev/null | (sort -k2 2>/dev/null) |
  awk -v skip="$index" -v budget=$((mib * 1048576)) '{ if (n++ % 4 != skip % 4) next; if (t > budget) exit; t += $1; print substr($0, index($0, " ") + 1) }' > "$list"
tar -cf "$out" --no-recursion -T "$list" 2>/dev/null
