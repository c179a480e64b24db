"""Font programs for the PDF: HarfBuzz subsets, Flate-compressed, made ahead in a worker.

Subsetting the CJK faces costs ~5 ms a face in HarfBuzz, which holds the GIL, so threads
do not help.  Right after placement the glyphs the emitter will draw are known
(textplan.glyph_plan).  ``start`` starts a worker at the beginning of a render; it is given
the plan after placement and subsets and compresses while this process imports reportlab and draws the pages.
render.py forks it first thing, while its heap is small; later in a process (the pipeline's
own ``start``, the tests) a fresh interpreter is spawned instead, as a fork there makes the
parent pay copy-on-write faults on its whole heap while the worker lives.  The emitter takes a worker's program
only for exactly the glyph set it drew, and makes the program itself otherwise (no fork on
this platform, a plan that missed a glyph, a worker that failed): the file is the same
either way.

The worker is subset_worker.py: run as a script, or its ``serve`` in the forked child.
"""
from __future__ import annotations

import marshal
import os
import select
import sys
import time
from typing import Mapping, NamedTuple, Sequence

from . import subset_worker
from .subset_worker import program_parts

#: Environment switch: KECHENG_SUBSET_WORKER=0 makes every subset in process.
ENV_SWITCH = "KECHENG_SUBSET_WORKER"
#: Longest wait for the worker's programs before making them in process.
WAIT_S = 60.0

class FontProgram(NamedTuple):
    flate: bytes                 # the program, zlib-compressed (the stream's /FlateDecode data)
    length: int                  # its uncompressed length (/Length1 of a TrueType program)
    old_to_new: dict[int, int]   # original glyph id -> glyph id in the subset
    glyph_count: int             # of the whole face (checked against the cached metrics)
    weight: int                  # OS/2 usWeightClass
    serif: bool
    fixed: bool                  # fixed pitch (post.isFixedPitch)


def make_program(path, gids: Sequence[int], is_cff: bool, face=None) -> FontProgram:
    """In process, what the worker makes."""
    return FontProgram(*program_parts(path, gids, is_cff, face))


class SubsetJob:
    """Font programs for one document: from the worker when it made the same glyph set,
    else made here.  ``close`` (or leaving the ``with`` block) ends the worker."""

    def __init__(self, faces: Mapping | None = None):
        self.faces = faces or {}
        self.plan: dict[str, tuple[int, ...]] = {}
        self.pid: int | None = None
        self.fd_plan: int | None = None      # the worker's stdin
        self.fd_out: int | None = None       # the worker's stdout
        # face key -> (the glyph ids a program was made for, the program)
        self.results: dict[str, tuple[tuple[int, ...], FontProgram]] = {}
        self.used_worker: list[str] = []     # face keys whose program came from the worker
        self.made_here: list[str] = []       # face keys subset in this process

    def __enter__(self) -> SubsetJob:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def send(self, plan: Mapping[str, Sequence[int]], faces: Mapping | None = None) -> None:
        """Give the worker the planned glyph ids of each face (glyph_plan's result)."""
        if faces is not None:
            self.faces = faces
        self.plan = {k: tuple(v) for k, v in plan.items() if v}
        fd, self.fd_plan = self.fd_plan, None
        if fd is None:
            return
        try:
            order = {k: (str(self.faces[k].path), bool(self.faces[k].is_cff), g) for k, g in self.plan.items()}
            data = memoryview(marshal.dumps(order))
            while data:
                data = data[os.write(fd, data):]
        except (OSError, ValueError, KeyError):
            self.close()              # the worker is gone or the plan cannot be sent: work here
        finally:
            os.close(fd)

    def program(self, key: str, gids: Sequence[int]) -> FontProgram:
        """The program of face `key` for exactly these (sorted) glyph ids."""
        if self.fd_out is not None:
            self._collect()
        got = self.results.get(key)
        if got is not None and got[0] == tuple(gids):
            self.used_worker.append(key)
            return got[1]
        face = self.faces[key]
        self.made_here.append(key)
        return make_program(face.path, gids, face.is_cff)

    def _collect(self) -> None:
        """Read the worker's programs (it has usually finished by now), then reap it."""
        fd, self.fd_out = self.fd_out, None
        chunks: list[bytes] = []
        deadline = time.monotonic() + WAIT_S
        ok = True
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([fd], [], [], left)[0]:
                    ok = False
                    break
                b = os.read(fd, 1 << 20)
                if not b:
                    break
                chunks.append(b)
        finally:
            os.close(fd)
        status = self._reap(kill=not ok)
        if ok and status == 0:
            try:
                got = marshal.loads(b"".join(chunks))
                self.results = {k: (self.plan[k], FontProgram(*v)) for k, v in got.items()}
            except Exception:
                self.results = {}

    def _reap(self, kill: bool = False) -> int | None:
        pid, self.pid = self.pid, None
        if pid is None:
            return None
        if kill:
            try:
                os.kill(pid, 9)          # SIGKILL (the signal module costs 4 ms to import)
            except OSError:
                pass
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return None
        return os.waitstatus_to_exitcode(status)

    def close(self) -> None:
        for name in ("fd_plan", "fd_out"):
            fd = getattr(self, name)
            if fd is not None:
                setattr(self, name, None)
                os.close(fd)
        self._reap(kill=True)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _can_spawn() -> bool:
    # on one CPU the worker would only add its own start-up to the run
    return (hasattr(os, "posix_spawn") and os.environ.get(ENV_SWITCH, "1").strip() != "0"
            and _cpus() > 1)


def start(fork: bool = False) -> SubsetJob:
    """Start a worker process (a fresh interpreter running subset_worker.py) that waits for the
    glyph plan (``SubsetJob.send``); where processes cannot be spawned, the job makes every
    program in process.

    `fork`: fork this process instead, for a caller that has imported next to nothing yet and
    runs no thread (render.py, first thing): the child skips an interpreter's start-up
    (measured: ~20 ms of CPU a render) and the parent's copy-on-write faults stay few, its heap
    being small.  Later in a run, with the engine loaded, a fork costs more than it saves."""
    job = SubsetJob()
    if not _can_spawn():
        return job
    if fork and hasattr(os, "fork"):
        return _fork(job)
    if not sys.executable:
        return job
    # the worker starts without site processing (-S -E: ~15 ms instead of ~50) and is told
    # where HarfBuzz's binding lives
    try:
        from importlib.util import find_spec
        spec = find_spec("uharfbuzz")
        where = os.path.dirname(next(iter(spec.submodule_search_locations or ()), "") or spec.origin or "")
    except (ImportError, ValueError, AttributeError, TypeError):
        return job
    if not where:
        return job
    plan_r, plan_w = os.pipe()
    out_r, out_w = os.pipe()
    try:
        pid = os.posix_spawn(sys.executable, [sys.executable, "-S", "-E", "-P", subset_worker.__file__, where],
                             os.environ,
                             file_actions=[(os.POSIX_SPAWN_DUP2, plan_r, 0),
                                           (os.POSIX_SPAWN_DUP2, out_w, 1),
                                           (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
    except OSError:
        for fd in (plan_r, plan_w, out_r, out_w):
            os.close(fd)
        return job
    os.close(plan_r)
    os.close(out_w)
    _widen(plan_w, out_r)
    job.pid, job.fd_plan, job.fd_out = pid, plan_w, out_r
    return job


def _fork(job: SubsetJob) -> SubsetJob:
    plan_r, plan_w = os.pipe()
    out_r, out_w = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        for fd in (plan_r, plan_w, out_r, out_w):
            os.close(fd)
        return job
    if pid == 0:                     # the worker: never returns into the caller's code
        code = 1
        try:
            os.close(plan_w)
            os.close(out_r)
            null = os.open(os.devnull, os.O_RDWR)      # nothing of the caller's stdio held open
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            code = subset_worker.serve(plan_r, out_w)
        except BaseException:        # noqa: BLE001 - the parent makes the programs itself
            pass
        os._exit(code)               # no teardown, no atexit, no flushing the parent's buffers
    os.close(plan_r)
    os.close(out_w)
    _widen(plan_w, out_r)
    job.pid, job.fd_plan, job.fd_out = pid, plan_w, out_r
    return job


def _widen(*fds: int) -> None:
    """Room for the plan and all the programs: neither side waits for the other to read."""
    try:
        import fcntl
        for fd in fds:
            fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (ImportError, OSError):
        pass
