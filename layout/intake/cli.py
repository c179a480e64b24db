"""`render.py import` and `render.py new`: the desk's two intake commands.

    python render.py new 1641 --from 1640             # issues/1641/issue.yaml from issue 1640
    python render.py import a.docx b.txt --into 1641 --page 1

Import reads every file first, recognises its parts, cleans it (unless --no-clean) and checks
the result with the issue loader before anything is written: a bad file is one located line,
exit 2, and neither the issue file nor its folder is touched. Then the photos are saved in
the issue's photos/ folder, the issue file is replaced in one step, and the cleanup diff is
printed and written beside it (import-<date>-<time>.diff).
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import os
import sys
from pathlib import Path

from ..atomic import write_atomic
from ..load.source import InputError
from .clean import RULES, Change, clean_text, replay
from .read import RawCopy, read_copy

ROOT = Path(__file__).resolve().parent.parent.parent
EXIT_OK, EXIT_INPUT = 0, 2
COMMANDS = ("import", "new")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="render.py", description="Copy intake for an issue.")
    sub = p.add_subparsers(dest="command", required=True)
    im = sub.add_parser(
        "import", help="add reporters' files (.docx, .txt, .md) to an issue as stories",
        description="Add each file as a story of the issue: kicker, headline, deck, dateline, body, subheads, "
                    "photo caption and credit (from Word's paragraph styles, else from the conventions of "
                    "Chinese news copy); photos in a .docx are saved in the issue's photos/ folder. The copy "
                    "is cleaned to GB/T 15834/15835 and every change printed and written beside the issue "
                    "(import-<time>.diff). Rules: " + "; ".join(f"{r.name} ({r.citation})" for r in RULES),
        epilog="Exit codes: 0 imported; 2 bad input (one line naming the file; nothing written).")
    im.add_argument("files", nargs="+", metavar="FILE", help=".docx, .txt or .md (UTF-8, UTF-16 or GB18030)")
    im.add_argument("--into", required=True, metavar="ISSUE",
                    help="the issue: a number (looked up in the issues folder), its folder or its issue.yaml")
    im.add_argument("--page", type=int, metavar="P",
                    help="place the stories on page P: each into the page's next frame reserved for copy "
                         "(keeping its area), else as a new module the engine places; without --page the "
                         "stories are kept in the issue as held (on file, on no page)")
    im.add_argument("--level", type=int, choices=(1, 2, 3),
                    help="headline level of the stories (default: the level the reserved frame names, else 2)")
    im.add_argument("--no-clean", action="store_true", help="keep the copy exactly as the files hold it")
    im.add_argument("--issues-dir", metavar="DIR", help="where issue numbers are looked up (default: issues/)")
    nw = sub.add_parser(
        "new", help="start issue N from issue M: masthead advanced, the page plan kept with every module reserved",
        description="Write <issues>/N/issue.yaml from issue M: masthead number N; the date the interval "
                    "between the last two issues on file later (else the next day; --date to set it); lunar "
                    "date and weekday computed; the page plan kept, every module a frame reserved for copy "
                    "(area and columns kept); no story and no teaser of the old issue copied.",
        epilog="Exit codes: 0 written; 2 bad input (nothing written).")
    nw.add_argument("number", type=int, metavar="N", help="the new issue's number")
    nw.add_argument("--from", dest="source", required=True, metavar="M",
                    help="the issue to start from: a number, its folder or its issue.yaml")
    nw.add_argument("--date", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                    help="publication date (default: see above)")
    nw.add_argument("--issues-dir", metavar="DIR", help="where issues are (default: issues/)")
    return p


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0)
    try:
        if args.command == "import":
            return run_import(args)
        return run_new(args)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_INPUT


# --------------------------------------------------------------------------- helpers

def _issues_dir(args) -> Path:
    return Path(args.issues_dir) if args.issues_dir else ROOT / "issues"


def find_issue_file(arg: str, issues_dir: Path) -> Path:
    p = Path(arg)
    if p.is_file():
        return p
    if p.is_dir():
        if (p / "issue.yaml").is_file():
            return p / "issue.yaml"
        raise InputError(str(p), None, None, "", "no issue.yaml in this folder")
    if arg.isdigit() and (issues_dir / arg / "issue.yaml").is_file():
        return issues_dir / arg / "issue.yaml"
    raise InputError(arg, None, None, "", f"no such issue (looked for {issues_dir / arg / 'issue.yaml'})")


def _display(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def _validate(path: Path, text: str, display: str):
    """Load `text` as the issue at `path` would be loaded: written to a temporary file beside
    it (photo paths resolve the same), refused with the loader's message. Returns the temp path."""
    from ..load.issue import load_issue
    tmp = path.with_name(f".{path.name}.import.tmp")
    tmp.write_text(text, encoding="utf-8")
    try:
        load_issue(tmp, display)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


# --------------------------------------------------------------------------- import

class _Story:
    """One file on its way into the issue."""

    def __init__(self, copy: RawCopy, draft, digest: str):
        self.copy, self.draft, self.digest = copy, draft, digest
        self.sid = ""
        self.texts: dict[str, str] = {}
        self.originals: dict[str, str] = {}
        self.changes: list[Change] = []
        self.photo_file: str | None = None
        self.saved: list[str] = []
        self.placed = ""


def _fields(draft) -> list[tuple[str, str]]:
    out = [(k, getattr(draft, k)) for k in ("kicker", "headline", "deck", "dateline") if getattr(draft, k)]
    out += [(f"body[{k}]", b.text) for k, b in enumerate(draft.body)]
    if draft.photo is not None:
        out.append(("photo.caption", draft.photo.caption))
        if draft.photo.credit:
            out.append(("photo.credit", draft.photo.credit))
    return out


def _read_all(files: list[str]) -> list[_Story]:
    from .parts import recognise
    out = []
    seen: dict[str, str] = {}
    for f in files:
        path = Path(f)
        copy = read_copy(path)
        try:
            draft = recognise(copy)
        except ValueError as e:
            raise InputError(str(path), None, None, "", str(e)) from None
        _check_lengths(path, draft)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest in seen:
            raise InputError(str(path), None, None, "", f"the same file as {seen[digest]}: imported once only")
        seen[digest] = str(path)
        out.append(_Story(copy, draft, digest))
    return out


def _check_lengths(path: Path, draft) -> None:
    """The issue file's limits, told against the reporter's file and its line."""
    from ..load.issue import MAX_COPY_BYTES, MAX_LINE_TEXT, MAX_PARAGRAPH
    size = sum(len(text.encode("utf-8")) for _, text in _fields(draft))
    if size > MAX_COPY_BYTES:
        raise InputError(str(path), None, None, "", f"{size / 1e6:.1f} MB of copy: an issue holds at most "
                         f"{MAX_COPY_BYTES / 1e6:.1f} MB (is this a whole archive?)")
    for name in ("kicker", "headline", "deck", "dateline"):
        text = getattr(draft, name)
        if text and len(text) > MAX_LINE_TEXT:
            raise InputError(str(path), None, None, name, f"{len(text)} characters: a {name} holds at most "
                             f"{MAX_LINE_TEXT} (is the file's first line a whole paragraph?)")
    for part in draft.body:
        limit = MAX_LINE_TEXT if part.kind == "subhead" else MAX_PARAGRAPH
        if len(part.text) > limit:
            raise InputError(str(path), part.line, None, "", f"a paragraph of {len(part.text)} characters: "
                             f"the limit is {limit} (are the line breaks missing?)")


def _check_photos(stories: list[_Story]) -> None:
    """Every photo a story links must be one Pillow can open (it is converted to PNG when it is
    not JPEG or PNG); a damaged one is bad input, before anything is written."""
    from PIL import Image
    for st in stories:
        for index in _photo_indices(st):
            photo = st.copy.photos[index]
            try:
                with Image.open(io.BytesIO(photo.data)) as im:
                    im.load()
            except Exception as e:       # Pillow raises many kinds for a damaged image
                raise InputError(str(st.copy.path), None, None, "",
                                 f"embedded photo {index + 1} ({photo.ext}) cannot be read: {type(e).__name__}: {e}; "
                                 "insert it again or send it as a file") from None


def _photo_indices(st: _Story) -> list[int]:
    linked = [st.draft.photo.photo] if st.draft.photo is not None and st.draft.photo.photo is not None else []
    return linked + list(st.draft.unlinked_photos)


def _photo_bytes(photo) -> tuple[bytes, str]:
    """JPEG and PNG as the file holds them; anything else converted to PNG."""
    from PIL import Image
    with Image.open(io.BytesIO(photo.data)) as im:
        if im.format == "JPEG":
            return photo.data, ".jpg"
        if im.format == "PNG":
            return photo.data, ".png"
        buf = io.BytesIO()
        im.convert("RGBA" if "A" in im.getbands() else "RGB").save(buf, "PNG")
        return buf.getvalue(), ".png"


def _plan_photos(st: _Story, issue_dir: Path, taken: set[str]) -> list[tuple[Path, bytes]]:
    writes = []
    for n, index in enumerate(_photo_indices(st)):
        data, ext = _photo_bytes(st.copy.photos[index])
        stem = st.sid if n == 0 else f"{st.sid}-{n + 1}"
        rel = f"photos/{stem}{ext}"
        k = 2
        while rel in taken or (issue_dir / rel).exists():
            rel = f"photos/{stem}-v{k}{ext}"
            k += 1
        taken.add(rel)
        writes.append((issue_dir / rel, data))
        if n == 0 and st.draft.photo is not None and st.draft.photo.photo == index:
            st.photo_file = rel
        else:
            st.saved.append(rel)
    return writes


def run_import(args) -> int:
    from ruamel.yaml.comments import CommentedSeq

    from .issuefile import (dump_rt, existing_ids, keep_trailing_blank, load_rt, page_map, place_story, story_id,
                            story_map)
    from ..load.issue import load_issue
    ipath = find_issue_file(args.into, _issues_dir(args))
    display = _display(ipath)
    load_issue(ipath, display)                       # the issue must be sound before we add to it
    original = ipath.read_text(encoding="utf-8")
    stories = _read_all(args.files)
    for st in stories:
        if f"sha256 {st.digest[:16]}" in original:
            raise InputError(str(st.copy.path), None, None, "",
                             f"already imported into {display} (sha256 {st.digest[:16]})")
    _check_photos(stories)
    y, data = load_rt(ipath)
    page = None
    if args.page is not None:
        page = page_map(data, args.page)
        if page is None:
            numbers = [n for p in data.get("pages") or [] for n in (p.get("spread") or [p.get("number")])]
            raise InputError(display, None, None, "pages",
                             f"--page {args.page}: the issue has pages {min(numbers)}..{max(numbers)}")
    if data.get("stories") is None:
        data["stories"] = CommentedSeq()
    data["stories"].fa.set_block_style()            # `stories: []` of a new issue grows as a block list
    taken = existing_ids(data)
    issue_dir = ipath.resolve().parent
    photo_names: set[str] = set()
    writes: list[tuple[Path, bytes]] = []
    now = dt.datetime.now().replace(microsecond=0)
    for st in stories:
        st.sid = story_id(st.copy.path.stem, taken)
        taken.add(st.sid)
        for field, text in _fields(st.draft):
            st.originals[field] = text
            st.texts[field] = text if args.no_clean else clean_text(text, field, st.changes)
        writes += _plan_photos(st, issue_dir, photo_names)
        level = args.level
        if page is not None:
            st.placed, frame_level = place_story(page, st.sid)
            level = level or frame_level
        m = story_map(st.sid, level or 2, st.draft, st.texts, st.photo_file, held=page is None)
        if len(data["stories"]):
            keep_trailing_blank(data["stories"][-1], m)
        data["stories"].append(m)
        data["stories"].yaml_set_comment_before_after_key(
            len(data["stories"]) - 1, indent=2,
            before=f"{st.copy.path.name} (sha256 {st.digest[:16]}), imported {now.isoformat(sep=' ')}"
                   f"{'' if not args.no_clean else ', not cleaned (--no-clean)'}")
    text = dump_rt(y, data)
    written: list[Path] = []
    made_photos_dir = not (issue_dir / "photos").exists()
    tmp = None
    try:
        for path, blob in writes:                    # the loader checks the photos the file links
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, blob)
            written.append(path)
        tmp = _validate(ipath, text, display)
        os.replace(tmp, ipath)
        tmp = None
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        if made_photos_dir and (issue_dir / "photos").is_dir() and not any((issue_dir / "photos").iterdir()):
            (issue_dir / "photos").rmdir()
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise
    diff = diff_lines(stories, display, now, args.no_clean)
    for line in _report(stories, page is not None):
        print(line)
    for line in diff:
        print(line)
    if not args.no_clean:
        dpath = ipath.parent / f"import-{now.strftime('%Y%m%d-%H%M%S')}.diff"
        k = 2
        while dpath.exists():
            dpath = ipath.parent / f"import-{now.strftime('%Y%m%d-%H%M%S')}-{k}.diff"
            k += 1
        write_atomic(dpath, ("\n".join(diff) + "\n").encode("utf-8"))
        print(f"wrote {_display(dpath)} ({sum(len(s.changes) for s in stories)} change(s))")
    print(f"wrote {display}")
    return EXIT_OK


def _report(stories: list[_Story], placed: bool) -> list[str]:
    out = []
    for st in stories:
        d = st.draft
        parts = [p for p in ("kicker", "deck", "dateline") if getattr(d, p)]
        subheads = sum(b.kind == "subhead" for b in d.body)
        desc = f"headline {st.texts['headline']!r}" + (f", {', '.join(parts)}" if parts else "") + \
            f", {len(d.body) - subheads} paragraph(s)" + (f", {subheads} subhead(s)" if subheads else "")
        if d.photo is not None:
            desc += f", photo {st.photo_file or '(not in the file)'} with caption" + \
                (" and credit" if d.photo.credit else "")
        where = f"page: {st.placed}" if placed else "held (on no page: import with --page P, or put it in a page's plan)"
        out.append(f"{st.copy.path.name} ({st.copy.encoding}) -> story '{st.sid}': {desc}; {where}")
        for rel in st.saved:
            out.append(f"    photo saved as {rel}, not linked (a story links one captioned photo)")
        for note in d.notes:
            out.append(f"    note: {note}")
    return out


def diff_lines(stories: list[_Story], display: str, now: dt.datetime, no_clean: bool) -> list[str]:
    """Every change cleanup made, story by story and field by field: the field before (-) and
    after (+), then each change with its rule, citation and place."""
    cites = {r.name: r.citation for r in RULES}
    out = [f"# render.py import into {display}, {now.isoformat(sep=' ')}"]
    if no_clean:
        out.append("# --no-clean: the copy is kept as the files hold it; no change made")
        return out
    total = sum(len(s.changes) for s in stories)
    out.append(f"# cleanup to GB/T 15834-2011 and GB/T 15835-2011: {total} change(s); nothing else changed")
    for st in stories:
        out.append(f"=== {st.copy.path.name} -> story {st.sid}: {len(st.changes)} change(s)")
        by_field: dict[str, list[Change]] = {}
        for c in st.changes:
            by_field.setdefault(c.field, []).append(c)
        for field, changes in by_field.items():
            before = st.originals[field]
            k = field[5:-1] if field.startswith("body[") else None
            out.append(f"--- {field}" + (f" (paragraph {int(k) + 1} of the file's body)" if k else ""))
            out.append(f"-{before}")
            out.append(f"+{st.texts[field]}")
            text = before
            for c in changes:
                ctx_a = text[max(0, c.offset - 4):c.offset]
                ctx_b = text[c.offset + len(c.before):c.offset + len(c.before) + 4]
                out.append(f"  {c.rule}: {ctx_a}[{c.before}]{ctx_b} -> {ctx_a}[{c.after}]{ctx_b}"
                           f"  ({cites[c.rule]})")
                text = replay(text, [c])
    return out


# --------------------------------------------------------------------------- new

def run_new(args) -> int:
    from .issuefile import dump_rt, load_rt, new_issue_map, next_date, page_label
    from ..load.issue import load_issue
    from ..place.calendar import lunar_line, weekday_name
    issues_dir = _issues_dir(args)
    spath = find_issue_file(args.source, issues_dir)
    old = load_issue(spath, _display(spath))
    target = issues_dir / str(args.number) / "issue.yaml"
    if args.number <= old.masthead.number:
        raise InputError(str(target), None, None, "", f"issue {args.number} is not after issue "
                         f"{old.masthead.number}: the new issue's number comes after the last one")
    if target.exists():
        raise InputError(_display(target), None, None, "", "already exists: not overwritten")
    if args.date is not None:
        date, how = args.date, "as given (--date)"
    else:
        before = _issue_before(issues_dir, old.masthead.number)
        date, how = next_date(old.masthead.date, before, args.number - old.masthead.number)
    _, data = load_rt(spath)
    y, _ = load_rt(spath)
    new = new_issue_map(data, args.number, date, lunar_line(date), weekday_name(date), old.masthead.number)
    style = old.style
    if os.path.isabs(style):                         # a style path relative to the old issue: keep it valid
        new["style"] = os.path.relpath(style, target.parent.resolve())
    head = (f"{old.masthead.title} issue {args.number}, {date.isoformat()} ({weekday_name(date)}).\n"
            f"Made by `render.py new {args.number} --from {old.masthead.number}`: masthead from issue "
            f"{old.masthead.number}, date {how};\n"
            "lunar date and weekday computed. Copy not on file: every module of the plan is reserved;\n"
            f"`render.py import FILE --into {args.number} --page P` fills the page's frames in order.")
    new.yaml_set_start_comment(head)
    text = dump_rt(y, new)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        tmp = _validate(target, text, _display(target))
        os.replace(tmp, target)
    except BaseException:
        try:
            target.parent.rmdir()                    # only if we made it and it is still empty
        except OSError:
            pass
        raise
    print(f"issue {args.number}: {date.isoformat()} {weekday_name(date)} {lunar_line(date)} (date {how})")
    for p in new["pages"]:
        ads = sum(1 for m in p["modules"] if "ad" in m)      # ad bookings carry over as they are
        line = (f"    page{'s' if 'spread' in p else ''} {page_label(p)} ({p.get('name', '')}): "
                f"{len(p['modules']) - ads} frame(s) reserved for copy")
        print(line + (f", {ads} ad(s) kept as booked" if ads else ""))
    print(f"wrote {_display(target)}")
    return EXIT_OK


def _issue_before(issues_dir: Path, number: int) -> dt.date | None:
    """The date of the issue numbered just before `number`, when it is on file and readable."""
    from ..load.issue import load_issue
    cand = issues_dir / str(number - 1) / "issue.yaml"
    if not cand.is_file():
        return None
    try:
        return load_issue(cand).masthead.date
    except InputError:
        return None
