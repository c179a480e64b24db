"""Copy intake end to end: reporters' files (built here: .docx with python-docx, with and without
Word's heading styles, with a photo made by Pillow; .txt in GB18030, UTF-8 and UTF-16) imported
with `render.py import`, a new issue started with `render.py new`, and the rendered PDF read back.

The copy is test copy, made by this file from the seed sentences (tools/gen_issue.py) and marked
【测试稿】; it is "dirtied" the way copy reaches the desk (ASCII punctuation, straight quotes,
full-width digits, spaces between characters), so that the cleanup must give back exactly the
seed's text, change by change. Everything is written under pytest's temporary directory: never
into the repository's issues/.
"""
from __future__ import annotations

import difflib
import io
import random
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pypdf
import pytest
from docx import Document
from docx.shared import Inches
from PIL import Image

from layout.intake.clean import RULES, clean_text, replay, word_content
from layout.intake.parts import recognise
from layout.intake.read import read_copy
from layout.load.issue import load_issue
from layout.place.calendar import compute_lunar_line
from pdfglyphs import pdf_glyphs, spread_lines
from seed import ROOT, squash
from tools.gen_issue import seed_sentences

MARK = "【测试稿】"
RENDER = [sys.executable, str(ROOT / "render.py")]


# --------------------------------------------------------------------------- test copy

def _sentences(seed: int, n: int) -> list[str]:
    """n seed sentences that clean to themselves and hold no digit-comma-digit (test copy)."""
    pool = [s for s in seed_sentences() if not re.search(r"\d，\d", s) and clean_text(s, "body[0]", []) == s]
    return random.Random(seed).sample(pool, n)


def dirty(text: str) -> tuple[str, int]:
    """The text as reporters send it, and the number of changes the cleanup must make back."""
    changes = 0
    for full, half in (("，", ","), ("（", "("), ("）", ")")):
        changes += text.count(full)
        text = text.replace(full, half)
    changes += text.count("“") + text.count("”")
    text = text.replace("“", '"').replace("”", '"')
    changes += len(re.findall(r"[0-9]+", text))
    text = text.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if re.search(r"[\u4e00-\u9fff]。$", text):
        text, changes = text[:-1] + ".", changes + 1
    m = re.search(r"[\u4e00-\u9fff](?=[\u4e00-\u9fff])", text[5:])
    if m:
        at = 5 + m.end()
        text, changes = text[:at] + " " + text[at:], changes + 1
    return text, changes


class Story:
    """A test story: its clean parts, and what the file holds."""

    def __init__(self, seed: int, paragraphs: int = 3, subhead: bool = True, caption: bool = True):
        body = _sentences(seed, paragraphs)
        self.kicker = f"{MARK}引题{seed}号"
        self.headline = f"{MARK}" + re.sub(r"[^\u4e00-\u9fff]", "", body[0])[4:16]
        self.deck = f"——测试副题{seed}号"
        self.dateline = f"本报讯（记者 测试员{seed}号）"
        self.body = body
        self.subhead = f"测试小标题{seed}号" if subhead else None
        self.caption = f"测试图片说明{seed}号" if caption else None
        self.credit = f"测试员{seed}号" if caption else None
        self.changes = 0

    def dirty_body(self) -> list[str]:
        out = []
        for p in self.body:
            text, n = dirty(p)
            self.changes += n
            out.append(text)
        return out

    def words(self) -> list[str]:
        out = [self.kicker, self.headline, self.deck, self.dateline + self.body[0], *self.body[1:]]
        if self.subhead:
            out.append(self.subhead)
        if self.caption:
            out.append(f"{self.caption}（{self.credit}摄）")
        return out


def jpeg(w: int = 1600, h: int = 1000) -> bytes:
    im = Image.new("RGB", (w, h), (200, 120, 40))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def docx_styled(path: Path, st: Story, photo: bytes | None) -> Path:
    """Word's styles: Heading 2 (kicker), Title, Subtitle, Normal, Heading 2 (subhead), Caption."""
    body = st.dirty_body()
    d = Document()
    d.add_paragraph(st.kicker, style="Heading 2")
    d.add_paragraph(st.headline, style="Title")
    d.add_paragraph(st.deck, style="Subtitle")
    d.add_paragraph(st.dateline + body[0])
    d.add_paragraph(body[1])
    d.add_paragraph(st.subhead, style="Heading 2")
    for p in body[2:]:
        d.add_paragraph(p)
    if photo is not None:
        d.add_picture(io.BytesIO(photo), width=Inches(3))
        d.add_paragraph(st.caption + f"（{st.credit}摄）", style="Caption")
    d.save(path)
    return path


def docx_plain(path: Path, st: Story, photo: bytes | None) -> Path:
    """No styles at all: the conventions of Chinese copy only."""
    body = st.dirty_body()
    d = Document()
    for line in (st.kicker, st.headline, st.deck, st.dateline + body[0], body[1], st.subhead, *body[2:]):
        d.add_paragraph(line)
    if photo is not None:
        d.add_picture(io.BytesIO(photo), width=Inches(3))
        d.add_paragraph(st.caption + f"（{st.credit}摄）")
    d.save(path)
    return path


def text_file(path: Path, st: Story, encoding: str) -> Path:
    body = st.dirty_body()
    lines = [st.kicker, st.headline, st.deck, "　　" + st.dateline + body[0], *("　　" + p for p in body[1:])]
    if st.caption:
        lines.append(f"{st.caption}（{st.credit}摄）")
    path.write_bytes("\r\n".join(lines).encode(encoding) if encoding != "utf-16" else
                     "\n".join(lines).encode("utf-16"))
    return path


def run(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([*RENDER, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=180)


@pytest.fixture
def issues(tmp_path) -> Path:
    """A temporary copy of the repository's issues folder."""
    dst = tmp_path / "issues"
    shutil.copytree(ROOT / "issues", dst)
    return dst


def _story(path: Path, sid: str):
    from ruamel.yaml import YAML
    data = YAML().load(path.read_text(encoding="utf-8"))
    return next(s for s in data["stories"] if s["id"] == sid)


# --------------------------------------------------------------------------- the daily workflow

def test_new_then_import_then_render(issues, tmp_path):
    """`new 1641 --from 1640`, two files imported onto page 1 (a styled .docx with a photo and a
    GB18030 .txt), a plain .docx onto page 2, a UTF-8 .txt onto page 3 and a UTF-16 one held;
    the render places them with no edit of the YAML, and every word reads back."""
    proc = run("new", 1641, "--from", 1640, "--issues-dir", issues)
    assert proc.returncode == 0, proc.stderr
    issue_file = issues / "1641" / "issue.yaml"
    files = tmp_path / "files"
    files.mkdir()
    styled, plain, gb, held = Story(1), Story(2), Story(3, subhead=False), Story(4, subhead=False, caption=False)
    photo = jpeg()
    a = docx_styled(files / "spring.docx", styled, photo)
    b = text_file(files / "meeting.txt", gb, "gb18030")
    proc = run("import", a, b, "--into", issues / "1641", "--page", 1)
    assert proc.returncode == 0, proc.stderr
    assert "(gb18030)" in proc.stdout and "(docx)" in proc.stdout
    c = docx_plain(files / "plain.docx", plain, photo)
    assert run("import", c, "--into", issue_file, "--page", 2).returncode == 0
    utf8 = Story(5, subhead=False)
    assert run("import", text_file(files / "notice.txt", utf8, "utf-8"), "--into", issue_file,
               "--page", 3).returncode == 0
    d = text_file(files / "held.txt", held, "utf-16")
    proc = run("import", d, "--into", issue_file)
    assert proc.returncode == 0 and "held" in proc.stdout, proc.stderr

    issue = load_issue(issue_file)
    assert [m.story for m in issue.pages[0].modules[:2]] == ["spring", "meeting"]
    assert issue.pages[0].modules[2].reserved            # the third frame still awaits copy
    assert issue.pages[1].modules[0].story == "plain"
    assert "held" not in issue.stories and _story(issue_file, "held")["held"] is True
    assert issue.stories["spring"].level == 1 and issue.stories["meeting"].level == 2   # the frames' levels
    for sid, st in (("spring", styled), ("plain", plain), ("meeting", gb)):
        s = issue.stories[sid]
        assert (s.kicker, s.headline, s.deck, s.dateline) == (st.kicker, st.headline, st.deck, st.dateline)
        assert [p.text for p in s.body if p.kind == "body"] == st.body      # cleaned back to the seed exactly
        assert [p.text for p in s.body if p.kind == "subhead"] == ([st.subhead] if st.subhead else [])
        assert (s.photo.caption, s.photo.credit) == (st.caption, st.credit)
    for sid in ("spring", "plain"):                       # the embedded photo, saved and linked
        p = issue.stories[sid].photo.file
        assert p is not None and p.parent == issue_file.parent.resolve() / "photos" and p.read_bytes() == photo
    assert issue.stories["meeting"].photo.file is None   # a caption in a .txt: the frame, photo to come

    pdf = tmp_path / "1641.pdf"
    proc = run(issue_file, "-o", pdf)
    assert proc.returncode == 0, proc.stderr
    for sid in ("spring", "meeting", "plain", "notice"):
        assert re.search(rf"^\s+{sid}: columns: .*\(placed by the engine\)", proc.stdout, re.M), proc.stdout
    reader = pypdf.PdfReader(pdf)
    pages = [squash(p.extract_text()) for p in reader.pages]
    for st in (styled, gb):
        for words in st.words():
            assert squash(words) in pages[0], words
    # pages 2-3 are one spread (通版, as in 1640): a module across the fold has its columns on
    # both pages, so each word is read there as characters, its headline read across the fold
    across = squash("".join(t for _, t in spread_lines(pdf_glyphs(pdf), 2, float(reader.pages[1].trimbox.width))))
    on_spread = Counter(pages[1] + pages[2])
    for st in (plain, utf8):
        assert squash(st.headline) in across, st.headline
        for words in st.words():
            assert not Counter(squash(words)) - on_spread, words
    assert not any(squash(held.kicker) in p or "测试员4号" in p for p in pages)    # held: on file, not printed
    assert "2020年3月17日" in pages[0] and "星期二" in pages[0] and "第1641期" in pages[0]


def test_cleanup_diff_lists_every_change_and_nothing_else(issues, tmp_path):
    st = Story(5)
    src = docx_styled(tmp_path / "clean-me.docx", st, None)
    original = (issues / "1640" / "issue.yaml").read_text(encoding="utf-8")
    proc = run("import", src, "--into", issues / "1640", "--page", 1)
    assert proc.returncode == 0, proc.stderr
    diffs = list((issues / "1640").glob("import-*.diff"))
    assert len(diffs) == 1
    text = diffs[0].read_text(encoding="utf-8")
    listed = [ln for ln in text.splitlines() if ln.startswith("  ") and "->" in ln]
    assert len(listed) == st.changes > 10
    assert f"{st.changes} change(s)" in proc.stdout and text.splitlines()[2] in proc.stdout
    rules = {r.name for r in RULES}
    assert {ln.split(":")[0].strip() for ln in listed} <= rules
    # the body is the seed's text again; every field's -/+ pair differs only in what is listed
    story = _story(issues / "1640" / "issue.yaml", "clean-me")
    assert [p for p in story["body"] if isinstance(p, str)] == st.body
    minus = [ln[1:] for ln in text.splitlines() if ln.startswith("-") and not ln.startswith("---")]
    plus = [ln[1:] for ln in text.splitlines() if ln.startswith("+")]
    assert len(minus) == len(plus) == len(st.body)
    for before, after in zip(minus, plus):
        assert word_content(before) == word_content(after)
    # the issue file: the old lines all kept, in order; lines only added
    new = (issues / "1640" / "issue.yaml").read_text(encoding="utf-8")
    ops = difflib.SequenceMatcher(None, original.splitlines(), new.splitlines()).get_opcodes()
    assert all(op in ("equal", "insert") for op, *_ in ops)
    assert "# " + src.name in new                         # the story names its file


def test_no_clean_keeps_the_copy(issues, tmp_path):
    st = Story(6, subhead=False, caption=False)
    src = text_file(tmp_path / "as-is.txt", st, "utf-8")
    dirty_body = [dirty(p)[0] for p in st.body]
    proc = run("import", src, "--into", issues / "1640", "--page", 4, "--no-clean")
    assert proc.returncode == 0, proc.stderr
    story = _story(issues / "1640" / "issue.yaml", "as-is")
    assert list(story["body"]) == [p.strip() for p in dirty_body]
    assert not list((issues / "1640").glob("import-*.diff"))


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8", "utf-8-sig", "utf-16"])
def test_text_encodings_detected(tmp_path, encoding):
    st = Story(7, subhead=False)
    copy = read_copy(text_file(tmp_path / "x.txt", st, encoding))
    assert copy.encoding == {"utf-8-sig": "utf-8"}.get(encoding, encoding)
    draft = recognise(copy)
    assert (draft.kicker, draft.headline, draft.deck) == (st.kicker, st.headline, st.deck)
    assert draft.dateline == st.dateline
    assert draft.photo.caption == st.caption and draft.photo.credit == st.credit and draft.photo.photo is None


def test_markdown_headings(tmp_path):
    st = Story(8, subhead=False, caption=False)
    p = tmp_path / "x.md"
    p.write_text(f"# {st.headline}\n\n{st.dateline}{st.body[0]}\n\n## {st.kicker}\n\n{st.body[1]}\n", encoding="utf-8")
    draft = recognise(read_copy(p))
    assert draft.headline == st.headline and draft.dateline == st.dateline
    assert [(b.kind, b.text) for b in draft.body] == [("body", st.body[0]), ("subhead", st.kicker), ("body", st.body[1])]


def test_ids_unique_and_stable(issues, tmp_path):
    one = text_file(tmp_path / "Town Meeting.txt", Story(9, subhead=False, caption=False), "utf-8")
    other = tmp_path / "b"
    other.mkdir()
    two = text_file(other / "Town Meeting.txt", Story(10, subhead=False, caption=False), "utf-8")
    assert run("import", one, "--into", issues / "1640").returncode == 0
    assert run("import", two, "--into", issues / "1640").returncode == 0
    ids = [s["id"] for s in __import__("ruamel.yaml", fromlist=["YAML"]).YAML().load(
        (issues / "1640" / "issue.yaml").read_text(encoding="utf-8"))["stories"]]
    assert ids[-2:] == ["town-meeting", "town-meeting-2"] and len(set(ids)) == len(ids)
    before = (issues / "1640" / "issue.yaml").read_bytes()
    proc = run("import", one, "--into", issues / "1640")           # the same file again: refused
    assert proc.returncode == 2 and "already imported" in proc.stderr
    assert (issues / "1640" / "issue.yaml").read_bytes() == before


# --------------------------------------------------------------------------- new issue

def test_new_issue_advances_the_masthead(issues):
    # an issue 1639 three days before 1640 on file: the interval is kept
    prev = (issues / "1640" / "issue.yaml").read_text(encoding="utf-8")
    (issues / "1639").mkdir()
    (issues / "1639" / "issue.yaml").write_text(
        prev.replace("date: 2020-03-16", "date: 2020-03-13").replace("number: 1640", "number: 1639")
        .replace("lunar: 农历庚子年二月廿三", "lunar: 农历庚子年二月二十").replace("weekday: 星期一", "weekday: 星期五"),
        encoding="utf-8")
    proc = run("new", 1641, "--from", 1640, "--issues-dir", issues)
    assert proc.returncode == 0, proc.stderr
    issue = load_issue(issues / "1641" / "issue.yaml")
    m = issue.masthead
    import datetime as dt
    assert (m.number, m.date) == (1641, dt.date(2020, 3, 19))
    assert m.weekday == "星期四" and m.lunar == compute_lunar_line(dt.date(2020, 3, 19))
    assert (m.title, m.publisher, m.hotline) == ("今日柯城", "衢州市柯城区融媒体中心编印", "采编热线：3049743")
    assert issue.stories == {} and issue.teaser is None
    assert [len(p.modules) for p in issue.pages] == [3, 1, 0, 1]     # pages 2-3 one spread: its modules on 2
    assert issue.pages[1].spread == issue.pages[2].spread == (2, 3)
    assert all(mod.reserved and mod.story is None for p in issue.pages for mod in p.modules)
    text = (issues / "1641" / "issue.yaml").read_text(encoding="utf-8")
    old = load_issue(issues / "1640" / "issue.yaml")
    for s in old.stories.values():                 # no old copy carried over
        assert s.headline not in text and s.body[0].text[:20] not in text
    assert "向贡献者" not in text
    assert "# QR payload not on file" in text      # the masthead's comments kept
    # no earlier interval: the next day
    proc = run("new", 1642, "--from", 1641, "--issues-dir", issues)
    assert proc.returncode == 0
    assert load_issue(issues / "1642" / "issue.yaml").masthead.date == dt.date(2020, 3, 22)   # 3 days again
    proc = run("new", 1641, "--from", 1640, "--issues-dir", issues)       # exists: refused
    assert proc.returncode == 2 and "already exists" in proc.stderr


def test_new_issue_keeps_ad_bookings_and_counts_them_apart(issues):
    """An ad booked on a page of the last issue stands in the next issue's plan as booked, and
    `new` says so instead of counting it among the frames reserved for copy."""
    path = issues / "1640" / "issue.yaml"
    text = path.read_text(encoding="utf-8")
    booked = "      - ad: {file: ads/test-ad.png, size: 半通栏, at: bottom}\n"
    text = text.replace("        note: 本版稿件未到\n", "        note: 本版稿件未到\n" + booked, 1)
    path.write_text(text, encoding="utf-8")
    proc = run("new", 1641, "--from", 1640, "--issues-dir", issues)
    assert proc.returncode == 0, proc.stderr
    assert "page 4 (第四版): 1 frame(s) reserved for copy, 1 ad(s) kept as booked" in proc.stdout
    assert "page 1 (要闻): 3 frame(s) reserved for copy\n" in proc.stdout
    issue = load_issue(issues / "1641" / "issue.yaml")
    mods = issue.pages[3].modules
    assert [m.reserved is not None for m in mods] == [True, False]
    assert mods[1].ad is not None and mods[1].ad.size == "半通栏"


def test_new_issue_next_day_without_history(issues):
    proc = run("new", 1641, "--from", 1640, "--issues-dir", issues)
    assert proc.returncode == 0, proc.stderr
    assert "the next day" in proc.stdout
    m = load_issue(issues / "1641" / "issue.yaml").masthead
    assert str(m.date) == "2020-03-17" and m.weekday == "星期二" and m.lunar == "农历庚子年二月廿四"
    proc = run("new", 1650, "--from", 1641, "--issues-dir", issues, "--date", "2020-04-01")
    assert proc.returncode == 0
    m = load_issue(issues / "1650" / "issue.yaml").masthead
    assert str(m.date) == "2020-04-01" and m.weekday == "星期三"


# --------------------------------------------------------------------------- bad input

def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    good = docx_styled(tmp_path / "good.docx", Story(11), jpeg(64, 48)).read_bytes()
    out = {}

    def put(name, data, expect):
        p = tmp_path / name
        p.write_bytes(data)
        out[name] = (p, expect)
    put("text.docx", "【测试稿】这不是Word文件".encode("utf-8"), "not a Word .docx")
    put("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000), "encrypted")
    put("cut.docx", good[: len(good) // 2], "damaged")
    zipped = io.BytesIO()
    import zipfile
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("hello.txt", "x")
    put("zip.docx", zipped.getvalue(), "not a Word document")
    put("empty.txt", b"", "empty")
    put("blank.txt", b"  \r\n\r\n ", "empty")
    put("latin.txt", "caf\xe9 cr\xe8me br\xfbl\xe9e".encode("latin-1"), "no encoding we can tell")
    put("binary.txt", b"%PDF-1.4\n" + bytes(range(256)), "not a text file")
    put("photo.pdf", b"%PDF-1.4\n", "use .docx, .txt or .md")
    put("long.txt", (f"{MARK}标题\n本报讯（记者 测试员）" + "".join(seed_sentences()) * 10).encode("utf-8"),
        "long.txt:2: a paragraph of")
    put("only-head.txt", f"{MARK}只有标题".encode("utf-8"), "no body copy")
    return out


def test_bad_files_one_line_exit_2_nothing_written(issues, tmp_path):
    target = issues / "1640"
    before = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    ok = text_file(tmp_path / "fine.txt", Story(12, subhead=False, caption=False), "utf-8")
    for name, (path, expect) in _bad_files(tmp_path).items():
        proc = run("import", ok, path, "--into", target, "--page", 1)   # a good file first: still nothing
        assert proc.returncode == 2, (name, proc.stdout, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and name in lines[0] and expect in lines[0], (name, lines)
        assert "Traceback" not in proc.stderr and proc.stdout == ""
        after = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
        assert after == before, name


def test_bad_arguments(issues, tmp_path):
    ok = text_file(tmp_path / "fine.txt", Story(13, subhead=False, caption=False), "utf-8")
    before = (issues / "1640" / "issue.yaml").read_bytes()
    proc = run("import", ok, "--into", issues / "1640", "--page", 9)
    assert proc.returncode == 2 and "--page 9" in proc.stderr and "1..4" in proc.stderr
    proc = run("import", ok, "--into", issues / "9999")
    assert proc.returncode == 2 and "9999" in proc.stderr
    proc = run("import", tmp_path / "missing.docx", "--into", issues / "1640")
    assert proc.returncode == 2 and "missing.docx" in proc.stderr and "no such file" in proc.stderr
    proc = run("new", 1600, "--from", 1640, "--issues-dir", issues)
    assert proc.returncode == 2 and not (issues / "1600").exists()
    assert (issues / "1640" / "issue.yaml").read_bytes() == before


def test_repo_issues_untouched():
    """The tests above write only under their temporary folders."""
    assert sorted(p.name for p in (ROOT / "issues").iterdir()) == ["1640"]
    assert not list((ROOT / "issues" / "1640").glob("import-*"))


# --------------------------------------------------------------------------- cleanup rules

RULE_EXAMPLES = {
    "full-width-digits-latin": ("共有１２０人，ＡＰＰ下载", "共有120人，APP下载"),
    "dash": ("柯城--侧记", "柯城——侧记"),
    "ellipsis": ("先锋单位...他们", "先锋单位……他们"),
    "number-range": ("详见2-3版", "详见2～3版"),
    "quotes": ('提出"三个年"活动', "提出“三个年”活动"),
    "ascii-punctuation": ("会议指出,要抓项目", "会议指出，要抓项目"),
    "parentheses": ("各乡镇(街道)参加", "各乡镇（街道）参加"),
    "space-at-punctuation": ("会议指出， 要抓项目", "会议指出，要抓项目"),
    "space-between-han": ("会议 指出", "会议指出"),
    "space-han-latin": ("下载 APP 后", "下载APP后"),
}


@pytest.mark.parametrize("rule", [r.name for r in RULES])
def test_each_rule_alone(rule):
    """Every row of the table has a name, a citation and an example that it alone changes."""
    row = next(r for r in RULES if r.name == rule)
    assert row.citation.startswith(("GB/T 1583", "style sheet")) and row.what
    before, after = RULE_EXAMPLES[rule]
    record = []
    assert clean_text(before, "body[0]", record) == after
    assert {c.rule for c in record} == {rule}
    assert replay(before, record) == after


@pytest.mark.parametrize("before, after", [
    ("3-5月", "3—5月"),                                # time: 一字线
    ("2019-2020年", "2019—2020年"),
    ("电话0570-3049743", "电话0570-3049743"),          # not a range
    ("GB/T 15834-2011规定", "GB/T 15834-2011规定"),
    ("共1,000人", "共1,000人"),
    ("(1)加快项目建设", "（1）加快项目建设"),                # a pair goes together
    ("公式(a+b)(c)", "公式（a+b）(c)"),
    ("see (a) and (b)", "see (a) and (b)"),                         # no Chinese beside the comma
    ("增长3.5%,达到", "增长3.5%，达到"),
    ("他说:\"我们'一定'能行\"", "他说：“我们‘一定’能行”"),   # nesting: ‘’ inside “”
    ("“外层\"内层\"外层”", "“外层‘内层’外层”"),
    ("don't stop", "don't stop"),
    ("www.gov.cn", "www.gov.cn"),
    ("好…", "好……"),
    ("好……", "好……"),
    ("记者 陈蓉蓉 方心怡", "记者 陈蓉蓉 方心怡"),          # as a dateline: see below
])
def test_rule_cases(before, after):
    field = "dateline" if before.startswith("记者") else "body[0]"
    record = []
    assert clean_text(before, field, record) == after
    assert replay(before, record) == after
    assert bool(record) == (before != after)


def test_headline_spaces_kept():
    record = []
    assert clean_text("抓项目 促发展", "headline", record) == "抓项目 促发展" and not record


# --------------------------------------------------------------------------- photos and frames

def _docx_with(tmp_path: Path, name: str, photo: bytes) -> Path:
    d = Document()
    d.add_paragraph(f"{MARK}测试标题", style="Heading 1")
    d.add_paragraph("本报讯（记者 测试员）" + _sentences(14, 1)[0])
    d.add_picture(io.BytesIO(photo), width=Inches(2))
    d.add_paragraph("测试图片说明（测试员摄）")
    path = tmp_path / name
    d.save(path)
    return path


def test_gif_photo_converted_to_png_and_linked(issues, tmp_path):
    buf = io.BytesIO()
    Image.new("P", (400, 300), 3).save(buf, "GIF")
    src = _docx_with(tmp_path, "gif-photo.docx", buf.getvalue())
    proc = run("import", src, "--into", issues / "1640", "--page", 4)
    assert proc.returncode == 0, proc.stderr
    story = load_issue(issues / "1640" / "issue.yaml").stories["gif-photo"]
    assert story.headline == f"{MARK}测试标题"                   # Heading 1 as the headline
    assert story.photo.file.name == "gif-photo.png" and story.photo.credit == "测试员"
    with Image.open(story.photo.file) as im:
        assert im.format == "PNG" and im.size == (400, 300)


def test_damaged_embedded_photo_refused(issues, tmp_path):
    import zipfile
    src = _docx_with(tmp_path, "ok.docx", jpeg(64, 48))
    bad = tmp_path / "bad-photo.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.startswith("word/media/"):
                data = data[:200]                               # a truncated JPEG
            zout.writestr(item, data)
    before = sorted((issues / "1640").rglob("*"))
    proc = run("import", bad, "--into", issues / "1640", "--page", 4)
    assert proc.returncode == 2 and "bad-photo.docx" in proc.stderr and "embedded photo 1" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert sorted((issues / "1640").rglob("*")) == before


def test_reserved_frame_keeps_its_area(issues, tmp_path):
    text = (issues / "1640" / "issue.yaml").read_text(encoding="utf-8")
    text = text.replace("      - reserved: 第4版稿件\n", "      - reserved: 第4版稿件\n        area: {columns: 1-4, lines: 10-60}\n")
    (issues / "1640" / "issue.yaml").write_text(text, encoding="utf-8")
    src = text_file(tmp_path / "framed.txt", Story(15, subhead=False, caption=False), "utf-8")
    assert run("import", src, "--into", issues / "1640", "--page", 4, "--level", 3).returncode == 0
    issue = load_issue(issues / "1640" / "issue.yaml")
    (mod,) = issue.pages[3].modules
    assert mod.story == "framed" and (mod.area.col, mod.area.cols, mod.area.line, mod.area.lines) == (0, 4, 9, 51)
    assert issue.stories["framed"].level == 3


# --------------------------------------------------------------------------- what files hold

def _wrap(text: str, width: int = 72) -> list[str]:
    """Text wrapped at a fixed display width, as older systems wrote it (a Chinese character 2)."""
    from layout.intake.read import display_width
    out, line = [], ""
    for ch in text:
        if display_width(line + ch) > width:
            out.append(line)
            line = ""
        line += ch
    return out + [line] if line else out


def test_hard_wrapped_gb18030_text_rejoined(tmp_path):
    st = Story(16, subhead=False, caption=False)
    lines = [st.kicker, st.headline, st.deck]
    for k, p in enumerate(st.body):
        lines += _wrap("　　" + (st.dateline if k == 0 else "") + p)
    assert len(lines) > 3 + len(st.body)                  # the test really wraps
    path = tmp_path / "wrapped.txt"
    path.write_bytes("\r\n".join(lines).encode("gb18030"))
    draft = recognise(read_copy(path))
    assert (draft.kicker, draft.headline, draft.deck, draft.dateline) == (st.kicker, st.headline, st.deck, st.dateline)
    assert [b.text for b in draft.body] == st.body


def test_docx_tracked_insertions_tables_and_links(tmp_path):
    """Text inside a tracked insertion and a hyperlink is copy; a tracked deletion is not; a
    table's cells are read in document order."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    body = _sentences(17, 2)
    d = Document()
    d.add_paragraph(f"{MARK}修订测试", style="Title")
    p = d.add_paragraph("本报讯（记者 测试员）" + body[0][:10])
    ins = OxmlElement("w:ins")
    ins.set(qn("w:id"), "1")
    ins.set(qn("w:author"), "test")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = body[0][10:]
    run.append(t)
    ins.append(run)
    p._p.append(ins)
    gone = OxmlElement("w:del")
    gone.set(qn("w:id"), "2")
    gone.set(qn("w:author"), "test")
    run = OxmlElement("w:r")
    dt_ = OxmlElement("w:delText")
    dt_.text = "删掉的字"
    run.append(dt_)
    gone.append(run)
    p._p.append(gone)
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "表格甲"
    table.cell(0, 1).text = "表格乙"
    link_p = d.add_paragraph()
    link = OxmlElement("w:hyperlink")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = body[1]
    run.append(t)
    link.append(run)
    link_p._p.append(link)
    path = tmp_path / "tracked.docx"
    d.save(path)
    draft = recognise(read_copy(path))
    assert draft.dateline == "本报讯（记者 测试员）"
    assert [b.text for b in draft.body] == [body[0], "表格甲", "表格乙", body[1]]
    assert "删掉的字" not in "".join(b.text for b in draft.body)
