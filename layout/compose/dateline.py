"""A dateline's brackets in the style's one form (issue 14: one form on the page).

Copy arrives with ``本报讯（记者 …）`` or ``本报讯(记者 …)`` depending on who typed it;
on one page the datelines must look alike. The style's ``composition.dateline_brackets``
says which pair a dateline uses (``full``: （）, ``half``: ()); only the bracket pair that
opens the dateline's reporters and the one that closes them change, never the body copy,
and the change is told (a note, which the make-up turns into a finding).
"""
from __future__ import annotations

from .breaks import DATELINE

BRACKETS = {"full": ("（", "）"), "half": ("(", ")")}
_OPENERS = "（("
_CLOSERS = "）)"


def normalise_dateline(text: str, form: str) -> tuple[str, str | None]:
    """(the dateline in the style's brackets, a note saying what changed or None). Text that
    does not read as a dateline (no bracketed reporters at its start) is returned as it is."""
    found = DATELINE.match(text)
    if found is None:
        return text, None
    opener, closer = BRACKETS[form]
    span = found.group(0)
    at_open = next(k for k, ch in enumerate(span) if ch in _OPENERS)
    at_close = len(span) - 1          # the pattern ends on the closing bracket
    if span[at_open] == opener and span[at_close] == closer:
        return text, None
    fixed = span[:at_open] + opener + span[at_open + 1:at_close] + closer
    note = (f"dateline brackets '{span[at_open]}{span[at_close]}' set as '{opener}{closer}' "
            f"(the style's dateline_brackets: {form})")
    return fixed + text[found.end():], note
