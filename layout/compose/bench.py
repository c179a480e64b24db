"""Composition numbers on the seed copy: first-fit vs total-fit, grid on/off.

    python -m layout.compose.bench [--metrics fake|noto] [--em 13] [--size 9] [--json]

Body paragraphs are set with the 2-em indent, headlines / masthead lines without.
Prints, per configuration: lines, lines on the grid (%), lines with an isolated
half-width mark (%), loosest line (extra em between characters), rule faults,
and the composition time for the whole copy (warm: advances and pieces cached;
cold: a fresh Metrics object).
"""
from __future__ import annotations

import argparse
import json
import time

from .analysis import analyze_paragraph, summarize
from .model import ComposeSettings, Span
from .paragraph import compose_paragraph
from .testing import NOTO_SERIF, FakeMetrics, FontMetrics, seed_blocks

CONFIGS = (
    ("first-fit, even spreading", dict(breaker="first", grid=False)),
    ("first-fit, local absorption", dict(breaker="first", grid=True)),
    ("total-fit, even spreading", dict(breaker="total", grid=False)),
    ("total-fit, local absorption", dict(breaker="total", grid=True)),
)


def _metrics(name: str):
    if name == "noto":
        return FontMetrics({"song": NOTO_SERIF})
    return FakeMetrics()


def compose_seed(metrics, settings: ComposeSettings, size: float = 9.0, em_per_line: int = 13):
    measure = size * em_per_line
    out = []
    for kind, text in seed_blocks():
        ind = None if kind == "body" else 0.0
        out.append(compose_paragraph([Span(text, "song", size)], measure, metrics, settings, first_indent=ind))
    return out


def run(metrics_name: str = "fake", size: float = 9.0, em_per_line: int = 13, repeat: int = 5) -> dict:
    results = {}
    for label, kw in CONFIGS:
        st = ComposeSettings(**kw)
        m = _metrics(metrics_name)
        t0 = time.perf_counter()
        pars = compose_seed(m, st, size, em_per_line)
        cold = time.perf_counter() - t0
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            pars = compose_seed(m, st, size, em_per_line)
            best = min(best, time.perf_counter() - t0)
        s = summarize([analyze_paragraph(p, m, st) for p in pars])
        s["ms_warm"] = round(best * 1000, 2)
        s["ms_cold"] = round(cold * 1000, 2)
        results[label] = s
    return results


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--metrics", choices=("fake", "noto"), default="fake")
    ap.add_argument("--size", type=float, default=9.0)
    ap.add_argument("--em", type=int, default=13)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    res = run(a.metrics, a.size, a.em)
    if a.json:
        print(json.dumps(res, indent=1, ensure_ascii=False))
        return 0
    for label, s in res.items():
        print(f"{label:30s} lines {s['lines']:4d}  on grid {s['on_grid_pct']:5.1f}%  "
              f"isolated half {s['half_isolated_pct']:4.1f}%  loosest {s['max_extra_em']:.3f} em  "
              f"faults: start {s['forbidden_start']} end {s['forbidden_end']} split {s['split_units']} "
              f"pair {s['pair_faults']} gap {s['gap_faults']} fill {s['fill_faults']} "
              f">0.1em {s['extra_faults']} orphan {s['orphans']}  "
              f"time {s['ms_warm']:.1f} ms (cold {s['ms_cold']:.1f}) for {s['chars']} chars")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
