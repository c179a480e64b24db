"""The pipeline, stage by stage: load -> fonts -> compose/place -> emit -> check."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .check.accounting import StoryBalance, check_accounting
from .check.preflight import PreflightResult, preflight, write_report
from .fonts.fontset import FontSet, build_fontset
from .load.issue import Issue, load_issue
from .load.source import InputError
from .load.style import Style, find_style, load_style
from .place.model import LaidOutIssue
from .place.page import place_issue

ROOT = Path(__file__).resolve().parent.parent
ISSUES_DIR = ROOT / "issues"
STYLES_DIR = ROOT / "styles"


@dataclass(frozen=True)
class Render:
    issue: Issue
    style: Style
    fonts: FontSet
    laid: LaidOutIssue
    balance: tuple[StoryBalance, ...]
    pdf: Path | None
    preflight: "PreflightResult | None" = None    # layout and print checks (check/preflight.py)


def find_issue(arg: str) -> Path:
    """An issue number (issues/N/issue.yaml or issues/N.yaml) or a path to an issue file."""
    p = Path(arg)
    if p.is_file():
        return p
    if p.is_dir() and (p / "issue.yaml").is_file():
        return p / "issue.yaml"
    if arg.isdigit():
        for cand in (ISSUES_DIR / arg / "issue.yaml", ISSUES_DIR / f"{arg}.yaml"):
            if cand.is_file():
                return cand
        known = sorted(x.name if x.is_dir() else x.stem for x in ISSUES_DIR.iterdir()
                       if x.is_dir() or x.suffix == ".yaml")
        raise InputError(f"issues/{arg}", None, None, "", f"no issue {arg} (known: {', '.join(known)})")
    raise InputError(arg, None, None, "", "issue file not found")


def _display(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def load(issue_arg: str, style_arg: str | None = None) -> tuple[Issue, Style]:
    ipath = find_issue(issue_arg)
    issue = load_issue(ipath, _display(ipath))
    spath = find_style(style_arg or issue.style, Path.cwd(), STYLES_DIR)
    style = load_style(spath, _display(spath))
    return issue, style


def render(issue_arg: str, out: Path | None = None, style_arg: str | None = None, write: bool = True,
           settings=None) -> Render:
    """Run every stage; the PDF goes to `out` (default out/<issue number>.pdf) when `write`,
    its preflight report beside it (<pdf stem>-preflight.json).  `settings` is an
    emit.pdf.PrintSettings (default: PDF/X-1a:2001 for newsprint, 240% ink)."""
    issue, style = load(issue_arg, style_arg)
    if write and out is None:
        out = ROOT / "out" / f"{issue.masthead.number}.pdf"
    fonts = build_fontset(style.fonts, style.fallback)
    laid = place_issue(issue, style, fonts)
    balance = tuple(check_accounting(issue, laid))
    pdf = None
    log = None
    if write:
        from .emit.pdf import EmitLog, write_pdf
        log = EmitLog()
        pdf = write_pdf(laid, issue, style, fonts, out, settings=settings, log=log)
    result = preflight(issue, style, fonts, laid, pdf=pdf, log=log, settings=settings)
    if pdf is not None:
        write_report(result, pdf.with_name(f"{pdf.stem}-preflight.json"))
    return Render(issue=issue, style=style, fonts=fonts, laid=laid, balance=balance, pdf=pdf, preflight=result)
