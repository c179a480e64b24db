"""The pipeline, stage by stage: load -> fonts -> compose/place -> emit -> check."""
from __future__ import annotations

import os
from pathlib import Path

import msgspec

from .check.accounting import StoryBalance, check_accounting
from .atomic import replace_together, staging_path, write_staged
from .compose.caches import save_compositions
from .check.preflight import PreflightResult, for_press, preflight, report_json, static_findings
from .fonts.face import FontFileError
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

    With `strict` (a file for the press), placeholders (a missing photo or QR payload, a frame
    awaiting copy) are errors too, and nothing replaces the previous PDF unless the preflight
    finds no error:
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
    save_compositions(fonts)    # the paragraphs' breaks and lines, for the next render (compose/kept.py)
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
    if write:
        check_outputs(out, issue, style)
    if settings is None:
        settings = print_settings(style)
    if write and not strict:
        # the worker subsets from here on; this process meanwhile makes what needs no font
        # program (the accounting, the static checks, the pages) (measured: the worker was
        # what the front page of 1640 waited for)
        _send_plan(programs, laid, issue, style, fonts, settings)
    balance = tuple(check_accounting(issue, laid, style.composition.dateline_brackets))
    pdf = None
    log = None
    static = static_findings(issue, style, fonts, laid)
    if strict:          # a file for the press: placeholders are errors too
        early = for_press(preflight(issue, style, fonts, laid, pdf=None, log=None, settings=settings, static=static))
        if early.errors:
            write = False
            result = early
        elif write:
            _send_plan(programs, laid, issue, style, fonts, settings)
    if write:
        from .emit.pdf import write_pdf
        from .emit.settings import EmitLog
        log = EmitLog()
        # the PDF and its report are staged under names unique to this run, checked, and
        # renamed into place together (atomic.py): a failed, refused or killed run leaves
        # the old pair as it was, and its staging files are removed by the next run
        report = report_path(out)
        staged = staging_path(out)
        try:
            write_pdf(laid, issue, style, fonts, staged, settings=settings, log=log, programs=programs)
            programs.close()
            result = preflight(issue, style, fonts, laid, pdf=staged, log=log, settings=settings, static=static)
            if strict:
                result = for_press(result)
            result = msgspec.structs.replace(result, pdf=out)
            if not (strict and result.errors):
                replace_together([(write_staged(report, report_json(result)), report), (staged, out)])
                pdf = out
        finally:
            staged.unlink(missing_ok=True)
    elif not strict:
        result = preflight(issue, style, fonts, laid, pdf=None, log=None, settings=settings, static=static)
    return Render(issue=issue, style=style, fonts=fonts, laid=laid, balance=balance, pdf=pdf, preflight=result)


def _send_plan(programs, laid, issue, style, fonts, settings) -> None:
    """The glyphs the PDF will draw, to the font-subset worker (emit/subsets.py)."""
    from .emit import textplan
    programs.send(textplan.glyph_plan(laid, issue, style, fonts, settings), fonts.faces)


def report_path(pdf: Path) -> Path:
    """The preflight report beside a PDF: <pdf stem>-preflight.json."""
    return pdf.with_name(f"{pdf.stem}-preflight.json")


def _inputs(issue: Issue, style: Style) -> dict[str, Path]:
    """Every file a render reads, by what it is (for the messages)."""
    found = {"the issue file": issue.path, "its style sheet": style.path}
    found |= {f"the font file of role '{role}'": p for role, p in style.fonts.items()}
    if style.logo is not None:
        found["the style's logo"] = style.logo
    if style.print.output_profile is not None:
        found["the output profile"] = style.print.output_profile
    for sid, story in issue.stories.items():
        if story.photo is not None and story.photo.file is not None:
            found[f"the photo of story '{sid}'"] = story.photo.file
    return found


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(os.path.abspath(a)) == Path(os.path.abspath(b))


def _shown(p: Path) -> str:
    """An output path as given (links not followed), relative to the working folder if inside."""
    try:
        return str(Path(os.path.abspath(p)).relative_to(Path.cwd()))
    except ValueError:
        return str(p)


def check_outputs(out: Path, issue: Issue, style: Style) -> None:
    """Refuse, before any work, a PDF (or report) path that would overwrite one of the
    render's own inputs, that is no regular file (a FIFO, a device), or whose name is
    longer than the file system allows."""
    from .atomic import not_a_regular_file
    inputs = _inputs(issue, style)
    for path, what in ((out, "the PDF"), (report_path(out), "its preflight report")):
        for name, src in inputs.items():
            if _same_file(path, src):
                raise InputError(_shown(path), None, None, "-o",
                                 f"is {name}: {what} would overwrite it; name another file")
        kind = not_a_regular_file(path)
        if kind:
            raise InputError(_shown(path), None, None, "-o",
                             f"is {kind}: {what} is written as a new regular file; name a file")
        try:
            limit = os.pathconf(next(p for p in path.parents if p.exists()), "PC_NAME_MAX")
        except (OSError, ValueError, StopIteration):
            limit = 255
        if len(os.fsencode(path.name)) > limit:
            raise InputError(_shown(path)[:80] + "…", None, None, "-o",
                             f"the file name of {what} is {len(os.fsencode(path.name))} bytes; "
                             f"the limit here is {limit}")


def print_settings(style: Style):
    """The emit stage's settings from the style's print section."""
    from .emit.settings import PrintSettings
    p = style.print
    return PrintSettings(standard=p.standard, tac_limit=p.ink_limit, photos=p.photos,
                         output_profile=p.output_profile, marks=p.marks)


def _font_error(style: Style, e: FontFileError) -> InputError:
    """A damaged font file as bad input: the style line of its role, and the file."""
    role = e.role or next((r for r, p in style.fonts.items() if _same_file(Path(p), e.path)), None)
    line, col = style.font_where.get(role, (None, None)) if role else (None, None)
    return InputError(_display(style.path), line, col, f"fonts.{role}" if role else "fonts",
                      f"cannot read font file {_display(e.path)}: {e.message}")


def fonts_for(style: Style) -> FontSet:
    """The style's faces as a FontSet (bad font files are bad input, named by their role)."""
    return _fonts(style)


def _fonts(style: Style) -> FontSet:
    """The style's faces; a font file that cannot be read (or is damaged) is bad input,
    named by its role, its file and the style line that names it."""
    try:
        return build_fontset(style.fonts, style.fallback)
    except FontFileError as e:
        raise _font_error(style, e) from None
    except Exception as e:       # fontTools/HarfBuzz raise many kinds for a damaged file
        role = next((r for r, p in style.fonts.items() if str(p) in str(e)), None)
        roles = [role] if role else list(style.fonts)
        raise InputError(str(style.path), None, None, f"fonts.{roles[0]}" if len(roles) == 1 else "fonts",
                         f"cannot read font file: {type(e).__name__}: {e}") from None
