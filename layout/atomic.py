"""Writing files so that readers only ever see the old ones or the whole new ones.

Every file is first written to a staging file beside its destination, named
``.<name>.<pid>.<random>.tmp``: unique to its run (concurrent runs never share one), and
carrying the id of the process that made it, so that the staging files of a run that was
killed (SIGKILL leaves no chance to clean up) are recognised as stale and removed by the
next write into the same folder. Files that belong together (a PDF and its preflight
report) are staged first and then renamed in one step, rolled back if a rename fails.
"""
from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Iterable

#: a staging file: dot, (a prefix of) the name, the pid of its writer, mkstemp's token, .tmp
STAGING = re.compile(r"^\..*\.(\d+)\.[A-Za-z0-9_]{6,}\.tmp$")
#: the staging name of strict runs before issue 20 (one name for every run)
_OLD_STRICT = re.compile(r"^\..+\.pdf\.strict$")
_NAME_PART = 80               # bytes of the destination's name kept in a staging name


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True           # someone else's process, or cannot tell: leave its files alone
    return True


def clean_stale(folder: Path | str) -> list[Path]:
    """Remove the staging files in `folder` whose writer is no longer running (and the
    strict-run staging files of older versions); returns what was removed."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = STAGING.match(entry.name)
        stale = (m is not None and not _alive(int(m.group(1)))) or _OLD_STRICT.match(entry.name) is not None
        if not stale:
            continue
        try:
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            pass
    return removed


def staging_path(path: Path | str) -> Path:
    """A new, empty staging file beside `path`, unique to this call (stale ones from dead
    runs in the same folder are removed first)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(path.parent)
    name = os.fsencode(path.name)[:_NAME_PART].decode("utf-8", "ignore")
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(tmp)


def _umask_mode(tmp: Path | str) -> None:
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(tmp, 0o666 & ~mask)


def write_staged(path: Path | str, data: bytes, *, mode_from_umask: bool = True) -> Path:
    """`data` in a new staging file beside `path` (see staging_path); the caller renames it
    into place (replace_together) or removes it."""
    tmp = staging_path(path)
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        if mode_from_umask:
            _umask_mode(tmp)
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def write_atomic(path: Path | str, data: bytes, *, mode_from_umask: bool = True) -> Path:
    """Write `data` to a staging file beside `path`, then rename it into place. On any
    failure the staging file is removed and `path` is left as it was. With
    `mode_from_umask` the file gets the mode a plain open() would give (mkstemp's is 0600)."""
    path = Path(path)
    tmp = write_staged(path, data, mode_from_umask=mode_from_umask)
    try:
        os.replace(tmp, path)
    except BaseException:
        _unlink(tmp)
        raise
    return path


def replace_together(pairs: Iterable[tuple[Path, Path]]) -> None:
    """Rename each staged file onto its destination, in order (put the file whose arrival
    means "done", the PDF, last). If any rename fails, the ones already made are undone (the
    old files restored from hard-link backups taken first), every staging file is removed
    and the error raised: the destinations are all new, or all as they were."""
    pairs = [(Path(a), Path(b)) for a, b in pairs]
    backups: dict[Path, Path | None] = {}
    done: list[Path] = []
    try:
        for _, final in pairs:
            backups[final] = None
            if final.exists() and final.is_file():
                backup = staging_path(final)
                os.unlink(backup)
                try:
                    os.link(final, backup)
                    backups[final] = backup
                except OSError:
                    pass                        # no hard links here: no undo for this one
        for staged, final in pairs:
            os.replace(staged, final)
            done.append(final)
    except BaseException:
        for final in reversed(done):
            backup = backups.get(final)
            try:
                if backup is not None:
                    os.replace(backup, final)
                else:
                    os.unlink(final)
            except OSError:
                pass
        for staged, _ in pairs:
            _unlink(staged)
        raise
    finally:
        for backup in backups.values():
            if backup is not None:
                _unlink(backup)


def _unlink(p: Path | str) -> None:
    try:
        os.unlink(p)
    except OSError:
        pass


def not_a_regular_file(path: Path) -> str | None:
    """Why `path` cannot be replaced by a written file (a FIFO, a device, a socket), or None
    (no such file, or a regular file)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if stat.S_ISREG(st.st_mode):
        return None
    kind = ("a folder" if stat.S_ISDIR(st.st_mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(st.st_mode)
            else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
            else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
    return kind
