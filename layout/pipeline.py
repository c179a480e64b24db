"""The pipeline, stage by stage: load -> fonts -> compose/place -> emit -> check."""
from __future__ import annotations

import os
from pathlib import Path

import msgspec

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


class Render(msgspec.Struct, frozen=True):
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
           settings=None, strict: bool = False, programs=None) -> Render:
    """Run every stage; the PDF goes to `out` (default out/<issue number>.pdf) when `write`,
    its preflight report beside it (<pdf stem>-preflight.json).  `settings` is an
    emit.pdf.PrintSettings (default: PDF/X-1a:2001 for newsprint, 240% ink).

    With `strict`, nothing replaces the previous PDF unless the preflight finds no error:
    layout errors stop before the PDF is written; errors the PDF checks find leave the new
    file unrenamed (Render.pdf is None and Render.preflight holds the errors).

    `programs` (emit.subsets.SubsetJob): a font-subset worker the caller started early;
    by default one starts here, to make the subsets while the PDF is drawn."""
    from .emit import subsets
    if programs is None:
        programs = subsets.start() if write else subsets.SubsetJob()
    with programs:
        return _render(issue_arg, out, style_arg, write, settings, strict, programs)


def _render(issue_arg, out, style_arg, write, settings, strict, programs) -> Render:
    issue, style = load(issue_arg, style_arg)
    fonts = _fonts(style)
    laid = place_issue(issue, style, fonts)
    return finish(issue, style, fonts, laid, out, write, settings, strict, programs)


def finish(issue: Issue, style: Style, fonts: FontSet, laid: LaidOutIssue, out: Path | None = None,
           write: bool = True, settings=None, strict: bool = False, programs=None) -> Render:
    """The stages after make-up (emit and check) for pages already laid out: what `render`
    does once `laid` is made.  A caller that keeps fonts and composition between renders
    (the proof server, check/serve.py) lays the pages out itself and finishes here.
    `programs`: as for `render`; by default the subsets are made in this process."""
    if programs is None:
        from .emit import subsets
        programs = subsets.SubsetJob()
    if write and out is None:
        out = ROOT / "out" / f"{issue.masthead.number}.pdf"
    if settings is None:
        settings = print_settings(style)
    balance = tuple(check_accounting(issue, laid))
    pdf = None
    log = None
    if strict:
        early = preflight(issue, style, fonts, laid, pdf=None, log=None, settings=settings)
        if early.errors:
            write = False
            result = early
    if write:
        from .emit import textplan
        programs.send(textplan.glyph_plan(laid, issue, style, fonts, settings), fonts.faces)
        from .emit.pdf import write_pdf
        from .emit.settings import EmitLog
        log = EmitLog()
        target = out if not strict else out.with_name(f".{out.name}.strict")
        pdf = write_pdf(laid, issue, style, fonts, target, settings=settings, log=log, programs=programs)
        programs.close()
        result = preflight(issue, style, fonts, laid, pdf=pdf, log=log, settings=settings)
        if strict:
            if result.errors:
                pdf.unlink(missing_ok=True)
                pdf = None
            else:
                os.replace(pdf, out)
                pdf = out
        if pdf is not None:
            write_report(result, pdf.with_name(f"{pdf.stem}-preflight.json"))
    elif not strict:
        result = preflight(issue, style, fonts, laid, pdf=None, log=None, settings=settings)
    return Render(issue=issue, style=style, fonts=fonts, laid=laid, balance=balance, pdf=pdf, preflight=result)


def print_settings(style: Style):
    """The emit stage's settings from the style's print section."""
    from .emit.settings import PrintSettings
    p = style.print
    return PrintSettings(standard=p.standard, tac_limit=p.ink_limit, photos=p.photos,
                         output_profile=p.output_profile, marks=p.marks)


def fonts_for(style: Style) -> FontSet:
    """The style's faces as a FontSet (bad font files are bad input, named by their role)."""
    return _fonts(style)


def _fonts(style: Style) -> FontSet:
    """The style's faces; a font file that cannot be read is bad input, named by its role."""
    try:
        return build_fontset(style.fonts, style.fallback)
    except Exception as e:       # fontTools/HarfBuzz raise many kinds for a damaged file
        role = next((r for r, p in style.fonts.items() if str(p) in str(e)), None)
        roles = [role] if role else list(style.fonts)
        raise InputError(str(style.path), None, None, f"fonts.{roles[0]}" if len(roles) == 1 else "fonts",
                         f"cannot read font file: {type(e).__name__}: {e}") from None
