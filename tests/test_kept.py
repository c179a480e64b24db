"""Compositions kept between runs (compose/kept.py: breaks, set lines) and lines counted
without setting them (paragraph.count_lines, module.ModuleSetter.body_lines): a paragraph whose
breaks or lines are known sets exactly as one set afresh, and a broken file only costs time."""
from __future__ import annotations

import msgspec
import pytest

from layout.compose import caches
from layout.compose import paragraph as paragraph_mod
from layout.compose.kept import BREAKS_ENTRY, Kept
from layout.compose.model import Span
from layout.compose.paragraph import compose_paragraph, save_compositions
from layout.pipeline import _fonts, load

TEXT = ("本报讯（记者 方心怡）柯城区今年推进“15分钟便民生活圈”建设，新增社区食堂12家、"
        "养老服务点30个，惠及居民约4.5万人。区商务局负责人介绍，明年将继续扩面提质。")


@pytest.fixture()
def fonts(tmp_path, monkeypatch):
    monkeypatch.setenv("KECHENG_CACHE_DIR", str(tmp_path / "cache"))
    caches.clear_caches()
    _, style = load("1640")
    yield _fonts(style), style
    caches.clear_caches()


def _set(fonts, style, measure):
    spans = fonts.spans(TEXT, style.roles["body"].font, style.roles["body"].size)
    return compose_paragraph(spans, measure, fonts, style.composition, first_indent=2.0)


def test_kept_compositions_set_as_afresh(fonts, tmp_path, monkeypatch):
    fs, style = fonts
    searched = [_set(fs, style, m) for m in (99.0, 130.5, 171.0)]
    save_compositions(fs)
    assert len(list((tmp_path / "cache").glob("breaks-*.msgpack"))) == 1
    assert len(list((tmp_path / "cache").glob("set-*.msgpack"))) == 1
    caches.clear_caches()           # a new run: only the files remember

    def no_work(*a, **k):
        raise AssertionError("set before: neither searched nor realised")
    monkeypatch.setattr(paragraph_mod, "total_fit", no_work)
    monkeypatch.setattr(paragraph_mod, "realize", no_work)
    kept = [_set(fs, style, m) for m in (99.0, 130.5, 171.0)]
    assert kept == searched and repr(kept) == repr(searched)


def test_kept_breaks_are_realised_as_searched(fonts, tmp_path, monkeypatch):
    fs, style = fonts
    searched = [_set(fs, style, m) for m in (99.0, 130.5, 171.0)]
    save_compositions(fs)
    for f in (tmp_path / "cache").glob("set-*.msgpack"):
        f.unlink()                  # the breaks alone
    caches.clear_caches()

    def no_search(*a, **k):
        raise AssertionError("breaks on file: no search")
    monkeypatch.setattr(paragraph_mod, "total_fit", no_search)
    kept = [_set(fs, style, m) for m in (99.0, 130.5, 171.0)]
    assert kept == searched and repr(kept) == repr(searched)


def test_broken_file_counts_as_empty(fonts, tmp_path):
    fs, style = fonts
    want = _set(fs, style, 120.0)
    save_compositions(fs)
    for path in (tmp_path / "cache").glob("*-*.msgpack"):
        path.write_bytes(b"\xc1not msgpack")
    caches.clear_caches()
    assert _set(fs, style, 120.0) == want
    for path in (tmp_path / "cache").glob("*-*.msgpack"):
        path.write_bytes(b"\x93\x01\x02\x03")          # valid msgpack, not a map
    caches.clear_caches()
    assert _set(fs, style, 120.0) == want


def test_unwritable_store_only_costs_time(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = Kept(blocker / "sub" / "breaks.msgpack", BREAKS_ENTRY)
    store.put("k", ((), [(0, 3, ("F", 0.0))]))
    store.save()                                    # its folder cannot be made: no error
    assert store.get("k") == ((), [(0, 3, ("F", 0.0))])


def test_damaged_entry_is_searched_again(fonts):
    fs, style = fonts
    want = _set(fs, style, 120.0)
    save_compositions(fs)
    mc = caches.cache_for(fs)
    for store in (mc.kept, mc.kept_set):
        for key in list(store._data):
            store._data[key] = msgspec.Raw(msgspec.msgpack.encode(
                ((), [(0, 5, ("F", 0.0))] if store is mc.kept
                 else [(0, 5, 120.0, 50.0, False, b"", b"")])))      # not the paragraph
    mc.results.clear()
    mc.breaks.clear()
    assert _set(fs, style, 120.0) == want


def test_count_lines_is_the_set_paragraph_s(fonts, monkeypatch):
    from layout.compose.paragraph import count_lines
    fs, style = fonts
    spans = fs.spans(TEXT, style.roles["body"].font, style.roles["body"].size)
    counted = [count_lines(spans, m, fs, style.composition, first_indent=2.0) for m in (60.0, 99.0, 171.0)]

    def no_search(*a, **k):
        raise AssertionError("counted: the breaks are known")
    monkeypatch.setattr(paragraph_mod, "total_fit", no_search)
    set_ = [len(_set(fs, style, m).lines) for m in (60.0, 99.0, 171.0)]
    assert counted == set_ and counted[0] > counted[1] > counted[2] >= 1


def test_body_lines_count_what_body_sets(fonts):
    from layout.place.module import ModuleSetter, story_columns
    from layout.place.textset import Setter
    from layout.pipeline import load
    fs, style = fonts
    issue, _ = load("1640")
    counted, set_ = ModuleSetter(Setter(fs, style), style.grid), ModuleSetter(Setter(fs, style), style.grid)
    for story in list(issue.stories.values())[:6]:
        for cols in (1, 2, 3):
            w = story_columns(style.grid, cols, None).width
            lines = counted.body_lines(story, w)
            text = set_.body(story, w)
            assert list(lines.lines) == [(pi, None) for pi, _ in text.lines]
            assert (lines.kinds, lines.chars) == (text.kinds, text.chars)
            assert set_.body_lines(story, w) is text      # already set: the body itself


def test_headlines_set_after_other_widths_set_as_afresh(fonts):
    """A line of furniture is composed once a text and size and aligned in each measure
    (textset.Setter._lines_block): the headline, kicker and deck blocks of 1640's stories,
    set at a width after every other width, are the blocks a new setter sets at that width
    alone, line for line and glyph for glyph, however many lines they take."""
    from layout.place.module import ModuleSetter
    from layout.place.textset import Setter
    fs, style = fonts
    issue, _ = load("1640")
    grid = style.grid
    widths = [grid.span_width(cols) for cols in range(1, grid.columns + 1)] + [grid.span_width(2) + 3 * grid.em]
    many = ModuleSetter(Setter(fs, style), grid)
    for story in issue.stories.values():
        for w in widths:
            many.head(story, w)
        for w in reversed(widths):
            alone = ModuleSetter(Setter(fs, style), grid).head(story, w)
            again = many.head(story, w, lines=2)        # a new key: set from the lines kept
            fresh = ModuleSetter(Setter(fs, style), grid).head(story, w, lines=2)
            assert many.head(story, w) == alone
            assert again == fresh, (story.id, w)


def test_entry_of_another_shape_counts_as_absent(tmp_path):
    path = tmp_path / "breaks.msgpack"
    path.write_bytes(msgspec.msgpack.encode({"a": "rubbish", "b": [[], [[0, 3, ["F", 0.0]]]]}))
    store = Kept(path, BREAKS_ENTRY)
    assert store.get("a") is None and store.get("b") == ((), [(0, 3, ["F", 0.0])])


def test_a_full_store_keeps_what_this_run_found_and_used(tmp_path):
    path = tmp_path / "breaks.msgpack"
    store = Kept(path, BREAKS_ENTRY, limit=4)
    for k in "abcd":
        store.put(k, ((), [(0, 1, None)]))
    store.save()
    again = Kept(path, BREAKS_ENTRY, limit=4)
    assert again.get("a") is not None         # used this run
    again.put("e", ((), [(0, 2, None)]))
    again.save()
    kept = Kept(path, BREAKS_ENTRY, limit=4)
    assert [k for k in "abcde" if kept.get(k) is not None] == ["a", "c", "d", "e"]


def test_another_composer_s_files_are_removed(tmp_path):
    (tmp_path / "set-0000000000000000-aaaa.msgpack").write_bytes(b"\x80")     # an older composer's
    (tmp_path / "set-1111111111111111-bbbb.msgpack").write_bytes(b"\x80")     # this one's, other fonts
    store = Kept(tmp_path / "set-1111111111111111-aaaa.msgpack")
    store.put("k", 1)
    store.save()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["set-1111111111111111-aaaa.msgpack",
                                                          "set-1111111111111111-bbbb.msgpack"]
