"""Setting text in a style role: body paragraphs for columns, and furniture lines."""
from __future__ import annotations

import msgspec
import msgspec.structs

from ..compose.caches import cache_for
from ..compose.charclass import ID, classify
from ..compose.dateline import normalise_dateline
from ..compose.model import SetLine, SetParagraph, Span
from ..compose.paragraph import compose_paragraph, count_lines
from ..diskcache import JsonCache
from ..fonts.face import cache_dir
from ..fonts.fontset import FontSet
from ..load.style import Style, TextStyle
from .headline import Segmenter, best_breaks, units


class SetBlock(msgspec.Struct, frozen=True):
    """Unjustified lines of one piece of furniture text, aligned in a measure."""
    lines: tuple[tuple[float, SetLine], ...]     # (x offset in the measure, line)
    style: TextStyle
    size: float                                  # size actually used (headlines may step down)
    leading: float

    @property
    def height(self) -> float:
        return len(self.lines) * self.leading

    @property
    def chars(self) -> int:
        return sum(len(ln.glyphs) for _, ln in self.lines)


#: A measure no line of furniture reaches: the text composed on one line, at its natural width.
_ONE_LINE = 1e6


class Setter:
    def __init__(self, fonts: FontSet, style: Style):
        self.fonts = fonts
        self.style = style
        self.body_settings = style.composition
        self.furniture_settings = msgspec.structs.replace(style.composition, indent=0.0, justify=False, grid=False)
        self.body_settings_unhung = msgspec.structs.replace(style.composition, hanging=False)   # (paragraph)
        # word segmentation and vertical headlines' shaped units (compose/vertical.py), kept
        # between runs on disk and, read once, for the font set's life (caches.MetricsCache.files:
        # the proof server read vertical.json, ~0.9 MB, at every layout; a segmenter that
        # missed loaded jieba's dictionary again)
        kept = cache_for(fonts).files
        place = cache_dir()            # (neither constructor reads its file: both read on first use)
        self.segmenter = kept.setdefault(("segments", place), Segmenter(place / "segments.json"))
        self.vertical_shapes = kept.setdefault(("vertical", place), JsonCache(place / "vertical.json"))
        self._widths: dict[tuple[str, str], float] = {}
        self._spans: dict[tuple, tuple[tuple[str, str], ...]] = {}     # (text, face) a span
        self._units: dict[str, list[str]] = {}            # headline.units of a text's words
        self._breaks: dict[tuple, tuple[str, ...] | None] = {}
        self._furniture_lines: dict[tuple[str, str, float], tuple] = {}   # see _lines_block

    def save_caches(self) -> None:
        """Write what this run added to the caches kept between runs."""
        self.segmenter.save()
        self.vertical_shapes.save()

    def role(self, name: str) -> TextStyle:
        return self.style.roles[name]

    def spans(self, text: str, role: str, size: float | None = None, where: str = "",
              record: bool = True) -> list[Span]:
        # the split into faces remembered: the make-up sets the same text at every measure and
        # size it tries (the size only labels the spans), and a repeat records no missing
        # character the first call did not (FontSet.spans: once a place)
        ts = self.role(role)
        size = size or ts.size
        key = (text, role, where, record)
        got = self._spans.get(key)
        if got is None:
            got = self._spans[key] = tuple((sp.text, sp.font) for sp in self.fonts.spans(text, ts.font, size,
                                                                                       where, record))
        return [Span(t, face, size) for t, face in got]

    def paragraph(self, parts: list[tuple[str, str]], measure: float, where: str = "",
                  indent: float | None = None, line_measures=None, hanging: bool = True) -> SetParagraph:
        """A justified body paragraph from (text, role) parts, e.g. a dateline then body text.
        `line_measures`: each line's own measure (beside a wrapped photo), the last repeating.
        `hanging` False: no mark hangs past the measure, where the style lets it (a paragraph
        whose lines end at a wrapped photo: a hanging mark would stand in the photo's gap)."""
        spans, told, ind, em = self._body_spans(parts, where, indent)
        settings = self.body_settings
        if not hanging and settings.hanging:
            settings = self.body_settings_unhung
        par = compose_paragraph(spans, measure, self.fonts, settings, first_indent=ind,
                                em=em, line_measures=line_measures)
        return msgspec.structs.replace(par, notes=tuple(told) + par.notes) if told else par

    def paragraph_lines(self, parts: list[tuple[str, str]], measure: float, where: str = "",
                        indent: float | None = None) -> tuple[int, int]:
        """(lines, characters) of the paragraph ``paragraph`` sets, without setting it."""
        spans, _, ind, em = self._body_spans(parts, where, indent)
        n = count_lines(spans, measure, self.fonts, self.body_settings, first_indent=ind, em=em)
        return n, sum(len(sp.text) for sp in spans)

    def _body_spans(self, parts, where: str, indent: float | None):
        """A body paragraph's spans, the notes on its dateline, its first-line indent and the
        grid's em: the text's role (the last part), not a dateline set in another size."""
        spans: list[Span] = []
        told = []
        for text, role in parts:
            if role == "dateline":        # one bracket form for every dateline of the style
                text, note = normalise_dateline(text, self.body_settings.dateline_brackets)
                told += [note] if note else []
            spans.extend(self.spans(text, role, where=where))
        ind = self.role("body").indent if indent is None else indent
        return spans, told, ind, self.role(parts[-1][1]).size

    def block(self, text: str, role: str, measure: float, align: str | None = None,
              size: float | None = None, where: str = "") -> SetBlock:
        ts = self.role(role)
        size = size or ts.size
        leading = ts.leading * (size / ts.size)
        para = compose_paragraph(self.spans(text, role, size, where), measure, self.fonts,
                                 self.furniture_settings, first_indent=0.0)
        align = align or (ts.align if ts.align != "justify" else "start")
        lines = []
        for ln in para.lines:
            free = max(0.0, measure - ln.width)
            off = {"start": 0.0, "center": free / 2, "end": free}[align]
            lines.append((off, ln))
        return SetBlock(lines=tuple(lines), style=ts, size=size, leading=leading)

    def breaks(self, text: str, role: str, size: float, lines: int, measure: float) -> list[str] | None:
        """headline.best_breaks of the text's units in `lines` lines of `measure` at `size`,
        remembered: headline fitting tries the same text at the same widths and sizes again
        (4679 calls, 1125 different, on 100 generated pages)."""
        key = (text, role, size, lines, measure)
        if key not in self._breaks:
            parts = self._units.get(text)
            if parts is None:
                parts = self._units[text] = units(self.segmenter.words(text))
            got = best_breaks(parts, lines, measure, lambda t: self.width_em(t, role) * size)
            # (the breaks add up their words' widths; a line set whole may differ where two
            # words meet, a comma before a quote: each line is measured whole)
            if got is not None and any(self.width_em(line, role) * size > measure + 1e-6 for line in got):
                got = None
            self._breaks[key] = tuple(got) if got is not None else None
        got = self._breaks[key]
        return list(got) if got is not None else None

    def width_em(self, text: str, role: str) -> float:
        """The width of `text` set alone on a line at 1 pt, as composition sets it (widths
        scale with the size). Ideographs alone are their advances added up; any other text is
        composed: a face's proportional quotes set in their em box, a comma before a quote
        compressed, the Han-Latin gap (their advances summed had a deck of quotes 18 pt
        wider than measured, drawn past its module). Remembered: headline fitting measures
        the same words at every width and size it tries."""
        key = (text, role)
        got = self._widths.get(key)
        if got is None:
            spans = self.spans(text, role, size=1.0, record=False)
            if all(classify(ch) == ID for ch in text):
                got = sum(self.fonts.advance(sp.font, ch) for sp in spans for ch in sp.text)
            else:
                para = compose_paragraph(spans, _ONE_LINE, self.fonts, self.furniture_settings, first_indent=0.0)
                got = max((ln.width for ln in para.lines), default=0.0)
            self._widths[key] = got
        return got

    def _lines_block(self, lines: list[str], role: str, measure: float, size: float, where: str) -> SetBlock:
        ts = self.role(role)
        align = ts.align if ts.align != "justify" else "start"
        out = []
        for text in lines:
            # one line of furniture, set at its natural width (ragged, no justification): the
            # same whatever the measure it is aligned in, so composed once a text and size
            # (the make-up tries a headline at every module width: 30% of a 100-page make-up)
            key = (text, role, size)
            set_lines = self._furniture_lines.get(key)
            if set_lines is None or set_lines[0].width > measure * 4:
                para = compose_paragraph(self.spans(text, role, size, where, record=False), measure * 4, self.fonts,
                                         self.furniture_settings, first_indent=0.0)
                set_lines = para.lines
                if len(set_lines) == 1:
                    self._furniture_lines[key] = set_lines
            elif set_lines[0].measure != measure * 4:       # the record says where it was set
                set_lines = (msgspec.structs.replace(set_lines[0], measure=measure * 4),)
            for ln in set_lines:
                free = max(0.0, measure - ln.width)
                out.append(({"start": 0.0, "center": free / 2, "end": free}[align], ln))
        return SetBlock(lines=tuple(out), style=ts, size=size, leading=ts.leading * (size / ts.size))

    def balanced(self, text: str, role: str, measure: float, size: float, max_lines: int,
                 where: str = "") -> SetBlock | None:
        """Lines broken at word boundaries, as even as possible; None if `max_lines` lines
        at this size cannot hold the text."""
        self.spans(text, role, size, where)        # records characters no font has, once
        if self.width_em(text, role) * size <= measure + 1e-6:
            return self._lines_block([text], role, measure, size, where)
        if max_lines < 2:
            return None
        for n in range(2, max_lines + 1):
            lines = self.breaks(text, role, size, n, measure)
            if lines:
                return self._lines_block(lines, role, measure, size, where)
        return None

    def headline(self, text: str, role: str, measure: float, where: str = "",
                 max_size: float | None = None, lines: int | None = None) -> tuple[SetBlock, bool]:
        """A main line at the largest size (stepping down to the style's minimum) at which it
        fits its allowed lines, broken at word boundaries and balanced. Returns the block and
        whether it fits. `max_size` starts the steps lower (the make-up sets headlines apart);
        `lines` asks for that many lines where the headline would take fewer (a two-line
        headline to fill a module), at the same size."""
        ts = self.role(role)
        size = ts.size if max_size is None else min(ts.size, max_size)
        floor = min(ts.min_size or ts.size, size)
        while size >= floor - 1e-6:
            blk = self.balanced(text, role, measure, size, ts.max_lines, where)
            if blk is not None:
                if lines is not None and len(blk.lines) < lines <= ts.max_lines:
                    broken = self.breaks(text, role, size, lines, measure)
                    if broken:
                        return self._lines_block(broken, role, measure, size, where), True
                return blk, True
            size -= 1.0
        blk = self.balanced(text, role, measure, floor, 8, where) or self.block(text, role, measure,
                                                                                 size=floor, where=where)
        return blk, False

    def deck(self, text: str, role: str, measure: float, where: str = "") -> SetBlock:
        """Kickers and decks: balanced at word boundaries in as few lines as hold them."""
        ts = self.role(role)
        return (self.balanced(text, role, measure, ts.size, max(ts.max_lines, 4), where)
                or self.block(text, role, measure, where=where))
