#!/usr/bin/env python3
"""Writes the hand-made layer tars of the layers fixtures into DIR (argument):
hostile-*.tar   one hostile entry each after a harmless file, to be refused by an unpacker;
truncated.tar   a valid tar cut inside the data of its second file (no padding, no end blocks);
same-layer.tar  whiteouts of paths the same layer also adds (before and after the whiteout) and an opaque
                marker after a file of its folder: they hide only what the layers below hold (OCI image-spec, layer.md)."""
import io, sys, tarfile, os

out = sys.argv[1]
MTIME = 1700000000

def info(name, kind=tarfile.REGTYPE, data=b'', link='', mode=0o644):
    ti = tarfile.TarInfo(name)
    ti.type, ti.mode, ti.mtime, ti.uid, ti.gid = kind, mode, MTIME, 0, 0
    ti.uname = ti.gname = 'root'
    ti.linkname = link
    ti.size = len(data) if kind == tarfile.REGTYPE else 0
    return ti, (io.BytesIO(data) if kind == tarfile.REGTYPE else None)

def write(name, entries):
    with tarfile.open(os.path.join(out, name), 'w', format=tarfile.PAX_FORMAT) as t:
        for ti, f in entries:
            t.addfile(ti, f)

def ok(): return info('ok.txt', data=b'harmless\n')
write('hostile-dotdot.tar', [ok(), info('../../etc/x', data=b'escaped by ..\n')])
write('hostile-absolute.tar', [ok(), info('/abs', data=b'escaped by an absolute path\n')])
write('hostile-symlink.tar', [ok(), info('evil', tarfile.SYMTYPE, link='/'), info('evil/x', data=b'escaped through a symlink\n')])
write('hostile-symlink-relative.tar', [ok(), info('up', tarfile.SYMTYPE, link='../..'), info('up/y', data=b'escaped through ../..\n')])
write('hostile-hardlink.tar', [ok(), info('passwd', tarfile.LNKTYPE, link='/etc/passwd')])
write('hostile-hardlink-dotdot.tar', [ok(), info('shadow', tarfile.LNKTYPE, link='../../etc/shadow')])

def folder(name): return info(name, tarfile.DIRTYPE, mode=0o755)
write('same-layer.tar', [
    folder('d/'),
    info('d/kept.txt', data=b'upper\n'), info('d/.wh.kept.txt'),     # added, then whited out: the lower file goes
    info('d/.wh.lower.txt'),                                           # a plain whiteout of a lower file
    info('d/added.txt', data=b'added\n'), info('d/.wh.added.txt'),   # nothing below to hide
    info('d/.wh.back.txt'), info('d/back.txt', data=b'back\n'),      # whiteout first, then the file
    folder('o/'),
    info('o/new.txt', data=b'new\n'), info('o/.wh..wh..opq'),        # opaque after a file of the same layer
    info('o/later.txt', data=b'later\n'),
])

buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode='w', format=tarfile.GNU_FORMAT) as t:
    for e in [info('first.txt', data=b'complete\n'), info('second.bin', data=bytes(range(256)) * 8)]:
        t.addfile(*e)
data = buf.getvalue()
# header of first (512) + data block (512) + header of second (512) + 1000 of its 2048 bytes
with open(os.path.join(out, 'truncated.tar'), 'wb') as f:
    f.write(data[:512 * 3 + 1000])
