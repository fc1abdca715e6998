#!/usr/bin/env python3
"""Lists a plain tar read from stdin with python's tarfile (an independent reader) as JSON lines:
name, type (File/Directory/Symlink/Hardlink/CharDevice/BlockDevice/Fifo), size, mode, uid, gid, uname, gname,
linkname, mtime, xattrs (from PAX SCHILY.xattr.*). Used by the Pester tests to check Get-ImageLayerEntry."""
import json, sys, tarfile
kinds = {tarfile.REGTYPE: 'File', tarfile.AREGTYPE: 'File', tarfile.CONTTYPE: 'File', tarfile.DIRTYPE: 'Directory', tarfile.SYMTYPE: 'Symlink',
         tarfile.LNKTYPE: 'Hardlink', tarfile.CHRTYPE: 'CharDevice', tarfile.BLKTYPE: 'BlockDevice', tarfile.FIFOTYPE: 'Fifo'}
with tarfile.open(fileobj=sys.stdin.buffer, mode='r|') as t:
    for m in t:
        x = {k[len('SCHILY.xattr.'):]: v for k, v in m.pax_headers.items() if k.startswith('SCHILY.xattr.')}
        print(json.dumps({'name': m.name, 'type': kinds.get(m.type, 'Other'), 'size': m.size if m.isreg() else 0, 'mode': m.mode & 0o7777,
                          'uid': m.uid, 'gid': m.gid, 'uname': m.uname, 'gname': m.gname, 'linkname': m.linkname,
                          'mtime': int(m.mtime), 'xattrs': x}, ensure_ascii=False))
