"""Metrics and copy for composer tests and benchmarks.

* ``FakeMetrics``: deterministic advances (ideographs and CJK punctuation 1 em,
  ASCII letters and digits from a small table);
* ``FontMetrics``: real advances read with fontTools (cmap + hmtx) from font files;
* ``seed_paragraphs``: the paragraphs of the front-page copy of issue 1640, with
  the extraction's column/photo breaks repaired (a word or paragraph cut at a
  column break is joined again, the photo caption moved out of the article).
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "issues" / "1640" / "source" / "000_c0214c87c37c3824.txt"
NOTO_SERIF = Path(__file__).resolve().parents[2] / "fonts" / "NotoSerifCJKsc-Regular.otf"

_LATIN_WIDTHS = {
    **{c: 0.55 for c in "0123456789"},
    **{c: 0.5 for c in "abcdefghknopqrstuvxyz"},
    **{c: 0.3 for c in "ijlft"},
    **{c: 0.8 for c in "mw"},
    **{c: 0.65 for c in "ABCDEFGHIJKLNOPQRSTUVXYZ"},
    **{c: 0.85 for c in "MW"},
    " ": 0.25, ".": 0.25, ",": 0.25, ":": 0.25, ";": 0.25, "-": 0.35, "/": 0.3,
    "(": 0.35, ")": 0.35, "%": 0.8, "$": 0.55, "¥": 0.55, "'": 0.25, '"': 0.4,
}


class FakeMetrics:
    """Ideographs and CJK punctuation 1.0 em (curly quotes included, as in the
    Noto CJK fonts); ASCII from a small table; anything else narrow 0.5 em."""

    def __init__(self, overrides: dict[str, float] | None = None):
        self.overrides = dict(overrides or {})

    def advance(self, font: str, ch: str) -> float:
        w = self.overrides.get(ch)
        if w is not None:
            return w
        w = _LATIN_WIDTHS.get(ch)
        if w is not None:
            return w
        if ch in "“”‘’—…·":
            return 1.0
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            return 1.0
        return 0.5


class FontMetrics:
    """Advances from font files: ``FontMetrics({"song": path, "hei": path2})``."""

    def __init__(self, fonts: dict[str, str | Path]):
        from fontTools.ttLib import TTFont

        self._fonts = {}
        for role, path in fonts.items():
            f = TTFont(str(path), lazy=True)
            self._fonts[role] = (f.getBestCmap(), f["hmtx"], f["head"].unitsPerEm)
        self._cache: dict[tuple[str, str], float] = {}

    def advance(self, font: str, ch: str) -> float:
        key = (font, ch)
        w = self._cache.get(key)
        if w is None:
            cmap, hmtx, upm = self._fonts[font]
            g = cmap.get(ord(ch))
            if g is None:
                w = 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5
            else:
                w = hmtx[g][0] / upm
            self._cache[key] = w
        return w


def seed_blocks(path: Path | str = SEED) -> list[tuple[str, str]]:
    """(kind, text) for every paragraph of the seed: kind "body" for article
    paragraphs (set with the 2-em indent), "head" for headlines, decks, masthead
    lines, the caption and the teaser (set without indent)."""
    out = []
    for p in seed_paragraphs(path):
        body = "。" in p or len(p) >= 40
        out.append(("body" if body else "head", p))
    return out


def seed_paragraphs(path: Path | str = SEED) -> list[str]:
    """Paragraphs of the seed copy (headings without their '## '), repaired."""
    raw = [ln.strip() for ln in Path(path).read_text(encoding="utf-8").splitlines()]
    paras = [ln[3:] if ln.startswith("## ") else ln for ln in raw if ln]
    heads = {ln[3:] for ln in raw if ln.startswith("## ")}
    captions = [p for p in paras if p.endswith("摄）")]
    paras = [p for p in paras if p not in captions]
    out: list[str] = []
    pending_caption: list[str] = []
    for p in paras:
        if out:
            prev = out[-1]
            joinable = (prev not in heads and len(prev) >= 10 and len(p) >= 10
                        and not p.startswith("本报讯")
                        and (prev[-1] == "，" or unicodedata.east_asian_width(prev[-1]) == "W"
                             and prev[-1] not in "。！？”）…")
                        and unicodedata.east_asian_width(p[0]) == "W" and p[0] not in "“（")
            if joinable:
                out[-1] = prev + p
                if captions and prev.endswith("，"):
                    pending_caption.extend(captions)
                    captions = []
                continue
        if pending_caption:
            out.extend(pending_caption)
            pending_caption = []
        out.append(p)
    out.extend(pending_caption)
    out.extend(captions)
    return out
