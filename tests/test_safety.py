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


def test_a_dateline_over_subheads_alone_is_refused_where_it_stands(tmp_path):
    case = safety_cases.SUBHEADS_ONLY
    out = tmp_path / "x.pdf"
    proc = _run([str(case.write(tmp_path)), "-o", str(out)])
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and re.search(case.stderr, lines[0]), proc.stderr
    assert not out.exists()


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


# --------------------------------------------------------------------------- item 6: output paths
def _pair(folder: Path, name: str = "x") -> tuple[Path, Path]:
    return folder / f"{name}.pdf", folder / f"{name}-preflight.json"


def _old_pair(folder: Path) -> tuple[Path, Path, bytes, bytes]:
    pdf, report = _pair(folder)
    old_pdf, old_report = b"%PDF-1.4\n% the good PDF of an earlier run\n%%EOF\n", b'{"pdf": "x.pdf", "old": true}\n'
    pdf.write_bytes(old_pdf)
    report.write_bytes(old_report)
    return pdf, report, old_pdf, old_report


def _one_error_line(proc) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert proc.stdout == "" and len(proc.stderr.splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stderr.strip()


def _style_with_a_linked_font(tmp_path: Path) -> tuple[Path, Path]:
    """The house style in tmp_path, its kai face a symbolic link there to the real file (a
    failing test replaces the link, never the font)."""
    style = (ROOT / "styles" / "kecheng.yaml").read_text(encoding="utf-8")
    style = style.replace("../fonts/LXGWWenKai-Regular.ttf", "kai.ttf").replace("../fonts/", f"{ROOT / 'fonts'}/")
    (tmp_path / "kai.ttf").symlink_to(ROOT / "fonts" / "LXGWWenKai-Regular.ttf")
    path = tmp_path / "style.yaml"
    path.write_text(style, encoding="utf-8")
    return path, tmp_path / "kai.ttf"


def test_an_output_naming_an_input_is_refused_and_the_input_untouched(tmp_path):
    issue = safety_cases.Case("base", safety_cases.issue_text()).write(tmp_path)
    style, font = _style_with_a_linked_font(tmp_path)
    before = {p: p.read_bytes() for p in (issue, style, font)}
    for target, what in ((issue, "is the issue file"), (style, "is its style sheet"),
                         (font, "is the font file of role 'kai'")):
        line = _one_error_line(_run([str(issue), "--style", str(style), "-o", str(target)]))
        assert re.fullmatch(rf"error: .*{re.escape(target.name)}: -o: {what}: the PDF would overwrite it; .*", line)
    # the report beside the PDF may not overwrite an input either: -o style.pdf -> style-preflight.json? no:
    # -o issue-pdf names issue-preflight.json, so an input of that name is protected too
    guarded = tmp_path / "copy-preflight.json"
    guarded.write_text(safety_cases.issue_text(), encoding="utf-8")
    line = _one_error_line(_run([str(guarded), "-o", str(tmp_path / "copy.pdf")]))
    assert "-o: is the issue file: its preflight report would overwrite it" in line
    assert {p: p.read_bytes() for p in (issue, style, font)} == before
    assert font.is_symlink()
    assert not list(tmp_path.glob(".*"))


def test_an_output_at_a_fifo_or_a_device_is_refused(tmp_path):
    issue = safety_cases.Case("base", safety_cases.issue_text()).write(tmp_path)
    fifo = tmp_path / "x.pdf"
    os.mkfifo(fifo)
    line = _one_error_line(_run([str(issue), "-o", str(fifo)]))
    assert line.endswith("-o: is a named pipe (FIFO): the PDF is written as a new regular file; name a file")
    assert fifo.is_fifo()
    line = _one_error_line(_run([str(issue), "-o", os.devnull]))
    assert "-o: is a device" in line
    assert Path(os.devnull).is_char_device()


@pytest.mark.parametrize("length", [300, 250])
def test_a_name_too_long_is_refused_as_bad_input(tmp_path, length):
    """300 bytes: the PDF's own name; 250: the report's (stem + -preflight.json) is too long."""
    issue = safety_cases.Case("base", safety_cases.issue_text()).write(tmp_path)
    out = tmp_path / ("字" * (length // 3) + ".pdf")
    line = _one_error_line(_run([str(issue), "-o", str(out)]))
    assert re.search(r"(File name too long|is \d+ bytes; the limit here is \d+)", line)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["issue.yaml"]


def test_a_report_that_cannot_be_written_leaves_the_old_pdf(tmp_path):
    issue = safety_cases.Case("base", safety_cases.issue_text()).write(tmp_path)
    pdf, report = _pair(tmp_path)
    pdf.write_bytes(b"%PDF-1.4\n% good\n%%EOF\n")
    report.mkdir()                                    # the report's name is taken by a folder
    line = _one_error_line(_run([str(issue), "-o", str(pdf)]))
    assert "x-preflight.json: -o: is a folder" in line
    assert pdf.read_bytes() == b"%PDF-1.4\n% good\n%%EOF\n"


def test_a_failed_rename_undoes_the_pair(tmp_path, monkeypatch):
    """The report is renamed first, the PDF last; if the PDF's rename fails, the old report is
    put back and no staging file stays."""
    from layout import atomic
    pdf, report, old_pdf, old_report = _old_pair(tmp_path)
    staged_report = atomic.write_staged(report, b'{"new": true}\n')
    staged_pdf = atomic.write_staged(pdf, b"%PDF-1.4\n% new\n%%EOF\n")
    real = os.replace

    def failing(src, dst):
        if Path(dst) == pdf:
            raise OSError(28, "No space left on device")
        return real(src, dst)
    monkeypatch.setattr(atomic.os, "replace", failing)
    with pytest.raises(OSError):
        atomic.replace_together([(staged_report, report), (staged_pdf, pdf)])
    monkeypatch.undo()
    assert pdf.read_bytes() == old_pdf and report.read_bytes() == old_report
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x-preflight.json", "x.pdf"]
    # and when both renames work, both are new
    atomic.replace_together([(atomic.write_staged(report, b"{}\n"), report),
                             (atomic.write_staged(pdf, b"%PDF-new"), pdf)])
    assert (pdf.read_bytes(), report.read_bytes()) == (b"%PDF-new", b"{}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x-preflight.json", "x.pdf"]


# --------------------------------------------------------------------------- item 7: concurrency, kills
def test_eight_concurrent_strict_runs_all_succeed(tmp_path):
    issue = safety_cases.Case("base", safety_cases.issue_text()).write(tmp_path / "in")
    pdf, report = _pair(tmp_path)
    procs = [subprocess.Popen([sys.executable, "render.py", str(issue), "--strict", "-o", str(pdf)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(8)]
    results = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert [code for code, _, _ in results] == [0] * 8, [err for _, _, err in results]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "x-preflight.json", "x.pdf"]
    import json
    assert json.loads(report.read_text(encoding="utf-8"))["pdf"] == "x.pdf"
    assert "【测试稿】区委经济工作会议召开" in pdf_text(pdf)


def test_a_run_after_a_killed_one_leaves_no_stale_file(tmp_path):
    import signal
    import time
    issue = safety_cases.Case("base", safety_cases.issue_text(body=safety_cases.BODY * 40)).write(tmp_path / "in")
    pdf, report, old_pdf, old_report = _old_pair(tmp_path)
    (tmp_path / ".x.pdf.strict").write_bytes(b"left by a strict run of an older version")
    proc = subprocess.Popen([sys.executable, "render.py", str(issue), "--strict", "-o", str(pdf)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120            # a guard, not a timing: wait for its staging file
        while not any(safety_cases_staging(tmp_path)) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert proc.poll() is None, "the run ended before it staged its PDF"
        os.killpg(proc.pid, signal.SIGKILL)          # the run and its subset worker, mid-render
    finally:
        proc.wait(timeout=60)
    assert safety_cases_staging(tmp_path), "the kill left its staging file (what the next run must clean)"
    assert pdf.read_bytes() == old_pdf and report.read_bytes() == old_report
    again = _run([str(issue), "-o", str(pdf)], timeout=120)
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "x-preflight.json", "x.pdf"]
    assert pdf.read_bytes() != old_pdf and report.read_bytes() != old_report


def safety_cases_staging(folder: Path) -> list[Path]:
    from layout.atomic import STAGING
    return [p for p in folder.iterdir() if STAGING.match(p.name)]


# --------------------------------------------------------------------------- item 5: the text layer
def _pdfium_text(path: Path) -> str:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(path))
    try:
        return "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


@pytest.fixture(scope="module")
def kangxi_pdf(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kangxi")
    out = folder / "x.pdf"
    proc = _run([str(safety_cases.KANGXI.write(folder)), "-o", str(out)])
    assert proc.returncode == 0, proc.stderr
    return out


def test_every_character_reads_back_as_itself_where_two_share_a_glyph(kangxi_pdf):
    """一 (U+4E00) and the Kangxi radical ⼀ (U+2F00) are one glyph in the body face; the radical
    is drawn first (in the masthead). Every one of each reads back as itself: as often as in
    the copy (and 一 once more, in the masthead's 星期一)."""
    copy = safety_cases.KANGXI.issue
    assert copy.count("\u4e00") == 7 and copy.count("\u2f00") == 4
    for text in (pdf_text(kangxi_pdf), _pdfium_text(kangxi_pdf)):
        assert "星期一" in text
        assert text.count("\u4e00") == 7 + 1 and text.count("\u2f00") == 4, text
        assert "中心⼀编印" in text and "第一，唯⼀。" in "".join(text.split())
        assert "⼀一⼀一部署" in "".join(text.split())


def test_alternating_layers_in_one_line_keep_the_glyphs_where_they_were_set(kangxi_pdf):
    """The headline line ⼀一⼀一 switches font resource (its layer) at every glyph: the glyphs
    still stand one em apart, as composed."""
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(kangxi_pdf))
    try:
        page = doc[0].get_textpage()
        text = page.get_text_range()
        at = text.index("⼀一⼀一")
        lefts = [page.get_charbox(at + i, loose=True)[0] for i in range(6)]
    finally:
        doc.close()
    steps = [b - a for a, b in zip(lefts, lefts[1:])]
    assert steps[0] > 10 and all(abs(s - steps[0]) < 0.05 for s in steps), steps


def test_default_ignorable_characters_are_never_drawn(tmp_path):
    out = tmp_path / "x.pdf"
    proc = _run([str(safety_cases.SOFT.write(tmp_path)), "-o", str(out)])
    assert proc.returncode == 0, proc.stderr
    assert "missing-glyph" not in proc.stdout
    for text in (pdf_text(out), _pdfium_text(out)):
        flat = "".join(text.split())
        assert not set(safety_cases.IGNORABLES) & set(flat)
        assert safety_cases.SOFT.probe in flat
        assert "区委经济工作会议召开" in flat and "三个年" in flat
        assert "-" not in flat.split("【测试稿】全面部署")[1].split("今日柯城")[0]   # no visible hyphen


def test_ignorables_take_no_room(tmp_path):
    from layout.pipeline import render
    from layout.place.model import TextLine
    issue = safety_cases.SOFT.write(tmp_path)
    laid = render(str(issue), write=False).laid
    seen = 0
    for it in laid.pages[0].items:
        if isinstance(it, TextLine):
            for a, b in zip(it.glyphs, it.glyphs[1:]):
                if a.ch in safety_cases.IGNORABLES and b.ch in "经工全":
                    assert b.x == pytest.approx(a.x)
                    seen += 1
    assert seen >= 2


@pytest.mark.parametrize("worker", ["1", "0"])
def test_a_face_damaged_in_place_after_it_was_cached_is_refused(tmp_path, worker):
    """The cache entry is keyed by the table directory; bytes changed inside the outlines (the
    directory as it was) hit the entry, and the table CRCs it recorded catch them (with the
    subset worker and without)."""
    case = next(c for c in safety_cases.damaged_fonts(ROOT) if c.name == "font-cff-bytes")
    case.write(tmp_path)
    face = tmp_path / "body-face.otf"
    face.write_bytes((ROOT / "fonts" / "NotoSerifCJKsc-Regular.otf").read_bytes())
    env = {**os.environ, "KECHENG_CACHE_DIR": str(tmp_path / "cache"), "KECHENG_SUBSET_WORKER": worker}
    out = tmp_path / "x.pdf"
    first = _run([*case.args(tmp_path), "-o", str(out)], env=env)
    assert first.returncode == 0, first.stderr
    good = out.read_bytes()
    with open(face, "r+b") as f:                      # the damage of font-cff-bytes, in place
        f.write(safety_cases._damaged(face.read_bytes(), "cff-bytes"))
    proc = _run([*case.args(tmp_path), "-o", str(out)], env=env)
    line = _one_error_line(proc)
    assert re.search(r"style\.yaml:\d+:\d+: fonts\.song: cannot read font file .*body-face\.otf: damaged font: "
                     r"table 'CFF ' changed since the face was checked", line), line
    assert out.read_bytes() == good
