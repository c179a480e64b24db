#!/usr/bin/env python3
"""Time the make-up search per page, for pages of 2 .. 8 stories.

    PYTHONPATH=$PWD python bench/makeup_search.py [--style kecheng] [--seeds 3] [--pages 4]

For each story count it generates test issues (tools/gen_issue.py --fill 0.95, that many
stories on every page, photos on every other seed) and lays them out, timing each page's
make-up (page.py: _make_up: the variants and the search) twice in the one process:

- `first`: as a render meets it, compositions of the copy at each measure included;
- `search`: the same page again with the compositions cached (the ModuleSetter keeps them),
  so the variants' heights and the search are all that is timed: the figure issue 21 bounds
  at 50 ms a page (the level heights the ModuleSetter memoises are cleared first, so they are
  computed as in a page's first search).

The cyclic collector is set as render.py sets it (pipeline.quiet_collector). It prints
the median and the worst page per story count, in milliseconds. Whole-process
claims (a render of 1640 not slower) are measured from outside the process, not here.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from layout import quiet_collector  # noqa: E402
from layout.pipeline import _fonts, load  # noqa: E402
from layout.place import page as page_mod  # noqa: E402
from tools.gen_issue import generate  # noqa: E402


def time_pages(issue_file: Path, style: str) -> list[tuple[float, float]]:
    """(first, search) seconds of every page's make-up in one issue."""
    issue, st = load(str(issue_file), style)
    fonts = _fonts(st)
    make_up = page_mod._make_up
    out: list[tuple[float, float]] = []

    def timed(page, slots, issue_, ms, grid, top, **options):      # options: fold= (a spread)
        t0 = time.perf_counter()
        make_up(page, slots, issue_, ms, grid, top, **options)
        ms.levels.clear()              # the variants' level heights computed again, as a first search does
        ms.strands.clear()
        t1 = time.perf_counter()
        got = make_up(page, slots, issue_, ms, grid, top, **options)
        t2 = time.perf_counter()
        out.append((t1 - t0, t2 - t1))
        return got

    page_mod._make_up = timed
    try:
        page_mod.place_issue(issue, st, fonts)
    finally:
        page_mod._make_up = make_up
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--style", default="kecheng")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--pages", type=int, default=4)
    ap.add_argument("--stories", default="2-8", help="story counts a page, e.g. 2-8")
    a = ap.parse_args(argv)
    lo, hi = (int(x) for x in a.stories.split("-"))
    quiet_collector()               # the collector as render.py sets it
    print(f"style {a.style}, {a.seeds} seed(s) x {a.pages} page(s) per story count; milliseconds per page")
    print(f"{'stories':>7} {'pages':>5} {'first med':>9} {'first max':>9} {'search med':>10} {'search max':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(lo, hi + 1):
            rows: list[tuple[float, float]] = []
            for seed in range(1, a.seeds + 1):
                d = Path(tmp) / f"s{n}-{seed}"
                path = generate(d, pages=a.pages, stories_per_page=(n, n), photos=seed % 2 == 0, seed=seed,
                                style=a.style, fill=0.95)
                rows.extend(time_pages(path, a.style))
            first = [r[0] * 1000 for r in rows]
            search = [r[1] * 1000 for r in rows]
            print(f"{n:>7} {len(rows):>5} {statistics.median(first):>9.1f} {max(first):>9.1f} "
                  f"{statistics.median(search):>10.1f} {max(search):>10.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
