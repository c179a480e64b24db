"""Bad input gets a clear answer, and a good PDF is never overwritten by a bad run.

Every `tests/bad/NAME.yaml` is an editor's slip in an issue or a style sheet. Beside it,
`NAME.expect` says what `render.py` must answer:

    exit: 2
    args: issues/1640/issue.yaml --style {file}     (optional; default: {file})
    stderr: error: tests/bad/NAME.yaml:12:9: field.path: message        (the exact line), or
    stderr-re: error: tests/bad/NAME\\.yaml:\\d+:\\d+: .*                  (a regex for the line)

Each case runs `python render.py ARGS -o <tmp>/good.pdf` with a PDF already at that path,
and checks the exit code, the one line on stderr (no traceback), an empty stdout, that the
PDF is byte for byte what it was, and that nothing else appeared beside it.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "bad"
CASES = sorted(BAD.glob("*.yaml"))
GOOD_PDF = b"%PDF-1.4\n% a good PDF from an earlier run: must survive every bad one\n%%EOF\n"


def read_expect(case: Path) -> dict[str, str]:
    exp: dict[str, str] = {}
    for line in case.with_suffix(".expect").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, _, value = line.partition(":")
        exp[key.strip()] = value.strip() if key.strip() != "stderr" else value[1:] if value.startswith(" ") else value
    return exp


def _args(case: Path, exp: dict[str, str]) -> list[str]:
    return exp.get("args", "{file}").replace("{file}", case.relative_to(ROOT).as_posix()).split()


def _run(case: Path, tmp: Path) -> tuple[subprocess.CompletedProcess, Path, int]:
    exp = read_expect(case)
    work = tmp / case.stem
    work.mkdir()
    out = work / "good.pdf"
    out.write_bytes(GOOD_PDF)
    os.utime(out, ns=(1_000_000_000, 1_000_000_000))
    logs = tmp / f"{case.stem}-tmp"
    logs.mkdir()
    env = {**os.environ, "TMPDIR": str(logs), "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run([sys.executable, "render.py", *_args(case, exp), "-o", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    return proc, out, out.stat().st_mtime_ns


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, tuple[subprocess.CompletedProcess, Path, int]]:
    """All cases at once, two at a time (they are independent subprocesses)."""
    tmp = tmp_path_factory.mktemp("bad")
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = list(pool.map(lambda c: _run(c, tmp), CASES))
    return {c.stem: r for c, r in zip(CASES, results)}


def test_the_collection():
    """At least 30 cases, each with its .expect, and no .expect without a case."""
    assert len(CASES) >= 30
    expects = {p.stem for p in BAD.glob("*.expect")}
    assert expects == {c.stem for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_bad_case(case: Path, runs):
    exp = read_expect(case)
    proc, out, mtime = runs[case.stem]
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    if "stderr" in exp:
        assert lines[0] == exp["stderr"]
    else:
        assert re.fullmatch(exp["stderr-re"], lines[0]), lines[0]
    assert proc.returncode == int(exp.get("exit", "2")), proc.stderr
    assert proc.stdout == ""
    # the good PDF is untouched and nothing was left beside it
    assert out.read_bytes() == GOOD_PDF
    assert mtime == 1_000_000_000
    assert sorted(os.listdir(out.parent)) == ["good.pdf"]


def test_messages_are_located():
    """Every issue or style message names file:line:col and a field (except whole-file slips)."""
    whole_file = re.compile(r"file is empty|no YAML document|byte-order mark|UTF-16|not UTF-8|YAML syntax error"
                            r"|no style named")
    for case in CASES:
        exp = read_expect(case)
        line = exp.get("stderr") or exp["stderr-re"].replace("\\", "")
        if whole_file.search(line):
            continue
        field = r"[\w\[\].]+: " if "expected a mapping" not in line else ""     # the root has no field name
        assert re.match(rf"error: tests/bad/[\w.-]+\.yaml:\d+:\d+: {field}", line), (case.name, line)


# --------------------------------------------------------------------------- exit codes, in process
import contextlib  # noqa: E402
import io  # noqa: E402
import tempfile  # noqa: E402

import render as render_cli  # noqa: E402

BASE = """style: kecheng
masthead: {title: 今日柯城, date: 2020-03-16, number: 1640, publisher: 衢州市柯城区融媒体中心编印}
stories:
  - id: lead
    headline: 区委经济工作会议暨“三个年”活动动员大会召开
    body:
      - 3月13日上午，区委召开经济工作会议暨“三个年”活动动员大会，全面部署全面小康决胜年、招商引资攻坚年、重大项目推进年“三个年”活动。
      - 区委副书记、代区长蒋国强主持，区委常委、常务副区长徐洪水部署“三个年”活动。
pages:
  - number: 1
    modules:
      - story: lead
"""


def _main(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = render_cli.main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def old_pdf(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))     # internal-error logs go here
    d = tmp_path / "out"
    d.mkdir()
    pdf = d / "issue.pdf"
    pdf.write_bytes(GOOD_PDF)
    return pdf


def _issue(tmp_path: Path, text: str = BASE) -> Path:
    p = tmp_path / "issue" / "issue.yaml"
    p.parent.mkdir(exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def test_exit_0_replaces_the_pdf_whole(tmp_path, old_pdf):
    code, out, err = _main([str(_issue(tmp_path)), "-o", str(old_pdf)])
    assert code == 0, err
    assert old_pdf.read_bytes().startswith(b"%PDF-") and old_pdf.read_bytes() != GOOD_PDF
    assert f"wrote {old_pdf}" in out
    assert not [p for p in old_pdf.parent.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]


def test_exit_1_strict_with_preflight_errors_keeps_the_old_pdf(tmp_path, old_pdf):
    # the story in a module far too small for it: overset, an error finding
    text = BASE.replace("      - story: lead\n", "      - story: lead\n        area: {columns: 1-2, lines: 10-16}\n"
                        "      - reserved: 广告\n        area: {columns: 3-6, lines: 10-82}\n"
                        "      - reserved: 广告\n        area: {columns: 1-2, lines: 17-82}\n")
    issue = _issue(tmp_path, text)
    code, out, err = _main([str(issue), "-o", str(old_pdf), "--strict"])
    assert code == 1, err
    assert err.startswith("error: --strict: preflight found") and "overset" in err and "no PDF written" in err
    assert "OVERSET" in out
    assert old_pdf.read_bytes() == GOOD_PDF
    assert sorted(p.name for p in old_pdf.parent.iterdir()) == ["issue.pdf"]
    # without --strict the same issue renders (errors are findings, not failures)
    code, out, err = _main([str(issue), "-o", str(old_pdf)])
    assert code == 0, err
    assert old_pdf.read_bytes().startswith(b"%PDF-") and old_pdf.read_bytes() != GOOD_PDF


def _lose_a_line(monkeypatch):
    """Make the place stage drop one line of the lead story: the accounting must notice."""
    import msgspec.structs

    import layout.pipeline as pipeline
    from layout.place.model import TextLine
    real = pipeline.place_issue

    def lossy(issue, style, fonts):
        laid = real(issue, style, fonts)
        p0 = laid.pages[0]
        i = next(i for i, it in enumerate(p0.items) if isinstance(it, TextLine) and it.owner == "lead"
                 and it.role == "body")
        p0 = msgspec.structs.replace(p0, items=p0.items[:i] + p0.items[i + 1:])
        return msgspec.structs.replace(laid, pages=(p0,) + laid.pages[1:])
    monkeypatch.setattr(pipeline, "place_issue", lossy)


def test_exit_3_when_the_books_do_not_balance(tmp_path, old_pdf, monkeypatch):
    """Nothing lost: a render that drops copy is an internal error (3), in one line, with a log;
    the old PDF stays."""
    _lose_a_line(monkeypatch)
    code, out, err = _main([str(_issue(tmp_path)), "-o", str(old_pdf)])
    assert code == 3
    lines = err.splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    m = re.fullmatch(r"internal error: AccountingError: story 'lead': \d+ characters of copy are neither on a page "
                     r"nor reported overset .* at layout/check/accounting\.py:\d+ \(check_accounting\) "
                     r"\(full log: (.+)\)", lines[0])
    assert m, lines[0]
    assert "Traceback" in Path(m.group(1)).read_text(encoding="utf-8")
    assert old_pdf.read_bytes() == GOOD_PDF
    assert sorted(p.name for p in old_pdf.parent.iterdir()) == ["issue.pdf"]
    assert out == ""


def test_debug_shows_the_traceback(tmp_path, old_pdf, monkeypatch):
    _lose_a_line(monkeypatch)
    code, _, err = _main([str(_issue(tmp_path)), "-o", str(old_pdf), "--debug"])
    assert code == 3
    assert "Traceback (most recent call last)" in err and "AccountingError" in err
    assert err.rstrip().splitlines()[-1].startswith("internal error: AccountingError")


def test_a_failed_write_leaves_the_old_pdf_and_no_temp_file(tmp_path, old_pdf, monkeypatch):
    """The disk fills up after the new PDF's bytes went to the temporary file, before the
    rename: the old PDF stays and the temporary file is gone."""
    import errno

    import layout.atomic as atomic
    seen = []
    replace = atomic.os.replace

    def full(tmp, dest):
        if str(dest).endswith(".pdf"):
            seen.append(Path(tmp).stat().st_size)
            raise OSError(errno.ENOSPC, "No space left on device")
        return replace(tmp, dest)
    monkeypatch.setattr(atomic.os, "replace", full)
    code, _, err = _main([str(_issue(tmp_path)), "-o", str(old_pdf)])
    assert seen and seen[0] > 1000                   # the new PDF was all there, beside the old one
    assert code == 3 and "No space left on device" in err and len(err.splitlines()) == 1
    assert old_pdf.read_bytes() == GOOD_PDF
    assert sorted(p.name for p in old_pdf.parent.iterdir()) == ["issue.pdf"]


def test_output_is_a_folder_or_unwritable(tmp_path, old_pdf):
    issue = str(_issue(tmp_path))
    code, _, err = _main([issue, "-o", str(old_pdf.parent)])
    assert code == 2 and err.startswith("error: ") and "is a folder" in err
    assert sorted(p.name for p in old_pdf.parent.iterdir()) == ["issue.pdf"]


def test_usage_errors_exit_2(tmp_path):
    code, _, err = _main([])
    assert code == 2 and "usage:" in err
    code, _, err = _main(["/nonexistent/issue.yaml"])
    assert code == 2 and err == "error: /nonexistent/issue.yaml: issue file not found\n"
    code, _, err = _main(["99999"])
    assert code == 2 and err.startswith("error: issues/99999: no issue 99999")
    code, _, err = _main([str(_issue(tmp_path)), "--style", "kechen"])
    assert code == 2 and err == "error: styles/kechen.yaml: no style named 'kechen' (did you mean 'kecheng'?)\n"


def test_bad_input_writes_nothing_under_out(tmp_path, monkeypatch):
    """Without -o the PDF would go to out/<number>.pdf: a refused issue leaves out/ as it was."""
    import layout.pipeline as pipeline
    monkeypatch.setattr(pipeline, "ROOT", tmp_path)
    bad = _issue(tmp_path, BASE.replace("headline:", "headlin:"))
    code, _, err = _main([str(bad)])
    assert code == 2 and "did you mean 'headline'" in err
    assert not (tmp_path / "out").exists()
