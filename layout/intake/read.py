"""Reading a reporter's file into paragraphs: .docx (python-docx), .txt and .md.

A .docx gives each paragraph with the name of its Word style (Title, Subtitle, Heading 1 …,
Caption, or a house style such as 引题/副题) and the photos embedded in it, each placed at its
paragraph. A .txt or .md is UTF-8, UTF-16 (with its byte-order mark) or GB18030, told apart
by charset-normalizer when it is not plain UTF-8; each non-empty line is a paragraph (an .md's
`#` heading marks become styles), except in text an old system wrapped at a fixed width: there
a line filled to that width runs on into the next unless the next is blank or indented. A .docx
is read in document order, table cells included, with tracked changes accepted (inserted text
in, deleted text out). The indentation reporters type (　　) is not copy: the style
sheet sets the indent, so leading and trailing spaces of a paragraph are dropped here.

Anything that is not what its name says (a .docx that is not a Word file, an encrypted or
damaged one, an empty file, text in no encoding we can tell) is an InputError naming the file.
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

import msgspec

from ..load.source import InputError

MAX_FILE_BYTES = 20 * 1024 * 1024        # a story file larger than this is not copy
MAX_PHOTO_BYTES = 60 * 1024 * 1024       # all photos of one .docx, uncompressed
SUFFIXES = (".docx", ".txt", ".md")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # an encrypted .docx (or an old .doc) is an OLE file
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Para(msgspec.Struct, frozen=True):
    text: str
    style: str = ""          # the Word style name ("Heading 1"), or "" for plain text
    line: int = 0            # 1-based paragraph (docx) or line (txt) number, for messages
    photos: tuple[int, ...] = ()   # indices into RawCopy.photos embedded in this paragraph


class Photo(msgspec.Struct, frozen=True):
    data: bytes
    ext: str                 # .jpg, .png, ... as the file holds it


class RawCopy(msgspec.Struct, frozen=True):
    path: Path
    paras: tuple[Para, ...]
    photos: tuple[Photo, ...]
    encoding: str            # docx, utf-8, utf-16, gb18030


def _error(path: Path, message: str, line: int | None = None) -> InputError:
    return InputError(str(path), line, None, "", message)


def read_copy(path: Path) -> RawCopy:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise _error(path, f"cannot import a '{suffix or 'nameless'}' file: use .docx, .txt or .md")
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise _error(path, "is not a file")
        if size > MAX_FILE_BYTES:
            raise _error(path, f"is {size / 1e6:.0f} MB: far larger than any story (limit {MAX_FILE_BYTES // 10**6} MB)")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _error(path, "no such file") from None
    except OSError as e:
        raise _error(path, f"cannot read ({e.strerror})") from None
    if not raw.strip():
        raise _error(path, "is empty: no copy to import")
    copy = _read_docx(path, raw) if suffix == ".docx" else _read_text(path, raw, suffix == ".md")
    if not any(p.text for p in copy.paras):
        raise _error(path, "holds no text: no copy to import")
    return copy


# --------------------------------------------------------------------------- text

def decode_text(path: Path, raw: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM), UTF-16 with a BOM, else GB18030 when
    charset-normalizer finds it a plausible reading; anything else is refused."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return _strict(path, raw[3:], "utf-8"), "utf-8"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(path, raw, "utf-16"), "utf-16"
    if _OLE_MAGIC == raw[:8] or raw[:4] == b"PK\x03\x04" or raw[:5] == b"%PDF-" or b"\x00" in raw[:4096] \
            and not _looks_utf16(raw):
        raise _error(path, "is not a text file (it looks like a binary document); save it as .txt or .docx")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_utf16(raw):
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                return raw.decode(enc), "utf-16"
            except UnicodeDecodeError:
                continue
    from charset_normalizer import from_bytes
    best = from_bytes(raw, cp_isolation=["gb18030"]).best()
    if best is None:
        raise _error(path, "the text is in no encoding we can tell (expected UTF-8, UTF-16 or GB18030); "
                           "save it as UTF-8")
    enc = "gb18030" if best.encoding in ("gb18030", "gb2312", "gbk") else best.encoding
    return _strict(path, raw, enc), enc.replace("_", "-")


def _looks_utf16(raw: bytes) -> bool:
    """Chinese UTF-16 without a BOM: every other byte of ASCII is NUL."""
    head = raw[:4096]
    return len(head) >= 4 and (head[1::2].count(0) > len(head) // 8 or head[0::2].count(0) > len(head) // 8)


def _strict(path: Path, raw: bytes, enc: str) -> str:
    try:
        return raw.decode(enc)
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise _error(path, f"not valid {enc} at byte {e.start}: save the file as UTF-8", line) from None


_MD_HEADING = re.compile(r"^(#{1,6})\s+")


def display_width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _wrap_width(lines: list[str]) -> int | None:
    """The width an old system wrapped the text at, when it did: at least three lines and a
    quarter of the long ones fill the same display width (±1); else None."""
    widths = [display_width(ln.rstrip()) for ln in lines if display_width(ln.strip()) >= 20]
    if len(widths) < 3:
        return None
    top = Counter(widths).most_common(1)[0][0]
    full = sum(top - 1 <= w <= top + 1 for w in widths)
    wrapped = full >= 3 and ((full * 4 >= len(widths) and top == max(widths)) or full * 2 >= len(widths))
    return top if wrapped else None


def _unwrap(lines: list[str]) -> list[tuple[int, str]]:
    """(first line number, text) of each paragraph: a line filled to the wrap width runs on
    into the next, unless the next is blank or indented (a new paragraph)."""
    width = _wrap_width(lines)
    out: list[tuple[int, str]] = []
    joining = False
    for n, line in enumerate(lines, 1):
        indented = line[:1] in (" ", "\t", "\u3000")
        if joining and line.strip() and not indented:
            start, text = out[-1]
            out[-1] = (start, text + line.strip(" \t\u3000\u00a0"))
        else:
            out.append((n, line))
        joining = width is not None and display_width(line.rstrip()) >= width - 1
    return out


def _read_text(path: Path, raw: bytes, markdown: bool) -> RawCopy:
    text, enc = decode_text(path, raw)
    paras = []
    for n, line in _unwrap(text.splitlines()):
        bad = _CONTROL.search(line)
        if bad:
            raise _error(path, f"control character U+{ord(bad.group()):04X} in the text: not a text file", n)
        style = ""
        if markdown:
            m = _MD_HEADING.match(line)
            if m:
                style = "Title" if len(m.group(1)) == 1 else f"Heading {len(m.group(1))}"
                line = line[m.end():]
            line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)     # bold marks are not copy
        line = line.strip(" \t\u3000\u00a0\ufeff")
        if line:
            paras.append(Para(line, style, n))
    return RawCopy(path, tuple(paras), (), enc)


# --------------------------------------------------------------------------- docx

_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
_EXT = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/bmp": ".bmp",
        "image/tiff": ".tif", "image/x-emf": ".emf", "image/x-wmf": ".wmf", "image/webp": ".webp"}


def _read_docx(path: Path, raw: bytes) -> RawCopy:
    if raw[:8] == _OLE_MAGIC:
        raise _error(path, "is encrypted (password-protected) or an old .doc: save it in Word as an "
                           "unprotected .docx")
    if raw[:4] != b"PK\x03\x04":
        raise _error(path, "is not a Word .docx file (not a zip package)"
                     + ("; it looks like plain text: name it .txt" if _probably_text(raw) else ""))
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            names = set(z.namelist())
            if "word/document.xml" not in names:
                raise _error(path, "is a zip file but not a Word document (no word/document.xml)")
            bad = z.testzip()
            if bad is not None:
                raise _error(path, f"is damaged: the part {bad} does not match its checksum")
    except zipfile.BadZipFile as e:
        raise _error(path, f"is damaged: not a readable zip package ({e})") from None
    import docx
    try:
        doc = docx.Document(io.BytesIO(raw))
    except InputError:
        raise
    except Exception as e:       # lxml, KeyError for a missing part, ...: a damaged package
        raise _error(path, f"is damaged: Word document cannot be read ({type(e).__name__}: {e})") from None
    paras: list[Para] = []
    photos: list[Photo] = []
    total = 0
    styles = {st.style_id: st.name for st in doc.styles if getattr(st, "style_id", None)}
    for n, (p, in_table) in enumerate(_paragraphs(doc.element.body), 1):
        embedded = []
        for blip in p.iter(_BLIP):
            rid = blip.get(_EMBED)
            part = doc.part.related_parts.get(rid) if rid else None
            if part is None or not getattr(part, "content_type", "").startswith("image/"):
                continue
            blob = part.blob
            total += len(blob)
            if total > MAX_PHOTO_BYTES:
                raise _error(path, f"its photos pass {MAX_PHOTO_BYTES // 10**6} MB: send them as files", n)
            embedded.append(len(photos))
            photos.append(Photo(blob, _EXT.get(part.content_type, ".bin")))
        text = _CONTROL.sub("", _para_text(p)).strip(" \t\u3000\u00a0\ufeff")   # Word's own marks: not copy
        style_id = p.find(f"{_W}pPr/{_W}pStyle")
        style = styles.get(style_id.get(f"{_W}val"), "") if style_id is not None else "Normal"
        if text or embedded:
            paras.append(Para(text, "" if in_table else style, n, tuple(embedded)))
    return RawCopy(path, tuple(paras), tuple(photos), "docx")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SKIP = {f"{_W}del", f"{_W}moveFrom", f"{_W}txbxContent", f"{_W}instrText", f"{_W}delText"}


def _paragraphs(body):
    """(w:p, in a table) in document order: the body's paragraphs and every table cell's."""
    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            yield child, False
        elif child.tag == f"{_W}tbl":
            for p in child.iter(f"{_W}p"):
                yield p, True
        elif child.tag == f"{_W}sdt":                   # a content control around paragraphs
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _paragraphs(content)


def _para_text(p) -> str:
    """The paragraph's text with tracked changes accepted: runs inside insertions, hyperlinks,
    fields and content controls included; deleted text and text boxes left out."""
    out = []

    def walk(el):
        for child in el.iterchildren():
            tag = child.tag
            if tag in _SKIP:
                continue
            if tag == f"{_W}t":
                out.append(child.text or "")
            elif tag in (f"{_W}p",):                       # a paragraph nested in a drawing: not ours
                continue
            else:
                walk(child)
    walk(p)
    return "".join(out)


def _probably_text(raw: bytes) -> bool:
    try:
        raw[:4096].decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False
