"""The emitter's settings and its log: no reportlab here, the pipeline reads the settings
before it draws (and starts the font-subset worker before reportlab is imported)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import msgspec

from . import marks as M

DEFAULT_TAC = 240.0


class OutputIntent(msgspec.Struct, frozen=True):
    """A GTS_PDFX output intent: a registered characterization, and optionally its ICC profile."""
    identifier: str
    condition: str
    registry: str = "http://www.color.org"
    info: str = ""


#: ISO 12647-3 coldset offset on newsprint.  IFRA26 is the ICC Characterization Data
#: Registry's name for it; its reference profile is ISOnewspaper26v4.icc (WAN-IFRA/ECI).
#: For PDF/X-1a a registered identifier is enough: no DestOutputProfile is needed.
NEWSPRINT = OutputIntent(
    identifier="IFRA26",
    condition="Coldset offset lithography on newsprint (ISO 12647-3:2004)",
    info="ISO 12647-3:2004 newsprint, characterization data IFRA26, profile ISOnewspaper26v4; "
         "total area coverage at most 240%",
)


class PrintSettings(msgspec.Struct, frozen=True):
    standard: str = "x1a"                  # x1a | x4
    tac_limit: float = DEFAULT_TAC         # percent, every colour and every image pixel
    photos: str = "grey"                   # grey | cmyk
    output_intent: OutputIntent = NEWSPRINT
    output_profile: Path | None = None     # CMYK output ICC profile; embedded; required for x4
    marks: bool = True                     # crop and registration marks, slug line
    when: dt.datetime | None = None        # output time; None: output_time(issue)


class EmitLog(msgspec.Struct):
    """What the emitter did that the preflight reports on."""
    sheet: M.Sheet | None = None
    when: dt.datetime | None = None
    settings: PrintSettings | None = None
    images: list = msgspec.field(default_factory=list)      # images.ImageRecord, one per photo
    placeholders: list[tuple[int, str, tuple[float, float, float, float]]] = msgspec.field(default_factory=list)
    bled: list[tuple[int, str, tuple[float, float, float, float]]] = msgspec.field(default_factory=list)
    colors: dict[str, set] = msgspec.field(default_factory=dict)       # colour name -> {"text", "stroke", "fill"}
