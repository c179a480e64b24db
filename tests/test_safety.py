"""What a render must never do (issue 20): hang on a long headline, print a damaged font,
lose a dateline, lie in its text layer, overwrite the wrong file, trip over a concurrent
or killed run, or answer bad YAML without a line and column.

The inputs that provoke each are in tests/safety_cases.py (a list the fuzz test can draw
on); this file runs them and reads the PDFs back.
"""
from __future__ import annotations

import itertools
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from layout.place.headline import best_breaks

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import safety_cases  # noqa: E402


def _run(args: list[str], timeout: float = 60, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "render.py", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, **kw)


def pdf_text(path: Path) -> str:
    """The text layer as pypdf reads it, with line breaks and spaces taken out."""
    import pypdf
    return "".join("".join(p.extract_text().split()) for p in pypdf.PdfReader(path).pages)


# --------------------------------------------------------------------------- item 2: headlines
def _exhaustive(parts, lines, measure, width):
    """Every combination of break points (the breaker before issue 20): the reference."""
    best, best_cost = None, None
    for cuts in itertools.combinations(range(1, len(parts)), lines - 1):
        bounds = (0,) + cuts + (len(parts),)
        texts = ["".join(parts[a:b]) for a, b in zip(bounds, bounds[1:])]
        ws = [width(t) for t in texts]
        if any(w > measure + 1e-6 for w in ws) or any(len(t) < 2 for t in texts):
            continue
        cost = _cost(ws)
        if best_cost is None or cost < best_cost:
            best, best_cost = texts, cost
    return best


def _cost(ws):
    mean = sum(ws) / len(ws)
    return sum((w - mean) ** 2 for w in ws) + (1e4 if ws[-1] < 0.5 * max(ws) else 0)


def test_headline_breaks_are_as_good_as_trying_every_split():
    rng = random.Random(20)
    for _ in range(1500):
        parts = ["字" * rng.randint(1, 4) for _ in range(rng.randint(2, 11))]
        lines, measure = rng.randint(2, 5), rng.randint(2, 14)
        want = _exhaustive(parts, lines, measure, len)
        got = best_breaks(parts, lines, measure, len)
        assert (want is None) == (got is None), (parts, lines, measure)
        if got:
            assert "".join(got) == "".join(parts)
            assert all(len(t) <= measure and len(t) >= 2 for t in got)
            assert _cost([len(t) for t in got]) == pytest.approx(_cost([len(t) for t in want]))


def test_a_long_breaker_search_is_answered_at_once():
    parts = ["字字"] * 400
    got = best_breaks(parts, 8, 100, len)        # 800 characters in 8 lines of 100
    assert got is not None and [len(t) for t in got] == [100] * 8


@pytest.mark.parametrize("case", safety_cases.HEADLINES, ids=lambda c: c.name)
def test_long_or_unbreakable_headlines_render_in_seconds(case, tmp_path):
    issue = case.write(tmp_path)
    out = tmp_path / "x.pdf"
    proc = _run([str(issue), "-o", str(out)], timeout=60)   # a guard against a hang, not a timing
    assert proc.returncode == 0, proc.stderr
    assert case.probe in pdf_text(out)


# --------------------------------------------------------------------------- item 4: datelines
@pytest.mark.parametrize("case", safety_cases.DATELINES, ids=lambda c: c.name)
def test_a_dateline_renders_before_its_first_body_paragraph_whatever_the_order(case, tmp_path):
    out = tmp_path / "x.pdf"
    proc = _run([str(case.write(tmp_path)), "-o", str(out)])
    assert proc.returncode == 0, proc.stderr
    text = pdf_text(out)
    assert text.count("本报讯（记者测试）") == 1
    assert case.probe in text


# --------------------------------------------------------------------------- item 8: messages
@pytest.mark.parametrize("case", safety_cases.MESSAGES, ids=lambda c: c.name)
def test_bad_yaml_and_bad_style_lines_are_located_and_echo_no_file(case, tmp_path):
    out = tmp_path / "x.pdf"
    proc = _run([str(case.write(tmp_path)), "-o", str(out)])
    assert proc.returncode == 2
    assert proc.stdout == "" and len(proc.stderr.splitlines()) == 1, proc.stderr
    assert re.search(case.stderr, proc.stderr.strip()), proc.stderr
    assert "position" not in proc.stderr
    if case.secret:
        assert case.secret not in proc.stderr
    assert not out.exists()


# --------------------------------------------------------------------------- item 3: damaged fonts
@pytest.mark.parametrize("how", ["cff-gone", "cff-bytes", "truncated", "cff-moved"])
def test_a_damaged_body_face_is_refused_with_its_role_file_and_line(how, tmp_path):
    case = next(c for c in safety_cases.damaged_fonts(ROOT) if c.name == f"font-{how}")
    case.write(tmp_path)
    out = tmp_path / "x.pdf"
    cache = tmp_path / "cache"
    env = {**os.environ, "KECHENG_CACHE_DIR": str(cache)}
    proc = _run([*case.args(tmp_path), "-o", str(out)], env=env)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == "" and len(proc.stderr.splitlines()) == 1, proc.stderr
    assert re.search(case.stderr, proc.stderr), proc.stderr
    assert not out.exists()
    # and no cache entry was made for it, so a later run checks it again
    assert not list(cache.glob("faces/body-face-*"))
