"""`render.py`'s main() run in the test's process, its exit code and what it printed."""
from __future__ import annotations

import contextlib
import io
import sys

from seed import ROOT

sys.path.insert(0, str(ROOT))
import render as render_cli  # noqa: E402


def run_main(argv: list[str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `render.py ARGV`."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = render_cli.main(argv)
    return code, out.getvalue(), err.getvalue()
