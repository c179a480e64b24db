"""The PDF composition report (layout.check.quality) on small PDFs made with Typst.

Each test sets a few lines in a 13-em column at 9 pt with Noto Serif CJK SC,
some with an injected fault (a forced break before a comma, a fixed space
pushing ideographs off the grid, ...), and checks the report finds exactly it.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

typst = pytest.importorskip("typst")
pytest.importorskip("pypdfium2")

from layout.check import quality as q  # noqa: E402

FONT = Path(q.NOTO_SERIF_TTC)
pytestmark = pytest.mark.skipif(not FONT.exists(), reason="Noto Serif CJK collection not installed")

PLAIN = "区委召开经济工作会议暨三个年活动动员大会深入学习贯彻习近平总书记关于统筹疫情防控和经济社会发展的一系列重要讲话"


def pdf(tmp_path: Path, body: str, columns: int = 1, justify: bool = True, name: str = "t.pdf") -> Path:
    """Compile raw Typst markup (paragraphs separated by blank lines)."""
    width = columns * 117 + (columns - 1) * 9
    inner = body if columns == 1 else f"#columns({columns}, gutter: 9pt)[\n{body}\n]"
    src = (f"#set page(width: {width + 18}pt, height: auto, margin: 9pt)\n"
           '#set text(font: "Noto Serif CJK SC", size: 9pt, lang: "zh", region: "cn")\n'
           f"#set par(justify: {'true' if justify else 'false'}, leading: 5pt, spacing: 5pt, "
           "first-line-indent: (amount: 2em, all: true))\n" + inner + "\n")
    out = tmp_path / name
    out.write_bytes(typst.compile(src.encode(), **q.typst_fonts()))
    return out


def page(rep):
    assert len(rep["pages"]) == 1
    return rep["pages"][0]


def test_clean_column_is_on_grid(tmp_path):
    rep = q.quality_report(pdf(tmp_path, PLAIN))
    p = page(rep)
    assert p["lines"] == 5                     # 2-em indent: 11 + 13 + 13 + 13 + 4 chars
    assert len(p["columns"]) == 1
    assert p["columns"][0]["right"] - p["columns"][0]["left"] == pytest.approx(117, abs=0.05)
    assert p["off_grid_lines"] == [] and p["on_grid_pct"] == 100.0
    assert p["forbidden_start"] == [] and p["forbidden_end"] == []
    assert p["loosest"]["extra_em"] == pytest.approx(0.0, abs=1e-3)
    assert p["one_char_last_lines"] == []
    assert rep["totals"]["lines"] == 5


def test_injected_forbidden_line_start(tmp_path):
    rep = q.quality_report(pdf(tmp_path, "区委召开经济工作会议暨动员大会#linebreak()，深入学习贯彻总书记讲话"))
    p = page(rep)
    assert [f["char"] for f in p["forbidden_start"]] == ["，"]
    assert p["forbidden_start"][0]["line"].startswith("，深入")
    assert p["forbidden_end"] == []
    assert rep["totals"]["forbidden_start"] == 1


def test_injected_forbidden_line_end(tmp_path):
    rep = q.quality_report(pdf(tmp_path, "区委召开经济工作会议（#linebreak()扩大）深入学习贯彻总书记讲话"))
    p = page(rep)
    assert [f["char"] for f in p["forbidden_end"]] == ["（"]
    assert p["forbidden_start"] == []


def test_basic_level_allows_solidus_at_line_end(tmp_path):
    path = pdf(tmp_path, "区委召开经济工作会议／#linebreak()扩大深入学习贯彻总书记讲话")
    assert q.quality_report(path, level="basic")["totals"]["forbidden_end"] == 0
    assert q.quality_report(path, level="gb")["totals"]["forbidden_end"] == 1


def test_injected_off_grid_line(tmp_path):
    body = PLAIN + "\n\n区委召开经济#h(3pt)工作会议\n\n" + PLAIN
    p = page(q.quality_report(pdf(tmp_path, body)))
    assert p["lines"] == 11
    assert p["off_grid_lines"] == ["区委召开经济工作会议"]
    assert p["on_grid"] == 10


def test_tolerance(tmp_path):
    body = PLAIN + "\n\n区委召开经济#h(0.1pt)工作会议"      # 0.011 em off
    path = pdf(tmp_path, body)
    assert page(q.quality_report(path))["off_grid_lines"] == []
    assert page(q.quality_report(path, tol=0.005))["off_grid_lines"] == ["区委召开经济工作会议"]


def test_loosest_line(tmp_path):
    body = "区委召开经济#h(2.7pt)工作会议"                # 0.3 em extra between 济 and 工
    p = page(q.quality_report(pdf(tmp_path, body)))
    assert p["loosest"]["extra_em"] == pytest.approx(0.3, abs=1e-3)
    assert p["loosest"]["line"] == "区委召开经济工作会议"


def test_han_latin_gaps(tmp_path):
    p = page(q.quality_report(pdf(tmp_path, "本报讯3月13日上午区委召开会议")))
    assert len(p["han_latin_gaps"]) == 4
    assert p["gap_faults"] == []
    # a letter's gap outside 1/8-1/2 em is a fault; a number's is only measured (styles set
    # numerals tight)
    p = page(q.quality_report(pdf(tmp_path, "本报讯APP#h(6pt)上线区委召开会议", name="g.pdf")))
    assert len(p["gap_faults"]) == 1 and p["gap_faults"][0]["pair"] == "P上"
    p = page(q.quality_report(pdf(tmp_path, "本报讯3#h(6pt)月13日上午区委召开会议", name="d.pdf")))
    assert p["gap_faults"] == [] and max(p["han_digit_gaps"]) > 0.6


def test_adjacent_punctuation_pairs(tmp_path):
    p = page(q.quality_report(pdf(tmp_path, "#par(first-line-indent: 0em)[说：“好。”吧，“入”“进”好]",
                                  justify=False)))
    runs = {r["marks"]: r["em"] for r in p["pairs"]}
    assert set(runs) >= {"：“", "。”", "，“", "”“"}
    assert all(w <= 1.5 + 1e-3 for w in runs.values())
    assert p["pair_faults"] == []
    # a pair forced wide on an off-grid line is a fault
    p = page(q.quality_report(pdf(tmp_path, "#par(first-line-indent: 0em)[他说：#h(1pt)“好。#h(6pt)”大家走吧]",
                                  justify=False, name="w.pdf")))
    assert any(f["marks"] == "。”" for f in p["pair_faults"])


def test_one_character_last_line(tmp_path):
    p = page(q.quality_report(pdf(tmp_path, "#par(first-line-indent: 0em)[区委召开经济工作会议暨动员会。]")))
    assert p["one_char_last_lines"] == ["会。"]
    p = page(q.quality_report(pdf(tmp_path, "#par(first-line-indent: 0em)[区委召开经济工作会议暨动员大会。]",
                                  name="ok.pdf")))
    assert p["one_char_last_lines"] == []


def test_two_columns(tmp_path):
    body = PLAIN + "\n\n" + PLAIN + "\n\n#colbreak()\n\n" + PLAIN + "\n\n区委召开经济#h(3pt)工作会议"
    p = page(q.quality_report(pdf(tmp_path, body, columns=2)))
    assert len(p["columns"]) == 2
    c0, c1 = p["columns"]
    assert c1["left"] - c0["right"] == pytest.approx(9, abs=0.05)      # a one-em gutter
    assert p["off_grid_lines"] == ["区委召开经济工作会议"]
    assert p["lines"] == 3 * 5 + 1


def test_typst_reference_pdf_and_cli(tmp_path, capsys):
    paras = ["本报讯（记者 严嘉慧）3月15日上午，我区召开区领导挂联服务组工作汇报会。",
             ("区领导挂联服务组工作汇报会召开", 0.0)]
    path = q.make_typst_pdf(paras, tmp_path / "ref.pdf")
    rep = q.quality_report(path)
    assert rep["totals"]["lines"] == 5
    assert q.main([str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["totals"] == rep["totals"]
    assert q.main([str(path)]) == 0
    text = capsys.readouterr().out
    assert "lines" in text and "on grid" in text


def test_report_agrees_with_composer(tmp_path):
    """Our own composition drawn glyph by glyph: the PDF report and the composer's
    analysis find the same lines off the grid."""
    from layout.compose.analysis import analyze_paragraph
    from layout.compose.model import ComposeSettings, Span
    from layout.compose.paragraph import compose_paragraph
    from layout.compose.testing import NOTO_SERIF, FontMetrics

    if not NOTO_SERIF.exists():
        pytest.skip("fonts/NotoSerifCJKsc-Regular.otf not there")
    m = FontMetrics({"song": NOTO_SERIF})
    st = ComposeSettings()
    texts = ["本报讯（记者 陈蓉蓉 方心怡）3月13日上午，区委召开经济工作会议暨“三个年”活动动员大会，"
             "深入学习贯彻习近平总书记关于统筹疫情防控和经济社会发展的一系列重要讲话、重要指示精神。",
             "公司从去年12月开始考察，对柯城良好的区位优势、产业基础和营商环境非常满意，双方通过大量务实"
             "高效的考察洽谈，在短短3个月内达成计划总投资12亿元智能制造产业园项目投资协议。"]
    pars = [compose_paragraph([Span(t, "song", 9.0)], 117.0, m, st) for t in texts]
    path = q.make_placed_pdf(pars, 117.0, tmp_path / "ours.pdf")
    p = page(q.quality_report(path))
    off = sum(len(analyze_paragraph(par, m, st)["off_grid_lines"]) for par in pars)
    assert p["lines"] == sum(len(par.lines) for par in pars)
    assert len(p["off_grid_lines"]) == off
    assert p["forbidden_start"] == [] and p["forbidden_end"] == []
    assert p["gap_faults"] == []


# ---- what a reader sees (issue 14): pair places, gap kinds, word spaces, kept splits ----
def test_pair_place_and_width(tmp_path):
    """A mid-line pair is measured and marked "mid"; one closing a short last line is not
    measured (no right edge to measure it to)."""
    body = "他说要握指成拳“抱团发力”，加快建设四个区用实实在在的工作实效交出答卷"
    p = page(q.quality_report(pdf(tmp_path, body)))
    mid = [x for x in p["pairs"] if x["place"] == "mid"]
    assert [x["marks"] for x in mid] == ["”，"]
    assert 1.0 - 0.02 <= mid[0]["em"] <= 2.0 + 0.02


def test_gap_kinds_and_word_spaces(tmp_path):
    body = "今年3月我区APP上线 运动柯城#h(9pt)好"
    p = page(q.quality_report(pdf(tmp_path, body)))
    assert len(p["han_digit_gaps"]) == 2 and len(p["han_letter_gaps"]) == 2
    assert sorted(p["han_latin_gaps"]) == sorted(p["han_digit_gaps"] + p["han_letter_gaps"])
    assert p["word_spaces"] and max(w["em"] for w in p["word_spaces"]) > 0.2


def test_kept_split_detects_number_unit_and_dateline_name():
    assert q.kept_split("共收集问题92", "条，其中现场解决")
    assert q.kept_split("截至3", "月15日")
    assert q.kept_split("截至3月", "15日")
    assert not q.kept_split("截至3月15日，", "共收集问题")
    assert q.kept_split("本报讯（记者 陈蓉蓉 方", "心怡）3月13日上午")
    assert not q.kept_split("本报讯（记者 陈蓉蓉", "方心怡）3月13日上午")


def test_kept_splits_read_back(tmp_path):
    body = "区委召开经济工作会议暨动员大会共收集问题92#linebreak(justify: true)条，其中现场解决了一批"
    p = page(q.quality_report(pdf(tmp_path, body)))
    assert p["kept_splits"] and p["kept_splits"][0]["start"].startswith("条")
