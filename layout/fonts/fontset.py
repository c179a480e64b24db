"""Font roles of a style resolved to faces, with per-character fallback.

Composition works on spans whose `font` is a face key; this module turns text in
a role into such spans, trying the role's fallback chain for characters the
role's own face lacks, and records characters no face can set.
"""
from __future__ import annotations

import struct
from pathlib import Path
from typing import Mapping

import msgspec

from ..compose.model import Span
from .face import Face, FontFileError, load_face

# Characters that are layout, not ink: never looked up in a font.
_INVISIBLE = {" ", "\u3000", "\u00a0"}

# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): soft hyphen, zero-width
# space and joiners, bidi controls, variation selectors, Hangul fillers, tags ... They take no
# room and are never drawn (a soft hyphen in the copy must not print as a hyphen), and a face
# without them is not missing anything.
_IGNORABLE_RANGES = ((0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
                     (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
                     (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
                     (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
                     (0xE0000, 0xE0FFF))
IGNORABLE = frozenset(chr(cp) for lo, hi in _IGNORABLE_RANGES for cp in range(lo, hi + 1))


def is_ignorable(ch: str) -> bool:
    """Whether `ch` is a default-ignorable character: set with no width and never drawn."""
    return ch in IGNORABLE


_NO_FACE_NEEDED = _INVISIBLE | IGNORABLE


class MissingChar(msgspec.Struct, frozen=True):
    ch: str
    role: str
    where: str          # e.g. "story lead, paragraph 3, character 17"


class FontSet(msgspec.Struct):
    faces: dict[str, Face]                  # face key -> Face
    roles: dict[str, str]                   # role -> face key
    chains: dict[str, tuple[str, ...]]      # role -> face keys to try, own face first
    missing: list[MissingChar] = msgspec.field(default_factory=list)
    _seen: set[MissingChar] = msgspec.field(default_factory=set)

    def __repr__(self) -> str:   # without _seen (the dataclass had field(repr=False) on it)
        return "FontSet(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__struct_fields__
                                      if k != "_seen") + ")"

    # Metrics protocol for composition
    def advance(self, font: str, ch: str) -> float:
        if ch in IGNORABLE:
            return 0.0
        face = self.faces[font]
        g = face.cmap.glyph(ord(ch))
        if g is not None:
            return face.advances[g] / face.units_per_em       # (Face.advance, inlined)
        if ch in _INVISIBLE:
            return 0.25 if ch == " " else 1.0
        return 1.0      # missing glyph: keep an em of space so the line still measures

    def face_for(self, role: str, ch: str) -> str | None:
        for key in self.chains[role]:
            if ord(ch) in self.faces[key].cmap:
                return key
        return None

    def spans(self, text: str, role: str, size: float, where: str = "", record: bool = True) -> list[Span]:
        """Split text in `role` into spans by the face that can set each character. Characters
        no face in the chain has are recorded once per place (`record=False` for measuring)."""
        chain = self.chains[role]
        primary = chain[0]
        pcmap = self.faces[primary].cmap
        # the commonest case, the role's own face has every character: one span (what the
        # loop below makes of it), found by looking each distinct character up once
        glyph = pcmap.glyph
        if all(glyph(ord(ch)) is not None for ch in set(text).difference(_NO_FACE_NEEDED)):
            return [Span(text, primary, size)] if text else []
        out: list[Span] = []
        cur_key = None
        start = 0
        for i, ch in enumerate(text):
            if ch in _NO_FACE_NEEDED or ord(ch) in pcmap:
                key = primary if ch not in _NO_FACE_NEEDED else (cur_key or primary)
            else:
                key = self.face_for(role, ch)
                if key is None:
                    if record:
                        mc = MissingChar(ch, role, f"{where}, character {i + 1}".lstrip(", "))
                        if mc not in self._seen:
                            self._seen.add(mc)
                            self.missing.append(mc)
                    key = primary
            if key != cur_key:
                if cur_key is not None and i > start:
                    out.append(Span(text[start:i], cur_key, size))
                cur_key, start = key, i
        if cur_key is not None and start < len(text):
            out.append(Span(text[start:], cur_key, size))
        return out


def build_fontset(fonts: Mapping[str, Path], fallback: Mapping[str, tuple[str, ...]]) -> FontSet:
    faces: dict[str, Face] = {}
    roles: dict[str, str] = {}
    by_path: dict[Path, str] = {}
    for role, path in fonts.items():
        if path not in by_path:
            try:
                face = load_face(path)
            except FontFileError as e:
                e.role = role
                raise
            except (OSError, RuntimeError, ValueError, KeyError, IndexError, struct.error) as e:
                err = FontFileError(path, f"cannot read the font: {type(e).__name__}: {e}")
                err.role = role
                raise err from None
            faces[face.key] = face
            by_path[path] = face.key
        roles[role] = by_path[path]
    chains = {}
    for role in fonts:
        keys = [roles[role]] + [roles[r] for r in fallback.get(role, ())]
        seen: list[str] = []
        for k in keys:
            if k not in seen:
                seen.append(k)
        chains[role] = tuple(seen)
    return FontSet(faces=faces, roles=roles, chains=chains)
