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
    with pytest.raises(InputError, match=r"fonts.song: font file 'nowhere.otf' not found"):
        load_style(bad)


# --------------------------------------------------------------------------- positions and paths
def _load_text(tmp_path: Path, text: str, name: str = "issue.yaml"):
    return load_issue(_write(tmp_path, text, name), name)


def _err(tmp_path: Path, text: str) -> InputError:
    with pytest.raises(InputError) as e:
        _load_text(tmp_path, text)
    return e.value


def test_paths_render_as_in_the_file(tmp_path):
    text = _issue_text(**{"      - story: brief": "      - story: brief\n        stroy: x"})
    e = _err(tmp_path, text)
    line = text.splitlines().index("        stroy: x") + 1
    assert str(e) == f"issue.yaml:{line}:9: pages[0].modules[2].stroy: unknown key 'stroy' (did you mean 'story'?)"
    text = _issue_text(**{"      - story: brief": "      - story: breif"})
    e = _err(tmp_path, text)
    line = text.splitlines().index("      - story: breif") + 1
    assert (e.line, e.col, e.field) == (line, 16, "pages[0].modules[2].story")   # at the value


def test_value_errors_point_at_the_value_key_errors_at_the_key(tmp_path):
    e = _err(tmp_path, _issue_text(**{"  number: 1640": "  number:    abc"}))
    assert (e.line, e.col, e.field) == (12, 14, "masthead.number")
    e = _err(tmp_path, _issue_text(**{"  number: 1640\n": ""}))
    assert (e.line, e.col, e.field, e.message) == (9, 1, "masthead", "missing key 'number'")


def test_text_is_kept_as_written(tmp_path):
    """A number or date where text is wanted is taken as written, not as Python would print it."""
    text = _issue_text(**{"      - 3月15日上午，": "      - 3.10\n      - 1_000\n      - 2020-03-16\n      - 3月15日上午，"})
    body = [p.text for p in _load_text(tmp_path, text).stories["brief"].body]
    assert body[:3] == ["3.10", "1_000", "2020-03-16"]


def test_control_characters_in_copy_are_refused(tmp_path):
    e = _err(tmp_path, _issue_text(**{"    headline: 区领导挂联服务组工作汇报会召开": '    headline: "区领导\\t挂联"'}))
    assert e.field == "stories[2].headline" and "a tab (U+0009) at character 4" in e.message
    text = _issue_text(**{"      - 3月15日上午，": "      - |\n        第一行\n        第二行\n      - 3月15日上午，"})
    e = _err(tmp_path, text)
    assert e.field == "stories[2].body[0]" and "a line break" in e.message
    # the line end a block scalar keeps is not copy
    text = _issue_text(**{"      - 3月15日上午，": "      - |\n        一行\n      - 3月15日上午，"})
    assert _load_text(tmp_path, text).stories["brief"].body[0].text == "一行"


def test_aliases_and_merge_keys_are_refused(tmp_path):
    e = _err(tmp_path, "a: &x [1, 2]\nb: *x\n")
    assert (e.line, e.field) == (2, "b") and "aliases" in e.message
    e = _err(tmp_path, "base: &b {x: 1}\nother:\n  <<: *b\n")
    assert "merge keys" in e.message or "aliases" in e.message
    # a billion laughs never expands
    lol = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    e = _err(tmp_path, lol)
    assert "aliases" in e.message


def test_deep_nesting_is_refused(tmp_path):
    e = _err(tmp_path, "a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nested too deeply" in e.message or "YAML" in e.message
    e = _err(tmp_path, "a: " + "[" * 40 + "]" * 40 + "\n")
    assert "nested too deeply" in e.message


def test_size_limits_name_the_field(tmp_path):
    from layout.load import issue as issue_mod
    e = _err(tmp_path, _issue_text(**{"      - 3月15日上午，": "      - " + "字" * 20_001 + "\n      - 3月15日上午，"}))
    assert (e.field, e.message) == ("stories[2].body[0]", "20001 characters; the limit is 20000")
    e = _err(tmp_path, _issue_text(**{"    headline: 区领导挂联服务组工作汇报会召开": "    headline: " + "长" * 600}))
    assert e.field == "stories[2].headline" and "the limit is 500" in e.message
    # the whole issue's copy (2 MB); 110 paragraphs of 19,000 characters (6.3 MB of UTF-8) stop at
    # the paragraph that passes the limit
    paras = "".join(f"      - {'稿' * 19_000}\n" for _ in range(40))
    e = _err(tmp_path, _issue_text(**{"      - 3月15日上午，": paras + "      - 3月15日上午，"}))
    n = issue_mod.MAX_COPY_BYTES // (19_000 * 3)
    assert e.field.startswith("stories[2].body[") and "the issue's copy passes 2 MB" in e.message
    assert int(e.field.split("[")[-1].rstrip("]")) in (n - 1, n, n + 1)


def test_jump(tmp_path):
    issue = _load_text(tmp_path, _issue_text(**{"      - story: lead": "      - story: lead\n        jump: 2"}))
    mods = issue.pages[0].modules
    assert (mods[0].continued_on, mods[1].continued_on) == (2, None)
    for jump, msg in (("9", "jump to page 9, but the issue has pages 1..4"),
                      ("1", "a story cannot jump to its own page (1)"),
                      ("zwei", "expected a whole number, got 'zwei'")):
        e = _err(tmp_path, _issue_text(**{"      - story: lead": f"      - story: lead\n        jump: {jump}"}))
        assert (e.field, e.message) == ("pages[0].modules[0].jump", msg)


def test_style_path_is_relative_to_the_issue(tmp_path, monkeypatch):
    from layout.pipeline import load
    d = tmp_path / "a" / "b"
    d.mkdir(parents=True)
    st = (tmp_path / "a" / "house.yaml")
    st.write_text(STYLE.read_text(encoding="utf-8").replace("../fonts/", f"{ROOT / 'fonts'}/"), encoding="utf-8")
    p = d / "issue.yaml"
    p.write_text(_issue_text(**{"style: kecheng": "style: ../house.yaml"}), encoding="utf-8")
    monkeypatch.chdir(tmp_path)                         # not the issue's folder
    issue, style = load(str(p))
    assert Path(issue.style) == st.resolve() and style.path.resolve() == st.resolve()
    p.write_text(_issue_text(**{"style: kecheng": "style: house.yaml"}), encoding="utf-8")
    with pytest.raises(InputError, match=r"style: style sheet 'house.yaml' not found \(a path is relative to the issue file\)"):
        load(str(p))
    p.write_text(_issue_text(**{"style: kecheng": "style: kechng"}), encoding="utf-8")
    with pytest.raises(InputError, match=r":7:8: style: unknown style 'kechng' \(did you mean 'kecheng'\?\)"):
        load(str(p))


def _style_err(tmp_path: Path, old: str, new: str) -> InputError:
    s = STYLE.read_text(encoding="utf-8").replace("../fonts/", f"{ROOT / 'fonts'}/")
    assert old in s
    with pytest.raises(InputError) as e:
        load_style(_write(tmp_path, s.replace(old, new), "s.yaml"), "s.yaml")
    return e.value


@pytest.mark.parametrize("old,new,field,msg", [
    ("teaser_label:   {font: hei, size: 小四, color: red}", "teaser_label:   {font: hei, size: 小四, color: rde}",
     "roles.teaser_label.color", "unknown colour 'rde' (did you mean 'red'?)"),
    ("  song: [hei_regular, kai]", "  song: [hei_reguler, kai]", "fallback.song[0]",
     "unknown font role 'hei_reguler' (did you mean 'hei_regular'?)"),
    ("  kai: [song, hei_regular]", "  kaj: [song, hei_regular]", "fallback.kaj",
     "unknown font role 'kaj' (did you mean 'kai'?)"),
    ("deck:           {font: kai, size: 四号", "deck:           {font: kai, size: -4pt", "roles.deck.size",
     "must be greater than zero, got '-4pt'"),
    ("deck:           {font: kai, size: 四号", "deck:           {font: kai, size: 0pt", "roles.deck.size",
     "must be greater than zero, got '0pt'"),
    ("deck:           {font: kai, size: 四号", "deck:           {font: kai, size: 14pp", "roles.deck.size",
     "unknown unit 'pp' in '14pp'"),
    ("deck:           {font: kai, size: 四号", "deck:           {font: kai, size: 小七", "roles.deck.size",
     "not a length: '小七'"),
    ("deck:           {font: kai, size: 四号", "deck:           {font: kai, size: 14mm", "roles.deck.size", None),
    ("  column_chars: 13 ", "  column_chars: 16 ", "grid", "the grid does not fit the page"),
    ("  margin_top: 14mm", "  margin_top: 410mm", "page", "leave no room"),
    ("  headline_1:     {", "  headlines_1:    {", "roles.headlines_1", "unknown role 'headlines_1' (did you mean 'headline_1'?)"),
    ("  grey: [0, 0, 0, 50]\n", "", "colors", "missing colour 'grey'"),
    ("  red: [0, 100, 100, 0]", "  red: [0, 100, 100, 120]", "colors.red[3]", "120 is out of range (0..100)"),
    ("  body_size: 小五 ", "  body_size: 500pt ", "grid.body_size", "too large"),
])
def test_style_messages(tmp_path, old, new, field, msg):
    if msg is None:       # 14mm is a legal (large) size: no error
        s = STYLE.read_text(encoding="utf-8").replace("../fonts/", f"{ROOT / 'fonts'}/").replace(old, new)
        assert load_style(_write(tmp_path, s, "s.yaml")).roles["deck"].size == pytest.approx(14 * MM)
        return
    e = _style_err(tmp_path, old, new)
    assert e.field == field and msg in e.message and e.line is not None, str(e)


def test_photo_checks(tmp_path):
    from PIL import Image
    d = tmp_path / "photos"
    d.mkdir()
    Image.new("RGB", (40, 30), "red").save(d / "ok.jpg", "JPEG")
    Image.new("RGB", (40, 30), "red").save(d / "a.bmp", "BMP")
    (d / "cut.jpg").write_bytes((d / "ok.jpg").read_bytes()[:200])
    (d / "folder.jpg").mkdir()

    def with_photo(name: str) -> str:
        return _issue_text(**{"file: photos/awards.jpg": f"file: photos/{name}"})
    issue = _load_text(tmp_path, with_photo("ok.jpg"))
    assert issue.stories["lead"].photo.file == (d / "ok.jpg").resolve()
    assert _load_text(tmp_path, with_photo("missing.jpg")).stories["lead"].photo.file.name == "missing.jpg"
    for name, msg in (("a.bmp", "is a BMP image; use JPEG or PNG"), ("cut.jpg", "not a readable JPEG or PNG"),
                      ("folder.jpg", "is a folder, not an image file")):
        e = _err(tmp_path, with_photo(name))
        assert e.field == "stories[0].photo.file" and msg in e.message, str(e)


def test_print_section(tmp_path):
    s = STYLE.read_text(encoding="utf-8").replace("../fonts/", f"{ROOT / 'fonts'}/")
    st = load_style(_write(tmp_path, s, "p.yaml"))
    assert (st.print.standard, st.print.ink_limit, st.print.photos, st.print.marks) == ("x1a", 240.0, "grey", True)
    bad = _write(tmp_path, s.replace("  standard: x1a ", "  standard: x4 "), "q.yaml")
    with pytest.raises(InputError, match=r"print.standard: PDF/X-4 needs the press's output profile"):
        load_style(bad)
    lower = load_style(_write(tmp_path, s.replace("ink_limit: 240", "ink_limit: 220"), "r.yaml"))
    from layout.pipeline import print_settings
    assert print_settings(lower).tac_limit == 220.0


def test_damaged_font_is_bad_input_naming_its_role(tmp_path):
    from layout.pipeline import render
    damaged = tmp_path / "Damaged.otf"
    damaged.write_bytes((ROOT / "fonts" / "NotoSansCJKsc-Regular.otf").read_bytes()[:4000])
    s = STYLE.read_text(encoding="utf-8").replace("../fonts/", f"{ROOT / 'fonts'}/")
    s = s.replace(f"hei_regular: {ROOT / 'fonts'}/NotoSansCJKsc-Regular.otf", f"hei_regular: {damaged}")
    style = _write(tmp_path, s, "damaged.yaml")
    with pytest.raises(InputError) as e:
        render(str(ISSUE), style_arg=str(style), write=False)
    assert "fonts" in e.value.field and "cannot read font file" in e.value.message
