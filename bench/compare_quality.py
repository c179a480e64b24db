"""Composition of issue 1640's front page, ours against Typst's on the same grid, in one run.

    python -m bench.compare_quality            # prints the markdown table (the README's)

Both PDFs are read back by layout/check/quality.py, judging body-size text only: ours is
`render.py 1640`; Typst's is bench/typst_source.py's page 1 (same copy, same grid, same faces,
Typst's own CJK composition). Numbers are per page-1 body line.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _spread(values: list[float]) -> str:
    return f"{max(values) - min(values):.3f} em ({min(values):.3f}-{max(values):.3f})" if values else "-"


def _row(rep: dict) -> dict:
    p = rep["pages"][0]
    n = p["lines"]
    pairs = [x["em"] for x in p["pairs"]]
    mid = [x["em"] for x in p["pairs"] if x.get("place", "mid") == "mid"]
    at_15 = sum(1 for w in mid if abs(w - 1.5) <= 0.15)
    hist = Counter(round(w * 4) / 4 for w in mid)
    spaces = [x["em"] for x in p["word_spaces"]]
    return {
        "lines": n,
        "forbidden starts / ends": f'{len(p["forbidden_start"])} / {len(p["forbidden_end"])}',
        "lines on the character grid": f'{100.0 * (n - len(p["off_grid_lines"])) / n:.1f}%',
        "loosest line (extra between ideographs)": f'{p["loosest"]["extra_em"]:.3f} em',
        "adjacent punctuation runs (widths)": (f'{len(pairs)} ({min(pairs):.2f}-{max(pairs):.2f} em)'
                                               if pairs else "0"),
        "mid-line pairs at 1.5 em (±0.15)": f"{at_15} of {len(mid)}",
        "mid-line pair widths (to 1/4 em)": ", ".join(f"{w:.2f}×{c}" for w, c in sorted(hist.items())) or "-",
        "Han-letter gaps: spread": _spread(p["han_letter_gaps"]),
        "Han-digit gaps: spread": _spread(p["han_digit_gaps"]),
        "widest word space": f"{max(spaces):.3f} em" if spaces else "-",
        "number / date / dateline name split": str(len(p["kept_splits"])),
        "isolated mid-line marks set half width": f'{100.0 * len(p["half_mark_lines"]) / n:.1f}% of lines',
        "one-character last lines": str(len(p["one_char_last_lines"])),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--issue", default="1640")
    a = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from bench.typst_source import compile_pdf, find_issue, typst_source
    from layout.check.quality import quality_report
    from layout.load.style import load_style
    from layout.load.issue import load_issue

    issue_path = find_issue(a.issue)
    issue = load_issue(issue_path)
    style = load_style(ROOT / "styles" / f"{issue.style}.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        ours = Path(tmp) / "ours.pdf"
        subprocess.run([sys.executable, str(ROOT / "render.py"), str(issue_path), "-o", str(ours)],
                       check=True, capture_output=True, cwd=ROOT)
        theirs = Path(tmp) / "typst.pdf"
        theirs.write_bytes(compile_pdf(typst_source(issue_path)))
        g = style.grid
        cols = [(g.col_x(c) - g.gutter / 2, g.col_x(c) + g.column_width + g.gutter / 2) for c in range(g.columns)]
        rows = {"ours": _row(quality_report(ours, body_size=g.em, columns=cols)),
                "Typst": _row(quality_report(theirs, body_size=g.em, columns=cols))}
    import typst
    version = getattr(typst, "__version__", "?")
    print(f"| page 1 of issue {a.issue}, body text | this engine | Typst {version} (same copy and grid) |")
    print("|---|---:|---:|")
    for key in rows["ours"]:
        print(f"| {key} | {rows['ours'][key]} | {rows['Typst'][key]} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
