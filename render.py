#!/usr/bin/env python3
"""Render a 今日柯城 issue to a print PDF.

    python render.py 1640                 # issues/1640/issue.yaml -> out/1640.pdf
    python render.py path/to/issue.yaml -o proof.pdf --style kecheng

Exit codes: 0 rendered (warnings allowed), 2 bad input, 3 internal error.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import traceback
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="render.py",
        description="Lay out a newspaper issue (YAML) with a style sheet (YAML) and write a print PDF.",
        epilog="Exit codes: 0 rendered (warnings allowed); 2 bad input (the message names file, line and "
               "field); 3 internal error (a one-line summary; --debug shows the traceback).")
    p.add_argument("issue", help="issue number (looked up in issues/, e.g. 1640) or path to an issue YAML file")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="where to write the PDF (default: out/<issue number>.pdf)")
    p.add_argument("--style", metavar="NAME|PATH",
                   help="style sheet to use instead of the one the issue names: a name in styles/ or a YAML path")
    p.add_argument("--debug", action="store_true", help="show a full traceback on internal errors")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from layout.load.source import InputError
    from layout.pipeline import render
    try:
        result = render(args.issue, Path(args.output) if args.output else None, args.style)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as e:
        if args.debug:
            traceback.print_exc()
        log = Path(tempfile.gettempdir()) / "kecheng-render-error.log"
        log.write_text(traceback.format_exc(), encoding="utf-8")
        print(f"internal error: {type(e).__name__}: {e} (full log: {log})", file=sys.stderr)
        return 3
    from layout.check.report import summary_lines
    for line in summary_lines(result):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
