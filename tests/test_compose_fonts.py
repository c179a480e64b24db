"""Composition with real font metrics (fontTools, cmap + hmtx) from fonts/.

Skipped cleanly when the font files are not there.  Advances are read, never
assumed: in Noto Serif CJK SC the curly quotes are full width (compressible),
the em dash is 0.89 em (set in a 2-em cell) and digits are proportional; in
LXGW WenKai the curly quotes are proportional, set in the same em as Noto's.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from layout.compose.analysis import analyze_paragraph, summarize
from layout.compose.bench import compose_seed
from layout.compose.model import ComposeSettings, Span
from layout.compose.paragraph import compose_paragraph
from layout.compose.testing import SEED, FontMetrics

FONTS = Path(__file__).resolve().parents[1] / "fonts"
SERIF = FONTS / "NotoSerifCJKsc-Regular.otf"
SANS = FONTS / "NotoSansCJKsc-Regular.otf"
KAI = FONTS / "LXGWWenKai-Regular.ttf"

needs_serif = pytest.mark.skipif(not SERIF.exists(), reason="Noto Serif CJK SC not in fonts/")
SIZE = 9.0


@pytest.fixture(scope="module")
def serif():
    return FontMetrics({"song": SERIF})


def setp(text, em, metrics, font="song", **kw):
    ind = kw.pop("first_indent", 0.0)
    st = ComposeSettings(**kw)
    par = compose_paragraph([Span(text, font, SIZE)], em * SIZE, metrics, st, first_indent=ind)
    rep = analyze_paragraph(par, metrics, st, em=SIZE)
    assert rep["index_ok"]
    assert not rep["forbidden_start"] and not rep["forbidden_end"] and not rep["split_units"]
    assert not rep["gap_faults"] and not rep["fill_faults"]
    return par, rep


@needs_serif
def test_serif_advances_read_not_assumed(serif):
    assert serif.advance("song", "中") == 1.0
    assert serif.advance("song", "“") == 1.0          # full width in the CJK font
    assert serif.advance("song", "—") == pytest.approx(0.89)
    assert 0.4 < serif.advance("song", "1") < 0.5      # proportional digits
    assert serif.advance("song", "0") == pytest.approx(0.557)


@needs_serif
def test_serif_year_run_at_its_nominal_gaps(serif):
    """The Han-digit gaps keep their nominal (1/4 em by default): the run is not padded
    out to whole ems to keep the grid."""
    par, rep = setp("会议表彰了一批2019年度创业创新突出贡献奖", 13, serif)
    g = par.lines[0].glyphs
    before = (g[7].x - g[6].x - SIZE) / SIZE
    after = (g[11].x - g[10].x - g[10].advance) / SIZE
    assert [ln.text for ln in par.lines][0].startswith("会议表彰了一批2019年度")
    assert 0.25 - 1 / 16 - 1e-6 <= before <= 0.25 + 1 / 16 + 1e-6
    assert after == pytest.approx(before, abs=1e-6)


@needs_serif
def test_serif_dash_in_two_em_cell(serif):
    par, rep = setp("——柯城年后“第一会”侧记", 13, serif)
    g = par.lines[0].glyphs
    assert g[0].x / SIZE == pytest.approx(0.11, abs=1e-6)
    assert g[1].x / SIZE == pytest.approx(1.0, abs=1e-6)
    assert g[0].advance / SIZE == pytest.approx(1.0)
    assert g[2].x / SIZE == pytest.approx(2.0)
    assert rep["off_grid_lines"] == []


@needs_serif
def test_serif_space_before_app_is_the_gap(serif):
    par, rep = setp("运动柯城 APP", 13, serif)
    g = par.lines[0].glyphs
    assert g[4].advance / SIZE == pytest.approx(0.25)
    assert g[5].x / SIZE == pytest.approx(4.25)


@needs_serif
def test_serif_quote_pair_compressed(serif):
    par, rep = setp("他说：“好。”大家走吧", 20, serif, grid=False)
    g = par.lines[0].glyphs
    assert [round(x.advance / SIZE, 3) for x in g[2:7]] == [1.0, 0.5, 1.0, 0.5, 1.0]
    assert g[3].x / SIZE == pytest.approx(2.5)       # opening quote drawn half an em left


@needs_serif
def test_serif_dateline_kept_whole(serif):
    par, rep = setp("本报讯（记者 严嘉慧）3月15日上午，我区召开区领导挂联服务组工作汇报会。", 13, serif,
                    first_indent=2.0)
    assert [ln.text for ln in par.lines] == ["本报讯（记者 严嘉慧）", "3月15日上午，我区召开区领",
                                             "导挂联服务组工作汇报会。"]
    assert rep["extra_faults"] == []
    # the space between 记者 and the name: a full em (an ideographic space), +-1/16 at most
    g = par.lines[0].glyphs
    assert 0.9375 - 1e-6 <= (g[7].x - g[5].x - g[5].advance) / SIZE <= 1.0625 + 1e-6


@needs_serif
@pytest.mark.skipif(not KAI.exists(), reason="LXGW WenKai not in fonts/")
def test_wenkai_proportional_quotes_set_as_the_body_sets_them(serif):
    """LXGW WenKai's curly quotes are 0.35 em; a deck set in it takes the widths the body's
    Noto Serif sets for the same marks (one width for a mark in one style), each narrow
    glyph drawn on its ink side of the em: “ at the right, ” at the left."""
    kai = FontMetrics({"kai": KAI})
    narrow = kai.advance("kai", "“")
    assert narrow < 0.5 and serif.advance("song", "“") == 1.0
    text = "他说：“好。”大家走吧"
    par_kai, _ = setp(text, 20, kai, font="kai", grid=False)
    par_song, _ = setp(text, 20, serif, grid=False)
    kai_glyphs, song_glyphs = par_kai.lines[0].glyphs, par_song.lines[0].glyphs
    assert [g.advance for g in kai_glyphs] == pytest.approx([g.advance for g in song_glyphs])
    assert kai_glyphs[3].advance / SIZE == pytest.approx(0.5)      # ：“ compressed as a pair
    # the opening quote's ink ends where its cell ends; the closing quote's starts at its cell
    assert kai_glyphs[3].x + narrow * SIZE == pytest.approx(kai_glyphs[4].x)
    assert kai_glyphs[6].x == pytest.approx(kai_glyphs[5].x + kai_glyphs[5].advance)


@pytest.mark.skipif(not SANS.exists(), reason="Noto Sans CJK SC not in fonts/")
def test_sans_full_width_middle_dot():
    sans = FontMetrics({"hei": SANS})
    assert sans.advance("hei", "·") == 1.0
    par, rep = setp("托尔斯泰·列夫很好", 20, sans, font="hei")
    g = par.lines[0].glyphs
    assert g[4].advance / SIZE == pytest.approx(1.0) and g[5].x / SIZE == pytest.approx(5.0)


@needs_serif
@pytest.mark.skipif(not SEED.exists(), reason="seed copy not available")
def test_seed_targets_with_serif_metrics(serif):
    st = ComposeSettings()
    pars = compose_seed(serif, st)
    s = summarize([analyze_paragraph(p, serif, st) for p in pars])
    assert s["index_ok"]
    assert s["forbidden_start"] == s["forbidden_end"] == s["split_units"] == 0
    assert s["pair_faults"] == s["gap_faults"] == s["orphans"] == 0
    # the one line not filled: the dateline 本报讯（记者 陈蓉蓉 方心怡） (its names are never split),
    # its gaps at 0.10 em and the rest at its end; no line looser
    assert s["extra_faults"] == 0 and s["fill_faults"] == 1
    assert [n for p in pars for n in p.notes] == ["line 0-11: dateline set ragged: 0.134 em between characters "
                                                  "needed, set at 0.10 em, 0.24 em left at the end"]
    assert s["half_isolated_pct"] == 0.0
    assert s["on_grid_pct"] >= 80.0


# long runs without a grid unit used to enumerate 2**marks states (a hang, not a slow page)
LONG_RUNS = {
    "latin names, chinese punctuation": "Alpha，Beta，Gamma，Delta；Epsilon、Zeta。" * 12,
    "a body at another size than the grid": None,
}


@needs_serif
@pytest.mark.parametrize("case", sorted(LONG_RUNS))
def test_long_runs_without_grid_units_compose_quickly(serif, case):
    import time
    if LONG_RUNS[case] is None:        # the em (first span) is 12 pt, the text 9 pt
        spans = [Span("本报讯（记者）", "song", 12.0), Span("区委召开经济工作会议，研究部署今年经济工作。" * 40, "song", SIZE)]
    else:
        spans = [Span(LONG_RUNS[case], "song", SIZE)]
    import signal

    def too_slow(*_):
        raise TimeoutError("composition did not finish in 20 s")
    old = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(20)
    try:
        t = time.process_time()
        par = compose_paragraph(spans, 13 * SIZE, serif, ComposeSettings(indent=0.0))
        assert time.process_time() - t < 2.0          # milliseconds now; was minutes or more
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    text = "".join(sp.text for sp in spans)
    assert par.text == text
    assert [g.index for ln in par.lines for g in ln.glyphs] == list(range(len(text)))
    assert len(par.lines) > 10
    for ln in par.lines[:-1]:
        assert ln.width == pytest.approx(13 * SIZE, abs=0.05)
