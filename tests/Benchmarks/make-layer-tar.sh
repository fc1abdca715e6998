#!/usr/bin/env bash
# make-layer-tar.sh OUT.tar INDEX MIB [exact]: a valid tar of about MIB MiB of real files under /usr, a different slice
# per INDEX. By default MIB counts file bytes and the last file may go past it; with "exact" it counts the tar's own
# bytes (headers, GNU long-name records, padding, end blocks) and files that would go past it are left out, so the tar
# is MIB MiB less at most one small file.
set -eu  # no pipefail: awk stops reading once the budget is reached
out=$1 index=$2 mib=$3 mode=${4:-}
list=$(mktemp)
trap 'rm -f "$list"' EXIT
if [ "$mode" = exact ]; then
  find /usr/lib /usr/share -xdev -type f -size -64M -printf '%s %p\n' 2>/dev/null | (sort -k2 2>/dev/null) |
    awk -v skip="$index" -v budget=$((mib * 1048576 - 10240)) '
      function blocks(n) { return int((n + 511) / 512) * 512 }
      { if (n++ % 4 != skip % 4) next
        p = substr($0, index($0, " ") + 1); name = substr(p, 2)
        cost = 512 + blocks($1) + (length(name) >= 100 ? 512 + blocks(length(name) + 1) : 0)
        if (t + cost > budget) next
        t += cost; print p }' > "$list"
else
  find /usr/lib /usr/share -xdev -type f -size -64M -printf '%s %p\n' 2>/dev/null | (sort -k2 2>/dev/null) |
    awk -v skip="$index" -v budget=$((mib * 1048576)) '{ if (n++ % 4 != skip % 4) next; if (t > budget) exit; t += $1; print substr($0, index($0, " ") + 1) }' > "$list"
fi
tar -cf "$out" --no-recursion -T "$list" 2>/dev/null
