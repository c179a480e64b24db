"""The load stage: units, YAML with positions, issue and style validation."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from layout.load.issue import load_issue
from layout.load.source import InputError
from layout.load.style import load_style
from layout.load.units import MM, UnitError, to_pt

ROOT = Path(__file__).resolve().parent.parent
ISSUE = ROOT / "issues" / "1640" / "issue.yaml"
STYLE = ROOT / "styles" / "kecheng.yaml"


@pytest.mark.parametrize("value,pt", [
    ("12pt", 12.0), (12, 12.0), ("297mm", 297 * MM), ("1in", 72.0), ("4Q", MM), ("4H", MM),
    ("小五", 9.0), ("五号", 10.5), ("初号", 42.0), ("1.5cm", 15 * MM),
])
def test_units(value, pt):
    assert to_pt(value) == pytest.approx(pt)


def test_units_em_and_errors():
    assert to_pt("2em", em=9) == 18
    for bad in ("12px pt", "twelve", "12zz", True, None, [1]):
        with pytest.raises(UnitError):
            to_pt(bad)
    with pytest.raises(UnitError):
        to_pt("2em")


def test_issue_1640_loads():
    issue = load_issue(ISSUE)
    m = issue.masthead
    assert (m.title, m.number, m.date) == ("今日柯城", 1640, dt.date(2020, 3, 16))
    assert list(issue.stories) == ["lead", "feature", "brief"]
    assert issue.stories["lead"].photo.caption == "获奖者上台领奖"
    assert issue.stories["lead"].photo.credit == "卢颖"
    assert [p.number for p in issue.pages] == [1, 2, 3, 4]
    assert all(mod.reserved for p in issue.pages[1:] for mod in p.modules)


def test_style_grid():
    style = load_style(STYLE)
    g = style.grid
    assert (g.columns, g.column_chars, g.gutter_chars, g.em) == (6, 13, 1, 9.0)
    assert g.width == pytest.approx(83 * 9.0)
    assert style.page.width == pytest.approx(297 * MM) and style.page.height == pytest.approx(420 * MM)
    # the grid is centred on the trim and fits between the margins
    assert g.left == pytest.approx((style.page.width - g.width) / 2)
    assert g.top + g.height <= style.page.height - style.page.margin_bottom + 1e-6
    assert style.roles["body"].size == 9.0 and style.roles["body"].font == "song"
    assert all(c.total <= 240 for c in style.colors.values())


def _write(tmp_path: Path, text: str, name="issue.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _issue_text(**over) -> str:
    base = ISSUE.read_text(encoding="utf-8")
    for old, new in over.items():
        base = base.replace(old, new)
    return base


def test_unknown_key_names_line_and_suggests(tmp_path):
    p = _write(tmp_path, ISSUE.read_text(encoding="utf-8").replace("    headline: 柯城吹响", "    headlin: 柯城吹响"))
    with pytest.raises(InputError) as e:
        load_issue(p, "issue.yaml")
    msg = str(e.value)
    line = next(i for i, ln in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if "headlin: 柯城吹响" in ln)
    assert msg.startswith(f"issue.yaml:{line}:5: stories[1].headlin: unknown key 'headlin'")
    assert "did you mean 'headline'" in msg


def test_duplicate_key(tmp_path):
    p = _write(tmp_path, ISSUE.read_text(encoding="utf-8").replace("  number: 1640\n", "  number: 1640\n  number: 1641\n"))
    with pytest.raises(InputError, match=r"masthead.number: duplicate key 'number'"):
        load_issue(p)


def test_syntax_error_has_position(tmp_path):
    p = _write(tmp_path, "masthead:\n  title: [今日柯城\nstories: []\n")
    with pytest.raises(InputError) as e:
        load_issue(p, "x.yaml")
    assert e.value.line is not None and "YAML syntax error" in str(e.value)


@pytest.mark.parametrize("raw,msg", [
    (b"", "file is empty"),
    (b"\xef\xbb\xbfmasthead: {}\n", "byte-order mark"),
    (b"masthead:\n  title: \xff\xfe\n", "not UTF-8"),
])
def test_bad_bytes(tmp_path, raw, msg):
    p = tmp_path / "issue.yaml"
    p.write_bytes(raw)
    with pytest.raises(InputError, match=msg):
        load_issue(p)


def test_bad_date_and_type(tmp_path):
    p = _write(tmp_path, ISSUE.read_text(encoding="utf-8").replace("date: 2020-03-16", "date: 2020-02-30"))
    with pytest.raises(InputError, match=r"masthead.date"):
        load_issue(p)
    p = _write(tmp_path, ISSUE.read_text(encoding="utf-8").replace("number: 1640", "number: abc"))
    with pytest.raises(InputError, match=r"masthead.number: expected a whole number"):
        load_issue(p)


def test_unknown_story_in_plan_and_photo_outside(tmp_path):
    p = _write(tmp_path, ISSUE.read_text(encoding="utf-8").replace("- story: brief", "- story: breif"))
    with pytest.raises(InputError, match=r"no story with id 'breif'"):
        load_issue(p)
    p = _write(tmp_path, ISSUE.read_text(encoding="utf-8").replace("file: photos/awards.jpg", "file: ../../etc/passwd"))
    with pytest.raises(InputError, match="outside the issue folder"):
        load_issue(p)


def test_python_tags_are_refused(tmp_path):
    p = _write(tmp_path, "masthead: !!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(InputError, match="cannot read value"):
        load_issue(p)


def test_style_errors(tmp_path):
    # fonts are named relative to the style file: point the copy at the real fonts folder
    s = STYLE.read_text(encoding="utf-8").replace("../fonts/", f"{ROOT / 'fonts'}/")
    bad = _write(tmp_path, s.replace("body:           {font: song,", "body:           {font: sogn,"), "a.yaml")
    with pytest.raises(InputError, match=r"roles.body.font: unknown font role 'sogn'"):
        load_style(bad)
    bad = _write(tmp_path, s.replace("size: 小五, leading: 13.5pt, indent: 2", "size: 小七, leading: 13.5pt, indent: 2"), "b.yaml")
    with pytest.raises(InputError, match=r"roles.body.size: not a length: '小七'"):
        load_style(bad)
    bad = _write(tmp_path, s.replace("red: [0, 100, 100, 0]", "red: [0, 100, 100]"), "c.yaml")
    with pytest.raises(InputError, match=r"colors.red: a colour is \[C, M, Y, K\]"):
        load_style(bad)
    bad = _write(tmp_path, s.replace("song: ../fonts/NotoSerifCJKsc-Regular.otf", "song: nowhere.otf")
                 .replace(f"song: {ROOT / 'fonts'}/NotoSerifCJKsc-Regular.otf", "song: nowhere.otf"), "d.yaml")
    with pytest.raises(InputError, match=r"fonts.song: font file not found"):
        load_style(bad)
