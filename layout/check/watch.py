"""Render again whenever the issue, its images or its style sheet change (``render.py --watch``).

Polls modification times (no extra dependency, works on every file system, network shares
included): every `interval` seconds it stats the watched files; when any changed (modified,
created, deleted, replaced by an editor's save-as-rename), it waits until they have been quiet
for `debounce` seconds (an editor writing several files, a photo being copied) and then calls
``on_change(changed)`` once.

What is watched is worked out again after every render: the issue file, the style sheet it
names (or the one given with --style), and every photo the issue refers to, present or not
(a photo dropped into the issue folder later triggers a render).  When the issue cannot be
read (a bad edit), the files of the last good read stay watched.

``on_change`` does the work (render, print, write proofs) and raises on failure: the watcher
prints the error in one line and keeps watching, so the next save that fixes it renders again.
If ``on_change`` returns an object with ``.issue`` and ``.style`` (a ``pipeline.Render``), the
watch list is taken from it; otherwise the watcher loads the issue itself.
"""
from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Iterable

__all__ = ["watch", "watched_files", "snapshot"]

Stamp = tuple[int, int] | None          # (mtime_ns, size), None: no such file
_UNSEEN: Stamp = (-1, -1)                # a file written while the render that found it ran
_CLOCK_MARGIN_NS = 50_000_000            # file times lag the wall clock by up to a tick


def snapshot(paths: Iterable[Path]) -> dict[Path, Stamp]:
    out: dict[Path, Stamp] = {}
    for p in paths:
        try:
            st = os.stat(p)
            out[p] = (st.st_mtime_ns, st.st_size)
        except OSError:
            out[p] = None
    return out


def watched_files(issue, style) -> list[Path]:
    """The files a render of `issue` with `style` reads (besides fonts and the engine)."""
    files = [Path(issue.path), Path(style.path)]
    for story in issue.stories.values():
        ph = getattr(story, "photo", None)
        f = getattr(ph, "file", None) if ph is not None else None
        if f is not None:
            files.append(Path(f))
    seen, out = set(), []
    for f in files:
        try:
            key = f.resolve()
        except OSError:
            key = f.absolute()
        if key not in seen:
            seen.add(key)
            out.append(key)
    return out


def _one_line(e: BaseException) -> str:
    from ..load.source import InputError

    s = str(e) if isinstance(e, InputError) else f"{type(e).__name__}: {e}"
    s = " ".join(s.split())
    return s if len(s) <= 600 else s[:599] + "…"


def watch(issue_arg, style_arg, on_change: Callable, interval: float = 0.5, *,
          debounce: float = 0.3, initial: bool = True, stop: threading.Event | None = None,
          max_renders: int | None = None, timeout: float | None = None,
          out=None, err=None) -> int:
    """Call ``on_change(changed)`` now (``initial``; `changed` is ``()``) and after every change
    to the files the issue's render reads; `changed` is the tuple of paths that changed.

    Runs until Ctrl-C, until `stop` is set, after `max_renders` calls, or after `timeout`
    seconds; returns the number of calls.  Errors raised by ``on_change`` (and by reading the
    issue to know what to watch) are printed to `err` (stderr) and the watch goes on.  Only
    an issue that cannot be found at all (no such file or number) raises, before anything
    is rendered."""
    from ..pipeline import find_issue, load

    out = out or sys.stdout
    err = err or sys.stderr
    issue_path = find_issue(str(issue_arg)).resolve()        # InputError: nothing to watch
    files: list[Path] = [issue_path]
    deadline = None if timeout is None else time.monotonic() + timeout
    renders = 0

    def say(stream, text: str) -> None:
        print(text, file=stream, flush=True)

    def run(changed: tuple[Path, ...]) -> None:
        nonlocal files, renders
        renders += 1
        result = None
        try:
            result = on_change(changed)
        except KeyboardInterrupt:
            raise
        except BaseException as e:       # noqa: BLE001 - a bad edit must not end the watch
            if isinstance(e, SystemExit):
                say(err, f"error: render exited with {e.code}")
            else:
                say(err, f"error: {_one_line(e)}")
        try:
            if getattr(result, "issue", None) is not None and getattr(result, "style", None) is not None:
                issue, style = result.issue, result.style
            else:
                issue, style = load(str(issue_arg), style_arg)
            new = watched_files(issue, style)
            if issue_path not in new:
                new.insert(0, issue_path)
            files = new
        except KeyboardInterrupt:
            raise
        except Exception as e:           # noqa: BLE001 - keep the last good list
            if result is not None:       # on_change succeeded yet the issue does not read: say so
                say(err, f"error: {_one_line(e)}")

    def done() -> bool:
        return ((stop is not None and stop.is_set())
                or (max_renders is not None and renders >= max_renders)
                or (deadline is not None and time.monotonic() >= deadline))

    def sleep(t: float) -> None:
        if stop is not None:
            stop.wait(t)
        else:
            time.sleep(t)

    def render_and_stamp(changed: tuple[Path, ...], before: dict[Path, Stamp] | None = None) -> dict[Path, Stamp]:
        """Render, and return the stamps the render read: those of the files known before it
        (as they were when it started), so that a save made during the render is seen next
        round; a file the render newly found is stamped now, unless it was written after the
        render started (the kernel's file clock is coarse: a margin), when it counts as changed."""
        known = before if before is not None else snapshot(files)
        started = time.time_ns() - _CLOCK_MARGIN_NS
        run(changed)
        stamps: dict[Path, Stamp] = {}
        for p in files:
            if p in known:
                stamps[p] = known[p]
                continue
            now_stamp = snapshot([p])[p]
            stamps[p] = _UNSEEN if now_stamp is not None and now_stamp[0] >= started else now_stamp
        return stamps

    try:
        seen = snapshot(files)
        if initial:
            seen = render_and_stamp(())
        say(out, _watching(files))
        pending: dict[Path, Stamp] | None = None   # the state a change was last seen in
        quiet_since = 0.0
        while not done():
            sleep(interval)
            if done():
                break
            now = snapshot(files)
            if now == seen:
                pending = None
                continue
            if pending is None or now != pending:     # (still) changing: wait for quiet
                pending, quiet_since = now, time.monotonic()
                if debounce > 0:
                    continue
            if time.monotonic() - quiet_since < debounce:
                continue
            changed = tuple(p for p in now if now.get(p) != seen.get(p))
            say(out, "changed: " + ", ".join(_short(p) for p in changed) + "; rendering again")
            before = list(files)
            seen = render_and_stamp(changed, now)
            pending = None
            if files != before:
                say(out, _watching(files))
    except KeyboardInterrupt:
        say(out, "stopped watching")
    return renders


def _short(p: Path) -> str:
    """Relative to the working directory when inside it, else absolute."""
    try:
        r = os.path.relpath(p)
    except ValueError:
        return str(p)
    return str(p) if r.startswith("..") else r


def _watching(files: list[Path]) -> str:
    shown = ", ".join(_short(p) for p in files[:4]) + (f" and {len(files) - 4} more" if len(files) > 4 else "")
    return f"watching {len(files)} file(s): {shown} (Ctrl-C to stop)"
