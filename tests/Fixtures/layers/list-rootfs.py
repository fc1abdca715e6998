#!/usr/bin/env python3
"""Lists an unpacked root filesystem as TSV, one line per path, sorted:
path, type, mode (octal, permission bits incl. setuid/sticky), uid, gid, size (files), link target (symlinks),
sha256 (files), hardlink group (the first path, in sorted order, that shares the inode; '' when alone), xattrs (k=v;...).
Usage: list-rootfs.py ROOTFS > listing.tsv"""
import hashlib, os, stat, sys

root = sys.argv[1]
rows, inodes = [], {}
for dirpath, dirnames, filenames in os.walk(root):
    dirnames.sort()
    for name in sorted(dirnames + filenames):
        full = os.path.join(dirpath, name)
        rel = os.path.relpath(full, root)
        st = os.lstat(full)
        m = st.st_mode
        kind = ('Directory' if stat.S_ISDIR(m) else 'File' if stat.S_ISREG(m) else 'Symlink' if stat.S_ISLNK(m)
                else 'CharDevice' if stat.S_ISCHR(m) else 'BlockDevice' if stat.S_ISBLK(m) else 'Fifo' if stat.S_ISFIFO(m) else '?')
        size, digest, link = '', '', ''
        if kind == 'File':
            size = str(st.st_size)
            h = hashlib.sha256()
            with open(full, 'rb') as f:
                for chunk in iter(lambda: f.read(1 << 20), b''):
                    h.update(chunk)
            digest = 'sha256:' + h.hexdigest()
            if st.st_nlink > 1:
                inodes.setdefault(st.st_ino, []).append(rel)
        elif kind == 'Symlink':
            link = os.readlink(full)
        try:
            xs = sorted(os.listxattr(full, follow_symlinks=False))
            xattrs = ';'.join(f"{k}={os.getxattr(full, k, follow_symlinks=False).decode('utf-8', 'replace')}" for k in xs)
        except OSError:
            xattrs = ''
        rows.append([rel, kind, '%04o' % stat.S_IMODE(m), str(st.st_uid), str(st.st_gid), size, link, digest, st.st_ino, xattrs,
                     str(int(st.st_mtime))])
first = {ino: sorted(paths)[0] for ino, paths in inodes.items()}
rows.sort(key=lambda r: r[0].encode('utf-8'))
print('path\ttype\tmode\tuid\tgid\tsize\tlink\tdigest\thardlink\txattrs\tmtime')
for r in rows:
    group = first.get(r[8], '') if r[1] == 'File' else ''
    r[8] = group
    print('\t'.join(str(x) for x in r))
