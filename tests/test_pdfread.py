"""The preflight's small PDF reader (layout/check/pdfread.py), checked against pypdf: every object
of the file and every page's content stream read the same, on issue 1640 and on generated PDFs;
the tokenizer's tricky cases; and the PDFs it refuses (PDF 1.5 cross-reference and object
streams) reported by the preflight instead of misread."""
from __future__ import annotations

import re
import subprocess
import sys
import zlib
from pathlib import Path

import pypdf
import pytest
from hypothesis import given, settings, strategies as st
from PIL import Image
from pypdf.generic import (ArrayObject, BooleanObject, ByteStringObject, ContentStream, DictionaryObject,
                           FloatObject, IndirectObject, NameObject, NullObject, NumberObject, StreamObject,
                           TextStringObject)

from layout.check.pdfread import (Name, PdfFile, PdfReadError, Ref, Stream, content_ops, parse_object,
                                  text)

ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- normal forms

def norm_ours(o):
    """Our value in a form comparable with pypdf's (streams decoded)."""
    if isinstance(o, Stream):
        try:
            data = o.data
        except PdfReadError:          # a filter we do not decode (DCT): pypdf hands it back raw
            data = o.raw
        # pypdf drops /Length from a stream's dictionary once read; ours checked it against endstream
        return ("stream", {str(k): norm_ours(v) for k, v in o.items() if k != "/Length"}, data)
    if isinstance(o, dict):
        return {str(k): norm_ours(v) for k, v in o.items()}
    if isinstance(o, list):
        return [norm_ours(v) for v in o]
    if isinstance(o, Ref):
        return ("ref", o.num, o.gen)
    if isinstance(o, Name):
        return ("name", str(o))
    if isinstance(o, bytes):
        return ("string", o)
    if isinstance(o, bool) or o is None:
        return o
    if isinstance(o, int):
        return ("int", o)
    if isinstance(o, float):
        return ("real", o)
    raise TypeError(type(o))


def norm_pypdf(o):
    if isinstance(o, StreamObject):
        return ("stream", {str(k): norm_pypdf(v) for k, v in o.items()}, o.get_data())
    if isinstance(o, DictionaryObject):
        return {str(k): norm_pypdf(v) for k, v in o.items()}
    if isinstance(o, ArrayObject):
        return [norm_pypdf(v) for v in o]
    if isinstance(o, IndirectObject):
        return ("ref", o.idnum, o.generation)
    if isinstance(o, NameObject):
        return ("name", str(o))
    if isinstance(o, TextStringObject):
        return ("string", o.original_bytes)
    if isinstance(o, ByteStringObject):
        return ("string", bytes(o))
    if isinstance(o, BooleanObject):
        return o.value
    if isinstance(o, NullObject) or o is None:
        return None
    if isinstance(o, NumberObject):
        return ("int", int(o))
    if isinstance(o, FloatObject):
        return ("real", float(o))
    if isinstance(o, bytes):
        return ("string", bytes(o))
    raise TypeError(type(o))


def ops_ours(data: bytes) -> list:
    out = []
    for operands, op in content_ops(data):
        if op == b"BI":
            settings, img = operands
            out.append(("inline image", norm_ours(settings), img))
        else:
            out.append((norm_ours(operands), op))
    return out


def ops_pypdf(reader: pypdf.PdfReader, page) -> list:
    out = []
    for operands, op in ContentStream(page.get_contents(), reader).operations:
        if op == b"INLINE IMAGE":
            out.append(("inline image", norm_pypdf(operands["settings"]), operands["data"]))
        else:
            out.append((norm_pypdf(ArrayObject(operands)), op))
    return out


def assert_same_as_pypdf(path: Path) -> PdfFile:
    """Every object, the trailer, the page list (with inherited attributes) and every page's content
    operations read the same by our reader and by pypdf."""
    doc = PdfFile.open(path)
    reader = pypdf.PdfReader(path)
    theirs = {(num, gen) for gen, table in reader.xref.items() for num in table}
    ours = {(num, gen) for num, gen, _ in doc.objects()}
    assert ours == theirs
    for num, gen, obj in doc.objects():
        want = norm_pypdf(reader.get_object(IndirectObject(num, gen, reader)))
        assert norm_ours(obj) == want, (num, gen)
    assert norm_ours(doc.trailer) == norm_pypdf(reader.trailer)
    pages = doc.pages()
    assert len(pages) == len(reader.pages)
    for mine, page in zip(pages, reader.pages):
        assert norm_ours(mine) == norm_pypdf(page.get_object())
        assert doc.contents(mine) == page.get_contents().get_data()
        assert ops_ours(doc.contents(mine)) == ops_pypdf(reader, page)
        assert_fast_path_agrees(doc.contents(mine))
    return doc


PREFLIGHT_READS = {b"k", b"K", b"rg", b"RG", b"g", b"G", b"cs", b"CS", b"gs"}


def assert_fast_path_agrees(data: bytes) -> None:
    """content_ops with `wanted` (the preflight's fast path) gives the same operations as the full
    tokenizer: every operand when all are wanted, the wanted ones and the operators otherwise."""
    full = list(content_ops(data))
    assert list(content_ops(data, {op for _, op in full})) == full
    for wanted in (PREFLIGHT_READS, set()):
        part = list(content_ops(data, wanted))
        assert [op for _, op in part] == [op for _, op in full]
        for (got, op), (want, _) in zip(part, full):
            assert got == (want if op in wanted else None), op


# --------------------------------------------------------------------------- PDFs to read

@pytest.fixture(scope="module")
def pdf_1640(tmp_path_factory) -> Path:
    from layout.pipeline import render

    out = tmp_path_factory.mktemp("pdfread") / "1640.pdf"
    render("1640", out)
    return out


def reportlab_pdf(path: Path, compress: int = 1) -> Path:
    """A foreign file: RGB, standard fonts, strings with parentheses and escapes, an image
    XObject and an inline image, a link annotation, two pages (ReportLab: ASCII85 + Flate)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), pagesize=(300, 400), pageCompression=compress)
    c.setFillColorRGB(1, 0, 0)
    c.setFont("Helvetica", 9)
    c.drawString(10, 10, "nested (parentheses (two deep)) and a back\\slash")
    c.setFillColorCMYK(0.8, 0.8, 0.8, 1)
    c.drawString(10, 30, "rich black \u00e9t\u00e9")
    c.rect(10, 50, 50, 50, fill=1)
    c.drawImage(ImageReader(Image.new("CMYK", (20, 10), (200, 100, 50, 25))), 100, 100, 40, 20)
    c.drawInlineImage(Image.new("RGB", (6, 5), (0, 128, 255)), 150, 150, 30, 25)
    c.linkURL("https://example.org/a(b)", (0, 0, 20, 20))
    c.showPage()
    c.setStrokeColorCMYK(0, 0, 0, 1)
    c.setLineWidth(0.1)
    c.line(0, 0, 100, 100)
    c.setFillAlpha(0.5)
    c.rect(1, 1, 5, 5, fill=1)
    c.save()
    return path


def build_pdf(objects: dict[int, bytes], root: int = 1, version: bytes = b"1.4", trailer: bytes = b"") -> bytes:
    """A classic-xref PDF from `n 0 obj` bodies."""
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += (b"%010d 00000 n \n" % offsets[num]) if num in offsets else b"0000000000 00000 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (size, root, trailer, xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", length: bytes | None = None) -> bytes:
    return b"<< /Length " + (length or b"%d" % len(data)) + extra + b" >>\nstream\n" + data + b"\nendstream"


TRICKY_CONTENT = (
    b"% a comment with an operator: 1 0 0 rg\n"
    b"q 1 0 0 1 -.5 +3 cm 4. 0 0 0 k\n"
    b"BT /F#31 12 Tf (nested (paren) (and (deeper)) text) Tj\n"
    b"(esc \\( \\) \\\\ \\n\\t \\101\\0618 BI EI) Tj\n"
    b"(line \\\ncontinued) Tj\n"
    b"<48 65\n6C\t6C 6F> Tj <4142434> Tj <> Tj () Tj\n"
    b"[(a) -20 <0041> 3.5 (b)] TJ ET\n"
    b"/Span << /MCID 0 /Alt (x) /Flags [true false null] >> BDC EMC\n"
    b"/A#20B#2fC gs 0.25 w [3 1] 0 d Q\n"
)


@pytest.fixture(scope="module")
def tricky_pdf(tmp_path_factory) -> Path:
    """A hand-made file: page tree inheritance, /Contents as an array, an indirect /Length, a
    Flate and an ASCII85 stream, names with #xx, strings with every escape, then an incremental
    update (/Prev) that replaces one object."""
    flate = zlib.compress(TRICKY_CONTENT)
    import base64
    a85 = base64.a85encode(b"0 0 1 RG 10 10 m 20 20 l S\n", wrapcol=20) + b"~>"
    base = build_pdf({
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox [0 0 200 300]\n"
           b"   /Resources << /Font << /F1 6 0 R >> >> >>",
        3: b"<< /Type /Page /Parent 2 0 R /Contents [5 0 R 7 0 R] /Rotate 90 >>",
        4: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 9 0 R /Resources << >> >>",
        5: stream(flate, b" /Filter /FlateDecode", length=b"8 0 R"),
        6: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica#2DBold /Encoding /WinAnsiEncoding >>",
        7: stream(a85, b" /Filter [/ASCII85Decode]"),
        8: b"%d" % len(flate),
        9: stream(b"0 0 0 1 k 0 0 10 10 re f"),
        10: b"<< /Title (old) /Producer <FEFF00410042> >>",      # replaced by the update below
    }, trailer=b"/Info 10 0 R /ID [<0102> <0304>] ")
    xref_old = int(re.findall(rb"startxref\n(\d+)", base)[-1])
    upd = bytearray(base)
    off = len(upd)
    upd += b"10 0 obj\n<< /Title (new \\(title\\)) /CreationDate (D:20200316000000+08'00') >>\nendobj\n"
    xref = len(upd)
    upd += b"xref\n0 1\n0000000000 65535 f \n10 1\n%010d 00000 n \n" % off
    upd += b"trailer\n<< /Size 11 /Root 1 0 R /Info 10 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (xref_old, xref)
    path = tmp_path_factory.mktemp("tricky") / "tricky.pdf"
    path.write_bytes(bytes(upd))
    return path


def xref_stream_pdf() -> bytes:
    """A valid PDF 1.5 whose cross-reference table is a stream (pypdf reads it; we refuse it)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>"]
    out = bytearray(b"%PDF-1.5\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    rows = b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"
    rows += b"".join(b"\x01" + o.to_bytes(4, "big") + b"\x00\x00" for o in offsets + [xref])
    out += b"4 0 obj\n<< /Type /XRef /Size 5 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(rows)
    out += rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


# --------------------------------------------------------------------------- against pypdf

def test_1640_reads_as_pypdf_reads_it(pdf_1640):
    doc = assert_same_as_pypdf(pdf_1640)
    assert doc.version == (1, 3)
    assert text(doc.info["/GTS_PDFXVersion"]) == "PDF/X-1:2001"
    assert text(doc.info["/Title"]).startswith("今日柯城")


def test_the_written_1640_reads_as_pypdf_reads_it():
    out = ROOT / "out" / "1640.pdf"
    if not out.is_file():
        pytest.skip("out/1640.pdf not rendered here")
    assert_same_as_pypdf(out)


def test_pypdf_rewritten_1640(pdf_1640, tmp_path):
    w = pypdf.PdfWriter(clone_from=str(pdf_1640))
    w.write(tmp_path / "copy.pdf")
    assert_same_as_pypdf(tmp_path / "copy.pdf")


@pytest.mark.parametrize("compress", [0, 1])
def test_foreign_reportlab_file(tmp_path, compress):
    doc = assert_same_as_pypdf(reportlab_pdf(tmp_path / "rl.pdf", compress))
    ops = [op for p in doc.pages() for _, op in content_ops(doc.contents(p))]
    assert b"BI" in ops and b"Do" in ops and b"rg" in ops


def test_tricky_hand_made_file(tricky_pdf):
    doc = assert_same_as_pypdf(tricky_pdf)
    pages = doc.pages()
    assert [p["/MediaBox"] for p in pages] == [[0, 0, 200, 300], [0, 0, 100, 100]]   # inherited, own
    assert "/F1" in doc.resolve(pages[0]["/Resources"])["/Font"] and pages[1]["/Resources"] == {}
    assert pages[0]["/Rotate"] == 90
    assert doc.info["/Title"] == b"new (title)"                 # the update wins over the original
    assert doc.trailer["/ID"] == [b"\x01\x02", b"\x03\x04"]     # kept from the older trailer
    ops = list(content_ops(doc.contents(pages[0])))                # the Flate stream, then the ASCII85 one
    assert ops[:3] == [([], b"q"), ([1, 0, 0, 1, -0.5, 3], b"cm"), ([4.0, 0, 0, 0], b"k")]
    assert ops[-4:] == [([0, 0, 1], b"RG"), ([10, 10], b"m"), ([20, 20], b"l"), ([], b"S")]


# --------------------------------------------------------------------------- the tokenizer

@pytest.mark.parametrize("src, want", [
    (b"(a (b) c)", b"a (b) c"),
    (b"(a (b (c)) d)", b"a (b (c)) d"),
    (b"(\\(x\\))", b"(x)"),
    (b"(\\n\\r\\t\\b\\f\\\\)", b"\n\r\t\b\f\\"),
    (b"(\\101\\61\\0618)", b"A1" + b"18"),          # 1-3 octal digits; \061 then a plain 8
    (b"(\\777)", b"\xff"),                            # high-order overflow ignored
    (b"(\\q)", b"q"),                                 # unknown escape: the backslash is dropped
    (b"(a\\\nb\\\r\nc)", b"abc"),                     # escaped ends of line vanish
    (b"(a\r\nb\rc\nd)", b"a\nb\nc\nd"),               # any end of line reads as \n
    (b"(\\))", b")"),
    (b"()", b""),
    (b"<48 65\n6C\t6C 6F>", b"Hello"),
    (b"<4142434>", b"ABC@"),                          # odd: a final 0 assumed
    (b"<>", b""),
    (b"<\x0041>", b"A"),                              # NUL is white space too
])
def test_strings(src, want):
    assert parse_object(src) == want


@pytest.mark.parametrize("src, want", [
    (b"/A#20B", "/A B"),
    (b"/F#31", "/F1"),
    (b"/Helvetica#2DBold", "/Helvetica-Bold"),
    (b"/#E4#BD#93", "/\u4f53"),                     # UTF-8 in #xx
    (b"/", "/"),
    (b"/a;b", "/a;b"),
])
def test_names(src, want):
    v = parse_object(src)
    assert isinstance(v, Name) and v == want


def test_numbers_keywords_containers():
    assert parse_object(b"[1 -2 +3 .5 -.5 4. 1.25 true false null]") == \
        [1, -2, 3, .5, -.5, 4.0, 1.25, True, False, None]
    assert [type(v) for v in parse_object(b"[1 4. 0.0]")] == [int, float, float]
    v = parse_object(b"<< /A [1 0 R 2 5 R [3]] /B << /C 7 0 R >> % comment\n /D (x) >>")
    assert v == {"/A": [Ref(1, 0), Ref(2, 5), [3]], "/B": {"/C": Ref(7, 0)}, "/D": b"x"}
    assert parse_object(b"[1 2 3 R]") == [1, Ref(2, 3)]
    for bad in (b"[1 2", b"<< /A >>", b"<< 1 2 >>", b"(unterminated", b"]", b"<< /A 1 ]", b"[ BT ]", b")"):
        with pytest.raises(PdfReadError):
            parse_object(bad)


@given(st.binary(max_size=200))
@settings(max_examples=200, deadline=None)
def test_any_bytes_round_trip_as_literal_and_hex(b):
    lit = b"(" + b.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)").replace(b"\r", b"\\r") + b")"
    assert parse_object(lit) == b
    assert parse_object(b"<" + b.hex().encode() + b">") == b
    assert list(content_ops(lit + b" Tj")) == [([b], b"Tj")]


def test_content_operators():
    ops = list(content_ops(TRICKY_CONTENT))
    assert ops[0] == ([], b"q")                      # the comment is not an operator
    assert ops[1] == ([1, 0, 0, 1, -0.5, 3], b"cm")
    assert ops[2] == ([4.0, 0, 0, 0], b"k")
    assert ops[4] == (["/F1", 12], b"Tf")
    assert ops[5] == ([b"nested (paren) (and (deeper)) text"], b"Tj")
    assert ops[6] == ([b"esc ( ) \\ \n\t A18 BI EI"], b"Tj")   # BI and EI inside a string are text
    assert ops[7] == ([b"line continued"], b"Tj")
    assert [o for o, op in ops if op == b"TJ"] == [[[b"a", -20, b"\x00A", 3.5, b"b"]]]
    bdc = next(o for o, op in ops if op == b"BDC")
    assert bdc == ["/Span", {"/MCID": 0, "/Alt": b"x", "/Flags": [True, False, None]}]
    assert (["/A B/C"], b"gs") in ops
    assert ([[3, 1], 0], b"d") in ops


@pytest.mark.parametrize("src, want", [
    (b"0 0 0 1 k 1 0 0 RG", [([0, 0, 0, 1], b"k"), ([1, 0, 0], b"RG")]),
    (b"1 true k", [([1, True], b"k")]),               # true is an operand, not the operator
    (b"1 0 R k", [([Ref(1, 0)], b"k")]),              # as the tokenizer builds it
    (b"1k", [([1], b"k")]),
    (b"/GS#31 gs", [(["/GS1"], b"gs")]),
    (b"% comment 1 0 0 rg\n 0.5 g", [([0.5], b"g")]),
    (b"[(a) 1 <00>] TJ\n(x(y)) Tj 2 0 0 rg", [([[b"a", 1, b"\x00"]], b"TJ"), ([b"x(y)"], b"Tj"), ([2, 0, 0], b"rg")]),
    (b"/P <</MCID 1>> BDC 1 g", [(["/P", {"/MCID": 1}], b"BDC"), ([1], b"g")]),
    (b"BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 EI 1 g", [([{"/W": 1, "/H": 1, "/CS": "/G", "/BPC": 8}, b"\x00"], b"BI"),
                                                    ([1], b"g")]),
])
def test_content_fast_path(src, want):
    assert list(content_ops(src)) == want
    assert_fast_path_agrees(src)
    assert [op for _, op in content_ops(src, set())] == [op for _, op in want]


@pytest.mark.parametrize("bad", [b"[ BT ] TJ", b"1 2", b"(open Tj", b"<< /A 1 BDC", b"0 0 0 1 k ]"])
def test_content_errors_in_both_paths(bad):
    for wanted in (None, set(), PREFLIGHT_READS):
        with pytest.raises(PdfReadError):
            list(content_ops(bad, wanted))


def test_inline_images():
    raw = bytes(range(256))[:24]                       # 2x3 RGB, 8 bits, holds " EI " nowhere but
    raw = raw[:10] + b" EI " + raw[14:]                # ... put one in: the length decides, not EI
    data = b"q BI /W 2 /H 4 /CS /RGB /BPC 8 ID " + raw + b"\nEI Q 1 0 0 rg"
    ops = list(content_ops(data))
    assert ops[0] == ([], b"q")
    assert ops[1] == ([{"/W": 2, "/H": 4, "/CS": "/RGB", "/BPC": 8}, raw], b"BI")
    assert ops[2:] == [([], b"Q"), ([1, 0, 0], b"rg")]
    # filtered: the data ends at the first EI between white space
    a85 = b"87cURD]i,\"Ebo80~>"
    ops = list(content_ops(b"BI /W 1 /H 1 /CS /G /F /A85 ID " + a85 + b"\nEI 0 g"))
    assert ops == [([{"/W": 1, "/H": 1, "/CS": "/G", "/F": "/A85"}, a85], b"BI"), ([0], b"g")]
    # an image mask, /L given (PDF 2.0)
    assert list(content_ops(b"BI /W 9 /H 2 /IM true ID \xff\xff\x00\x00 EI"))[0][0][1] == b"\xff\xff\x00\x00"
    assert list(content_ops(b"BI /L 3 /F /Fl ID EI  EI"))[0][0][1] == b"EI "
    for bad in (b"BI /W 2 /H 2 /CS /G ID \x00\x00\x00", b"BI /W 1 /F /Fl ID abc", b"BI /W 1 /H 1"):
        with pytest.raises(PdfReadError):
            list(content_ops(bad))


def test_stream_lengths(tmp_path):
    body = b"0 0 0 1 k endstream-looking text"
    good = build_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [] /Count 0 >>",
                      3: stream(body, length=b"4 0 R"), 4: b"%d" % len(body)})
    doc = PdfFile(good)
    assert doc.get(3).raw == body and doc.get(3).data == body
    bad = good.replace(b"\n%d\nendobj" % len(body), b"\n%d\nendobj" % (len(body) - 3))
    with pytest.raises(PdfReadError, match="does not end at 'endstream'"):
        PdfFile(bad).get(3)
    with pytest.raises(PdfReadError, match="not supported"):
        Stream({"/Filter": Name("/DCTDecode")}, b"\xff\xd8").data
    with pytest.raises(PdfReadError, match="predictor"):
        Stream({"/Filter": Name("/FlateDecode"), "/DecodeParms": {"/Predictor": 12}}, zlib.compress(b"x")).data


def test_text_strings():
    assert text(b"\xfe\xff\x4e\x2d\x65\x87") == "中文"
    assert text(b"caf\xe9 \x93\x80") == "café ﬁ•"         # PDFDocEncoding
    assert text(Name("/X")) == "/X"
    from pypdf._codecs import _pdfdoc_encoding
    ours = text(bytes(range(256)))
    assert [c for i, c in enumerate(ours) if _pdfdoc_encoding[i] != "\x00"] == \
           [c for c in _pdfdoc_encoding if c != "\x00"]


# --------------------------------------------------------------------------- what it refuses

def test_refuses_a_cross_reference_stream(tmp_path):
    data = xref_stream_pdf()
    path = tmp_path / "xrefstm.pdf"
    path.write_bytes(data)
    assert len(pypdf.PdfReader(path).pages) == 1          # a valid file ...
    with pytest.raises(PdfReadError, match="cross-reference stream"):
        PdfFile(data)                                      # ... that we do not misread
    from layout.check.preflight import pdf_findings
    from layout.emit.pdf import PrintSettings
    from layout.pipeline import load

    _, style = load("1640")
    fs = pdf_findings(path, style, PrintSettings(), 240)
    assert [(f.severity, f.code, f.stage) for f in fs] == [("error", "pdf-unreadable", "pdf")]
    assert "cross-reference stream" in fs[0].message


def test_refuses_hybrid_and_object_streams():
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [] /Count 0 >>"}
    with pytest.raises(PdfReadError, match="XRefStm"):
        PdfFile(build_pdf(objs, trailer=b"/XRefStm 9 "))
    doc = PdfFile(build_pdf({**objs, 3: stream(b"4 0 << >>", b" /Type /ObjStm /N 1 /First 4")}))
    with pytest.raises(PdfReadError, match="ObjStm"):
        doc.get(3)


def test_strict_structure():
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [] /Count 0 >>"}
    good = build_pdf(objs)
    assert PdfFile(good).pages() == []
    with pytest.raises(PdfReadError, match="not a PDF"):
        PdfFile(b"hello" + good)
    with pytest.raises(PdfReadError, match="startxref"):
        PdfFile(good.replace(b"startxref", b"startxrex"))
    shifted = good.replace(b"%PDF-1.4\n", b"%PDF-1.4\n\n")      # offsets now one byte off
    with pytest.raises(PdfReadError):
        PdfFile(shifted).get(1)
    with pytest.raises(PdfReadError, match="not in the xref"):
        PdfFile(good).get(7)
    with pytest.raises(PdfReadError, match="inside an array or dictionary"):
        PdfFile(good.replace(b">>\nstartxref", b"\nstartxref"))         # the trailer dictionary unclosed
    with pytest.raises(PdfReadError, match="refers to itself"):
        PdfFile(build_pdf({**objs, 3: stream(b"abc", length=b"3 0 R")})).get(3)
    assert PdfFile(good).get(1, 5) is None                       # another generation: null


# --------------------------------------------------------------------------- the preflight

def test_inline_image_is_flagged_and_the_rest_still_checked(tmp_path):
    from layout.check.preflight import pdf_findings
    from layout.emit.pdf import PrintSettings
    from layout.pipeline import load

    _, style = load("1640")
    fs = pdf_findings(reportlab_pdf(tmp_path / "rl.pdf"), style, PrintSettings(), 240)
    codes = {(f.code, f.page) for f in fs}
    assert ("inline-image", 1) in codes and ("rgb", 1) in codes and ("pdf-annotations", 1) in codes
    assert ("transparency", 2) in codes and ("tac", 1) in codes


def test_a_render_does_not_import_pypdf(tmp_path):
    r = subprocess.run([sys.executable, "-X", "importtime", str(ROOT / "render.py"), "1640",
                        "-o", str(tmp_path / "1640.pdf")], cwd=ROOT, capture_output=True, text=True)
    assert (tmp_path / "1640.pdf").is_file(), r.stderr[-2000:]
    assert "pypdf" not in r.stderr
    assert "layout.check.pdfread" in r.stderr
