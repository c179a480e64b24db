"""The seed copy of issue 1640's front page, and how the issue file repairs it."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "issues" / "1640" / "source" / "000_c0214c87c37c3824.txt"

# The one block the extraction put inside the lead story: it is the photo's caption.
CAPTION_BLOCK = "获奖者上台领奖（卢颖摄）"


def seed_blocks() -> list[str]:
    text = SEED.read_text(encoding="utf-8")
    return [b.strip().lstrip("#").strip() for b in text.split("\n\n") if b.strip()]


def squash(s: str) -> str:
    """Text without white space, as compared after reading a PDF back."""
    return re.sub(r"\s+", "", s)


def sentences(text: str) -> list[str]:
    """Sentences ending in 。！？ (with closing quotes), for read-back checks."""
    parts = re.findall(r"[^。！？]+[。！？][”’」』]*", text)
    tail = re.sub(r"^.*[。！？][”’」』]*", "", text, flags=re.S)
    return [p for p in parts + ([tail] if tail.strip() else []) if p.strip()]
