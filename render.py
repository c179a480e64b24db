#!/usr/bin/env python3
"""Render a 今日柯城 issue to a print PDF.

    python render.py 1640                 # issues/1640/issue.yaml -> out/1640.pdf
    python render.py path/to/issue.yaml -o proof.pdf --style kecheng
    python render.py new 1641 --from 1640            # the next issue, its plan reserved for copy
    python render.py import a.docx b.txt --into 1641 --page 1   # reporters' files as stories

Exit codes: 0 rendered (warnings allowed); 1 preflight errors under --strict (no PDF written);
2 bad input (one line naming file, line, column and field); 3 internal error (one line, and
where the full log was written; --debug shows the traceback) or a missing dependency (one line
naming the package and the command that installs it).

The PDF is written to a temporary file beside its destination and renamed into place only
when the whole render succeeded: a failed or refused run never touches an existing PDF.
"""
from __future__ import annotations

import argparse
import errno
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_STRICT, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="render.py",
        description="Lay out a newspaper issue (YAML) with a style sheet (YAML) and write a print PDF.",
        epilog="Exit codes: 0 rendered (warnings allowed); 1 preflight errors with --strict (no PDF written); "
               "2 bad input (the message names file, line, column and field); 3 internal error (a one-line "
               "summary and the path of a full log; --debug shows the traceback). Copy intake: "
               "render.py new N --from M; render.py import FILE... --into N [--page P] (each has --help).")
    p.add_argument("issue", help="issue number (looked up in issues/, e.g. 1640) or path to an issue YAML file")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="where to write the PDF (default: out/<issue number>.pdf)")
    p.add_argument("--style", metavar="NAME|PATH",
                   help="style sheet to use instead of the one the issue names: a name in styles/ or a YAML path")
    p.add_argument("--strict", action="store_true",
                   help="the file for the press (付印): exit 1 without writing the PDF when preflight finds any "
                        "error (overset, missing glyph …) or any placeholder (a photo or QR payload not on file, "
                        "a frame awaiting copy, 待稿), naming each")
    p.add_argument("--final", dest="strict", action="store_true", help="the same as --strict")
    p.add_argument("--debug", action="store_true", help="show a full traceback on internal errors")
    p.add_argument("--proof", action="store_true",
                   help="also write page proofs in <pdf stem>-proof/ beside the PDF: page-N.png, proof.pdf "
                        "(watermarked 校样; modules and frames outlined; overset and awaiting-copy frames marked "
                        "with their capacity) and index.html (the pages beside the preflight findings)")
    p.add_argument("--dpi", type=_dpi, default=None, metavar="N",
                   help="resolution of the proofs' page images (default 150: A3 is 1754 x 2480 pixels); "
                        "implies --proof")
    p.add_argument("--grid", action="store_true",
                   help="draw the grid (numbered columns and grid lines) on the proofs; implies --proof")
    p.add_argument("--watch", action="store_true",
                   help="keep running: render again (with --proof, the proofs too) whenever the issue, its "
                        "photos or its style sheet change; a bad edit prints its error and the next save "
                        "renders again; Ctrl-C stops")
    p.add_argument("--serve", action="store_true",
                   help="serve the proof at http://127.0.0.1:PORT/ and keep it current: every save of the issue "
                        "(its photos, its style) shows on the open page within a moment, only the changed pages "
                        "reloaded; a bad edit shows its error there; Ctrl-C stops (layout/check/serve.py)")
    p.add_argument("--port", type=_port, default=None, metavar="N",
                   help="the port of --serve (default 8640; 0 picks a free one); implies --serve")
    p.add_argument("--lang", choices=("zh", "en"), default="zh",
                   help="the proof viewer's language at opening (default zh; the page has a switch)")
    return p


def _port(s: str) -> int:
    try:
        v = int(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {s!r}") from None
    if not 0 <= v <= 65535:
        raise argparse.ArgumentTypeError(f"{v}: expected 0 to 65535")
    return v


class _OutputError(Exception):
    """The PDF cannot be written where asked (a bad -o): reported like bad input."""


def _one_line(s: str, limit: int = 400) -> str:
    s = " ".join(str(s).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _check_output(out: Path) -> None:
    """Refuse an -o that can never be written, before any work is done."""
    try:
        os.stat(out)
    except OSError as e:             # a name too long, a loop of links ...: not merely absent
        if e.errno != errno.ENOENT and e.errno != errno.ENOTDIR:
            raise _OutputError(f"{_one_line(out, 80)}: cannot write ({e.strerror})") from None
    if out.is_dir():
        raise _OutputError(f"{out}: is a folder; -o names the PDF file to write")
    parent = out.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise _OutputError(f"{out}: {parent} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise _OutputError(f"{out}: cannot write in {parent} (permission denied)")


def _dpi(s: str) -> int:
    try:
        v = int(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of dots per inch, got {s!r}") from None
    if not 10 <= v <= 600:
        raise argparse.ArgumentTypeError(f"{v}: expected 10 to 600")
    return v


def _missing_dependency(e: BaseException) -> str | None:
    """The one line for a Python that lacks a package the engine needs (not our own code)."""
    name = getattr(e, "name", None) or ""
    if not isinstance(e, ModuleNotFoundError) or not name or name.split(".")[0] in ("layout", "render"):
        return None
    root = Path(__file__).resolve().parent
    return (f"error: the Python package '{name.split('.')[0]}' is not installed in {sys.executable}; "
            f"install the engine's dependencies with: python -m pip install -e {root}")


def _internal_error(e: BaseException, argv: list[str] | None, debug: bool) -> int:
    missing = _missing_dependency(e)
    if missing is not None and not debug:
        print(missing, file=sys.stderr)
        return EXIT_INTERNAL
    import tempfile
    import traceback          # only on this path: 2 ms of every run otherwise

    tb = traceback.format_exc()
    if debug:
        print(tb, file=sys.stderr, end="")
    # where it failed: the innermost frame in our own code
    where = ""
    root = str(Path(__file__).resolve().parent)
    for fr in reversed(traceback.extract_tb(e.__traceback__)):
        if fr.filename.startswith(root):
            where = f" at {os.path.relpath(fr.filename, root)}:{fr.lineno} ({fr.name})"
            break
    try:
        fd, log = tempfile.mkstemp(prefix="kecheng-render-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"render.py {' '.join(argv if argv is not None else sys.argv[1:])}\n\n{tb}")
        logged = f"full log: {log}"
    except OSError as le:
        logged = f"no log written: {le.strerror}"
    print(f"internal error: {type(e).__name__}: {_one_line(e)}{where} ({logged})", file=sys.stderr)
    return EXIT_INTERNAL


def main(argv: list[str] | None = None) -> int:
    if (sys.argv[1:] if argv is None else argv)[:1] in (["import"], ["new"]):
        return _intake(sys.argv[1:] if argv is None else argv)
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:          # usage error (2) or --help (0)
        return int(e.code or 0)
    programs = None
    args.serve = args.serve or args.port is not None
    try:
        if not args.watch and not args.serve:
            # the font-subset worker starts before the engine is imported (layout/emit/subsets.py):
            # forked, while this process is still small
            from layout.emit import subsets
            programs = subsets.start(fork=True)
        import layout.pipeline  # noqa: F401  (a broken installation is an internal error too)
    except Exception as e:           # noqa: BLE001
        if programs is not None:
            programs.close()
        return _internal_error(e, argv, args.debug)
    out = Path(args.output) if args.output else None
    args.proof = args.proof or args.grid or args.dpi is not None
    if args.serve:
        return _serve(args, out)
    if args.watch:
        return _watch(args, out, argv)
    with programs:
        return _once(args, out, argv, programs)[0]


def _intake(argv: list[str]) -> int:
    """`render.py import FILE... --into N` and `render.py new N --from M` (layout/intake/cli.py)."""
    debug = "--debug" in argv
    rest = [a for a in argv if a != "--debug"]
    try:
        from layout.intake.cli import main as intake_main
        return intake_main(rest)
    except KeyboardInterrupt:
        print("interrupted; nothing written", file=sys.stderr)
        return 130
    except Exception as e:           # noqa: BLE001 - ours, reported in one line
        return _internal_error(e, argv, debug)


def _watch(args, out, argv) -> int:
    from layout.check.watch import watch
    from layout.load.source import InputError

    def once(changed):
        code, result = _once(args, out, argv)
        if code == 130:
            raise KeyboardInterrupt
        return result
    try:
        watch(args.issue, args.style, once)
    except InputError as e:              # no such issue: nothing to watch
        print(f"error: {e}", file=sys.stderr)
        return EXIT_INPUT
    return EXIT_OK


def _serve(args, out) -> int:
    from layout.check.serve import DEFAULT_PORT, serve
    from layout.load.source import InputError

    try:
        return serve(args.issue, args.style, out, port=DEFAULT_PORT if args.port is None else args.port,
                     dpi=args.dpi or 150, grid=args.grid, lang=args.lang)
    except InputError as e:              # no such issue: nothing to serve
        print(f"error: {e}", file=sys.stderr)
        return EXIT_INPUT


def _once(args, out, argv, programs=None):
    """One render as the command line asks: (exit code, the Render or None).  `programs`:
    a font-subset worker already started (emit/subsets.py)."""
    from layout.check.accounting import AccountingError
    from layout.load.source import InputError
    from layout.pipeline import render
    result = None
    try:
        if out is not None:
            _check_output(out)
        try:
            result = render(args.issue, out, args.style, write=True, strict=args.strict, programs=programs)
        except OSError as e:
            if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.EISDIR, errno.ENOTDIR,
                           errno.ENAMETOOLONG) or \
                    (e.errno == errno.ENOENT and out is not None and not out.parent.exists()):
                raise _OutputError(f"{e.filename or out}: cannot write ({e.strerror})") from None
            raise
        for line in _summary(result):
            print(line)
        if args.strict and _errors(result):
            errors = _errors(result)
            print(f"error: --strict: preflight found {len(errors)} error(s) ({_named(errors)}); no PDF written",
                  file=sys.stderr)
            return EXIT_STRICT, result
        if args.proof and result.pdf is not None:
            from layout.check.proof import proof_dir, write_proofs
            dpi = args.dpi or 150
            index = write_proofs(result, proof_dir(result), dpi=dpi, grid=args.grid)
            print(f"wrote {index.parent}{os.sep} (proof.pdf, page images at {dpi} dpi"
                  f"{', grid' if args.grid else ''}); open {index}")
        return EXIT_OK, result
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_INPUT, result
    except _OutputError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_INPUT, result
    except KeyboardInterrupt:
        print("interrupted; no PDF written", file=sys.stderr)
        return 130, result
    except BrokenPipeError:
        raise
    except AccountingError as e:     # the engine's books do not balance: never the editor's fault
        return _internal_error(e, argv, args.debug), result
    except Exception as e:           # noqa: BLE001 - anything else is ours, reported in one line
        return _internal_error(e, argv, args.debug), result


def _errors(result) -> list:
    """Findings of severity 'error': the preflight's (which include the layout's) when the
    pipeline ran it, else the layout's own."""
    pre = getattr(result, "preflight", None)
    found = getattr(pre, "findings", None) if pre is not None else None
    if found is None:
        found = getattr(result.laid, "findings", ())
    return [f for f in found if getattr(f, "severity", None) == "error"]


def _named(errors) -> str:
    """Each error by page and check, in the order the table lists them: 'p1 missing-qr ×2, p2 overset'."""
    counts: dict[str, int] = {}
    for f in errors:
        page = getattr(f, "page", None)
        key = f"{f'p{page} ' if page else ''}{getattr(f, 'code', '?')}"
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(k if n == 1 else f"{k} ×{n}" for k, n in counts.items())


def args_watch(argv: list[str]) -> bool:
    return any(a in ("--watch", "--serve") or a.startswith("--port") for a in argv)


def _summary(result) -> list[str]:
    from layout.check.report import summary_lines
    return summary_lines(result)


if __name__ == "__main__":
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):
            pass
    from layout import quiet_collector
    quiet_collector()
    try:
        code = main()
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:          # e.g. `python render.py 1640 | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    # Every file is written and closed (temporary file + rename); skip tearing the heap down,
    # unless a coverage or trace tool needs its exit hooks.
    if "coverage" not in sys.modules and sys.gettrace() is None and not args_watch(sys.argv):
        os._exit(code)
    sys.exit(code)
