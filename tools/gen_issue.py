#!/usr/bin/env python3
"""Generate a valid test issue (issue.yaml, optionally with photos) for tests and benchmarks.

    python tools/gen_issue.py --pages 8 --stories-per-page 2-4 --photos --seed 1 -o /tmp/bench8
    python tools/gen_issue.py --pages 100 --seed 7 -o /tmp/bench100
    python tools/gen_issue.py --pages 6 --fill 0.95 --stories-per-page 2-6 --seed 3 -o /tmp/full6

`--fill F` sizes each page's copy to about F of the page's body area under the style's grid
(columns x characters x lines below the masthead or page header, less about one headline a
story): a make-up test with little slack. Without it, pages are filled to 45-80 % of a rough
budget, so that most stories fit.

The copy is test copy: sentences of the seed text (issues/1640/source/000_c0214c87c37c3824.txt,
read at generation time) shuffled into paragraphs. Every headline starts with 【测试稿】 and the
file opens with a comment saying so, so a generated issue is never mistaken for real copy.
The output is the same for the same options and seed. It never writes into issues/.
"""
from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = ROOT / "issues" / "1640" / "source" / "000_c0214c87c37c3824.txt"
MARK = "【测试稿】"

# Rough copy budget of a page in characters (six columns of 13 characters, about 70 lines
# below the page header, less headlines and air): a page is filled to 45-80 % of it, so
# that the engine has room to work and most stories fit.
PAGE_CHARS = {1: 3000, 0: 4200}          # page 1 (under the masthead), other pages


def seed_sentences(path: Path = SEED_TEXT) -> list[str]:
    """The sentences of the seed text's body copy (blocks with a full stop)."""
    text = path.read_text(encoding="utf-8")
    blocks = [b.strip().lstrip("#").strip() for b in text.split("\n\n")]
    # body blocks only; a block the extraction broke at a column end is joined to the next
    body: list[str] = []
    carry = ""
    for b in blocks:
        if not carry and not re.search(r"[。！？]", b) and len(b) < 40:
            continue        # masthead, headlines, decks
        b = carry + re.sub(r"^本报讯（[^）]*）", "", b)
        carry = "" if re.search(r"[。！？][”’」』]*$", b) else b
        if not carry:
            body.append(b)
    out: list[str] = []
    for b in body:
        out.extend(s.strip() for s in re.findall(r"[^。！？]+[。！？][”’」』]*", b) if len(s.strip()) >= 8)
    if not out:
        raise SystemExit(f"gen_issue: no sentences in {path}")
    return out


def _headline(rng: random.Random, sentences: list[str], lo: int = 6, hi: int = 16) -> str:
    s = rng.choice(sentences)
    clause = re.split(r"[，。！？；：、]", s.strip("“”‘’"))[0].strip("“”‘’ ")
    if len(clause) < lo:
        clause = re.sub(r"[，。！？；：、“”‘’]", "", s)
    return MARK + _balanced(clause[:hi])


def _balanced(text: str) -> str:
    """The headline without quotation marks the cut left unpaired (an opening “ at its end,
    a closing ’ with no opening one): a desk never prints a headline so."""
    for opening, closing in ("“”", "‘’"):
        if text.count(opening) != text.count(closing):
            text = text.replace(opening, "").replace(closing, "")
    return text


def _paragraphs(rng: random.Random, sentences: list[str], chars: int, exact: bool = True) -> list[str]:
    """Paragraphs of 1-5 shuffled sentences, about `chars` characters in all: the copy stops
    at the sentence that ends nearest `chars` (whole paragraphs overshot it by half a
    paragraph a story, 3-22 % of a page at --fill: issue 21's overset page 1). `exact=False`:
    whole paragraphs until `chars` is reached (the copy without --fill, unchanged)."""
    pool: list[str] = []
    paras: list[str] = []
    total = 0
    done = False
    while not done:
        n = rng.randint(1, 5)
        para: list[str] = []
        for _ in range(n):
            if not pool:
                pool = sentences[:]
                rng.shuffle(pool)
            nxt = pool.pop()
            if exact and (para or paras) and total + len(nxt) - chars > chars - total:
                done = True     # this sentence would end farther past the target than we are short
                break
            para.append(nxt)
            total += len(nxt)
            if exact and total >= chars:
                done = True
                break
        done = done or total >= chars       # without `exact`: whole paragraphs, as before --fill
        if para:
            paras.append("".join(para))
    return paras


def _photo(path: Path, rng: random.Random, page: int, k: int, size: tuple[int, int] | None = None) -> None:
    """A small synthetic JPEG: a test pattern, never a real picture (`size`: its pixels)."""
    from PIL import Image, ImageDraw
    w, h = size or rng.choice([(1200, 800), (900, 900), (800, 1000), (1500, 700)])
    img = Image.new("RGB", (w, h), (200, 200, 200))
    d = ImageDraw.Draw(img)
    for i in range(0, w, 100):
        d.rectangle([i, 0, i + 49, h], fill=((page * 37) % 256, (k * 91) % 256, (i // 3) % 256))
    d.line([0, 0, w, h], fill=(0, 0, 0), width=9)
    d.line([0, h, w, 0], fill=(0, 0, 0), width=9)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "JPEG", quality=80, optimize=False)


def parse_range(s: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*", s)
    if not m:
        raise argparse.ArgumentTypeError(f"expected N or A-B, got {s!r}")
    a = int(m.group(1))
    b = int(m.group(2) or a)
    if a < 1 or b < a:
        raise argparse.ArgumentTypeError(f"bad range {s!r}")
    return a, b


def body_area(style: str, front: bool) -> tuple[int, int, int]:
    """(columns, characters a column, grid lines) of a page's body area under the style:
    the type area less the masthead (page 1) or the page header."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from layout.load.style import find_style, load_style
    from layout.place.furniture import REFERENCE_TYPE_WIDTH
    st = load_style(find_style(style, Path.cwd(), ROOT / "styles"))
    grid = st.grid
    # the furniture's depth in grid lines, as the place stage sets it: the page header 3 lines,
    # the masthead band 9 lines of 13.5 pt at the house size, scaled with the type area as
    # furniture.furniture_scale scales it (a broadsheet's is 12: counted as 9, its front page's
    # copy came out 9-18 lines over)
    scale = st.furniture_scale or max(0.7, min(2.0, round(grid.width / REFERENCE_TYPE_WIDTH * 10) / 10))
    top = math.ceil(MASTHEAD_LINES * MASTHEAD_PITCH * scale / grid.pitch - 0.05) if front else 3
    return grid.columns, grid.column_chars, grid.lines - top


MASTHEAD_LINES, MASTHEAD_PITCH = 9, 13.5   # the house masthead band: grid lines, pt a line
HEAD_LINES = (8, 5)             # grid lines of a headline block: the page's first story, the others ...


def head_area(columns: int) -> tuple[int, int]:
    """... in column-lines: the lead's across two thirds of the page, the others' across half
    (4 and 3 columns of 5 or 6; 6 and 4 of a broadsheet's 8)."""
    return HEAD_LINES[0] * math.ceil(columns * 2 / 3), HEAD_LINES[1] * math.ceil(columns / 2)


PHOTO_AREA = 14 * 3             # column-lines of a photo with its caption
LINE_FILL = 0.95                # body characters a column-line holds on average (short last lines)


def fill_budget(style: str, front: bool, stories: int, fill: float, photos: int = 0) -> int:
    """Body characters that fill about `fill` of a page's body area: the area in column-lines
    less the stories' headline blocks and the photos, in characters as set (paragraphs end in
    short lines), times `fill`."""
    cols, chars, lines = body_area(style, front)
    lead_head, other_head = head_area(cols)
    area = cols * lines - lead_head - (stories - 1) * other_head - photos * PHOTO_AREA
    return int(max(0, area) * chars * LINE_FILL * fill)


def copy_shares(budget: int, weights: list[float], pictured: list[bool], least: int) -> list[int]:
    """The page's copy shared out by weight, a pictured story given at least `least`
    characters (as much text as its photo's area: the engine prints a photo at most half of
    its module's body, cost.PHOTO_MAX_AREA), the rest shared by weight among the others."""
    shares = [budget * w / sum(weights) for w in weights]
    raised = [k for k, p in enumerate(pictured) if p and shares[k] < least]
    if not raised or len(raised) == len(weights):
        return [int(x) for x in shares]
    need = sum(least - shares[k] for k in raised)
    others = [k for k in range(len(weights)) if k not in raised]
    pool = sum(shares[k] for k in others)
    if pool <= need:
        return [int(x) for x in shares]
    out = list(shares)
    for k in raised:
        out[k] = least
    for k in others:
        out[k] = shares[k] * (1 - need / pool)
    return [int(x) for x in out]


def build(pages: int, stories_per_page: tuple[int, int], photos: bool, seed: int,
          sentences: list[str] | None = None, number: int = 9000, style: str = "kecheng",
          date: dt.date = dt.date(2020, 3, 16), fill: float | None = None) -> tuple[dict, list[tuple[str, int, int]]]:
    """The issue as plain data, and the photos to draw (file, page, k)."""
    rng = random.Random(seed)
    sentences = sentences or seed_sentences()
    stories, plan, pics = [], [], []
    for pn in range(1, pages + 1):
        n = rng.randint(*stories_per_page)
        # which stories have a photo, drawn first so that --fill counts every photo's area
        pictured = [photos and (k == 0 or rng.random() < 0.25) for k in range(n)] if fill is not None else []
        if fill is not None:
            budget = fill_budget(style, pn == 1, n, fill, photos=sum(pictured))
            least = int(PHOTO_AREA * body_area(style, pn == 1)[1] * LINE_FILL * fill)
            # no more photos than the copy can carry (each beside as much text as its area)
            while sum(pictured) > 1 and least * sum(pictured) > budget:
                pictured[max(k for k, p in enumerate(pictured) if p)] = False
                budget = fill_budget(style, pn == 1, n, fill, photos=sum(pictured))
        else:
            budget = PAGE_CHARS[1 if pn == 1 else 0] * rng.uniform(0.45, 0.8)
        weights = sorted((rng.uniform(1, 3) for _ in range(n)), reverse=True)   # the lead is longest
        shares = [int(budget * w / sum(weights)) for w in weights]
        if fill is not None and any(pictured):
            shares = copy_shares(budget, weights, pictured, least)
        modules = []
        for k in range(n):
            sid = f"p{pn}s{k + 1}"
            st: dict = {"id": sid, "level": 1 if k == 0 and pn == 1 else (2 if k == 0 else 3)}
            if rng.random() < 0.2:
                st["kicker"] = _headline(rng, sentences, 4, 10)[len(MARK):]
            st["headline"] = _headline(rng, sentences)
            if rng.random() < 0.3:
                deck = _headline(rng, sentences, 8, 20)[len(MARK):]
                if deck[:6] != st["headline"][len(MARK):len(MARK) + 6]:    # never the headline again
                    st["deck"] = deck
            st["dateline"] = "本报讯（测试稿）"
            body: list = _paragraphs(rng, sentences, shares[k], exact=fill is not None)
            if len(body) > 4 and rng.random() < 0.3:
                body.insert(len(body) // 2, {"subhead": _headline(rng, sentences, 4, 12)[len(MARK):]})
            st["body"] = body
            if pictured[k] if fill is not None else photos and (k == 0 or rng.random() < 0.25):
                name = f"photos/p{pn}-{k + 1}.jpg"
                st["photo"] = {"file": name, "caption": f"测试图片（第{pn}版）", "credit": "测试"}
                pics.append((name, pn, k))
            stories.append(st)
            modules.append({"story": sid})
        plan.append({"number": pn, "name": f"测试{pn}版", "modules": modules})
    issue = {
        "style": style,
        "masthead": {"title": "今日柯城", "date": date, "number": number,
                     "publisher": "衢州市柯城区融媒体中心编印（测试样张）", "edition_note": f"今日{pages}版"},
        "stories": stories,
        "pages": plan,
    }
    return issue, pics


def add_devices(issue: dict, pics: list, wrap: bool = False, vertical: bool = False) -> None:
    """Issue 19's devices on page 1: `vertical` sets the second story's headline block
    vertically right of its body and the third's left of it; `wrap` stands the lead story's
    photo (given one if it has none) inside its text."""
    page1 = [s for s in issue["stories"] if s["id"].startswith("p1s")]
    if vertical:
        for st, side in zip(page1[1:3], ("right", "left")):
            st["headline_block"] = "vertical"
            if side == "left":
                st["side"] = "left"
    if wrap and page1:
        lead = page1[0]
        if "photo" not in lead:
            name = "photos/p1-1.jpg"
            lead["photo"] = {"file": name, "caption": "测试图片（第1版）", "credit": "测试"}
            pics.append((name, 1, 0))
        lead["photo"]["wrap"] = "center"


def add_spread(issue: dict, pics: list, left: int) -> None:
    """`--spread L`: pages L and L+1 made up as one spread (通版, `spread: [L, L+1]`): their
    stories in one module list, the left page's first story the spread's lead, with a photo, so
    that its headline and photo stand across the fold."""
    pages = issue["pages"]
    if left % 2 or left < 2 or left + 1 > len(pages):
        raise SystemExit(f"gen_issue: --spread {left}: a spread is an even page and the next ({len(pages)} pages)")
    a, b = pages[left - 1], pages[left]
    # the spread's lead takes the right page's first story's copy too: a 通版 opens with a big
    # story across the fold (the spread's copy is the two pages' copy, as before)
    lead = next(s for s in issue["stories"] if s["id"] == a["modules"][0]["story"])
    second = next(s for s in issue["stories"] if s["id"] == b["modules"][0]["story"])
    lead["body"] = lead["body"] + [p for p in second["body"] if isinstance(p, str)]
    issue["stories"].remove(second)
    joined = {"spread": [left, left + 1], "name": f"测试{left}-{left + 1}版通版",
              "modules": a["modules"] + b["modules"][1:]}
    pages[left - 1:left + 1] = [joined]
    lead["level"] = 1
    # its photo drawn large enough for print across the fold (the make-up chooses its size)
    name = f"photos/p{left}-spread.jpg"
    pics[:] = [pic for pic in pics if not (pic[1] == left and pic[2] == 0)]
    lead["photo"] = {"file": name, "caption": f"测试图片（第{left}-{left + 1}版通版）", "credit": "测试"}
    pics.append((name, left, 0, (4500, 1500)))       # a panorama, as a spread's photo often is


def add_editors(issue: dict) -> dict:
    """Give every page of the plan an editors' line (责任编辑, 校对, 美编) of test names, so a
    generated issue tests the furniture; the names say they are test names."""
    for page in issue["pages"]:
        n = page["number"] if "number" in page else "{}-{}".format(*page["spread"])
        page["editors"] = {"责任编辑": f"测试编辑{n}", "校对": f"测试校对{n}", "美编": f"测试美编{n}"}
    return issue


def add_imprint(issue: dict) -> dict:
    """Give the issue an imprint (报尾) and a page-1 licence line of test values that say so."""
    issue["imprint"] = {"地址": "测试地址", "邮编": "000000", "印刷": "测试印刷厂", "热线": "测试热线"}
    issue["masthead"]["licence"] = "准印证号：测试（内部资料）"
    issue["masthead"]["internal"] = True
    return issue


def generate(out_dir: Path, pages: int = 8, stories_per_page: tuple[int, int] = (2, 4), photos: bool = False,
             seed: int = 0, number: int = 9000, style: str = "kecheng", fill: float | None = None,
             wrap: bool = False, vertical: bool = False, ads: bool = False, kinds: int | None = None,
             editors: bool = False, imprint: bool = False, spread: int | None = None) -> Path:
    """Write out_dir/issue.yaml (and out_dir/photos/*.jpg); returns the issue file."""
    out_dir = Path(out_dir)
    issues = (ROOT / "issues").resolve()
    target = out_dir.resolve()
    if target == issues or issues in target.parents:
        raise SystemExit(f"gen_issue: refusing to write into {issues} (test copy never goes there)")
    issue, pics = build(pages, stories_per_page, photos, seed, number=number, style=style, fill=fill)
    if kinds is not None:
        more, dropped = add_kinds(issue, random.Random(seed * 31 + 7), seed_sentences(), kinds)
        pics = [pic for pic in pics if f"p{pic[1]}s{pic[2] + 1}" not in dropped] + more     # story p{page}s{k+1}
    add_devices(issue, pics, wrap, vertical)
    if spread is not None:
        add_spread(issue, pics, spread)
    ad_files = add_ads(issue, style, fill) if ads else []
    if editors:
        add_editors(issue)      # (a spread's entry gets one line for both of its pages)
    if imprint:
        add_imprint(issue)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, pixels in ad_files:
        draw_test_ad(out_dir / name, pixels)
    rng = random.Random(seed * 7919 + 1)
    for name, pn, k, *size in pics:
        _photo(out_dir / name, rng, pn, k, *size)
    header = (f"# {MARK} TEST ISSUE - not real copy. Generated by tools/gen_issue.py --pages {pages} "
              f"--stories-per-page {stories_per_page[0]}-{stories_per_page[1]}{' --photos' if photos else ''} "
              f"{f' --fill {fill:g}' if fill is not None else ''}{' --wrap' if wrap else ''}"
              f"{' --vertical' if vertical else ''}{' --ads' if ads else ''}"
              f"{f' --kinds {kinds}' if kinds is not None else ''}{' --editors' if editors else ''}{' --imprint' if imprint else ''}"
              f"{f' --spread {spread}' if spread is not None else ''}"
              f" --seed {seed}\n"
              f"# Copy: sentences of issues/1640/source/{SEED_TEXT.name}, shuffled; every headline starts {MARK}.\n")
    text = yaml.safe_dump(issue, allow_unicode=True, sort_keys=False, width=10**9, default_flow_style=False)
    path = out_dir / "issue.yaml"
    tmp = path.with_suffix(".yaml.tmp")
    tmp.write_text(header + text, encoding="utf-8")
    tmp.replace(path)
    return path


def add_kinds(issue: dict, rng: random.Random, sentences: list[str],
              page: int = 1) -> tuple[list[tuple[str, int, int]], set[str]]:
    """`--kinds`: the other forms of story on page `page` (test copy): briefs (简讯, four items,
    each a title and its text), photo news (图片新闻: a photo with a long caption, no body), a
    commentary (评论) with its byline, and a labelled module (栏目 今日关注 over a story).
    Returns the photos to draw and the ids of the page's stories left out to make room."""
    def text(n: int) -> str:
        return "".join(rng.choice(sentences) for _ in range(n))
    pn = min(page, len(issue["pages"]))
    # room for them: the page keeps its first story only, cut to three paragraphs
    plan = issue["pages"][pn - 1]["modules"]
    dropped = {m["story"] for m in plan[1:]}
    del plan[1:]
    issue["stories"][:] = [st for st in issue["stories"] if st["id"] not in dropped]
    for st in issue["stories"]:
        if st["id"] == plan[0]["story"]:
            st["body"] = [b for b in st["body"] if isinstance(b, str)][:3]
    stories = [
        {"id": f"p{pn}briefs", "kind": "briefs", "headline": "简讯",
         "items": [{"title": _headline(rng, sentences, 6, 12), "text": text(2)} for _ in range(4)]},
        {"id": f"p{pn}photo", "kind": "photo", "headline": _headline(rng, sentences, 6, 12),
         "photo": {"file": f"photos/p{pn}-photonews.jpg", "caption": MARK + text(3), "credit": "测试"}},
        {"id": f"p{pn}comment", "kind": "commentary", "headline": _headline(rng, sentences, 6, 12),
         "byline": "本报评论员　测试", "body": [text(3) for _ in range(3)]},
        {"id": f"p{pn}focus", "label": "今日关注", "headline": _headline(rng, sentences, 6, 14),
         "dateline": "本报讯（测试稿）", "body": [text(3) for _ in range(2)]},
    ]
    issue["stories"].extend(stories)
    issue["pages"][pn - 1]["modules"].extend({"story": st["id"]} for st in stories)
    return [(f"photos/p{pn}-photonews.jpg", pn, 99)], dropped


AD_ROTA = (("通栏", "bottom"), ("半通栏", "bottom-right"), ("报眼", "ear"))   # --ads: one a page, in turn
AD_PPI = 250                    # the test ads' resolution at their booked size


def ad_pixels(style: str, size: str, ppi: float = AD_PPI) -> tuple[int, int]:
    """The pixel size of an ad booked at `size` under the style, at `ppi`."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from layout.load.style import find_style, load_style
    st = load_style(find_style(style, Path.cwd(), ROOT / "styles"))
    cols, lines = st.ads.sizes[size]
    return round(st.grid.span_width(cols) / 72 * ppi), round(lines * st.grid.pitch / 72 * ppi)


AD_BLEED = 8.5                  # pt: a test PDF ad's tint runs this far past its TrimBox


def ad_test_font() -> str:
    """reportlab's name for LXGW WenKai (a TrueType font, embedded as a subset), registered once."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    face = "kecheng-test-ad"
    if face not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(face, str(ROOT / "fonts" / "LXGWWenKai-Regular.ttf")))
    return face


def draw_test_pdf_ad(path: Path, size: tuple[float, float], text: str = "测试广告", rgb: bool = False,
                     font: str = "embedded") -> None:
    """A test PDF ad (reportlab, never a real advertisement): the TrimBox is `size` (pt), the
    tint runs AD_BLEED into a bleed the MediaBox holds, a frame and 测试广告 in CMYK, the text in
    LXGW WenKai embedded. `rgb` draws the text in RGB and `font="helvetica"` (Latin text, a
    font not embedded): a file the print must refuse, for tests."""
    from reportlab.pdfgen import canvas

    w, h = size
    b = AD_BLEED
    path.parent.mkdir(parents=True, exist_ok=True)
    face = ad_test_font()
    # the canvas's first font is the embedded one (reportlab names Helvetica, not embedded, else)
    c = canvas.Canvas(str(path), pagesize=(w + 2 * b, h + 2 * b), invariant=1, pageCompression=1,
                      initialFontName=face)
    c.setTrimBox((b, b, b + w, b + h))
    c.setFillColorCMYK(0, 0.06, 0.2, 0.04)
    c.rect(0, 0, w + 2 * b, h + 2 * b, stroke=0, fill=1)
    c.setStrokeColorCMYK(0, 0.9, 0.8, 0.1)
    c.setLineWidth(2)
    c.rect(b + 3, b + 3, w - 6, h - 6, stroke=1, fill=0)
    if font == "helvetica":
        face, text = "Helvetica", "TEST AD"
    pt = max(6.0, min(h / 3, w / (len(text) + 2)))
    if rgb:
        c.setFillColorRGB(0.7, 0.1, 0.1)
    else:
        c.setFillColorCMYK(0, 0.9, 0.8, 0.1)
    c.setFont(face, pt)
    c.drawCentredString(b + w / 2, b + h / 2 - pt * 0.35, text)
    c.showPage()
    c.save()


def ad_points(style: str, size: str) -> tuple[float, float]:
    """The size in pt of an ad booked at `size` under the style."""
    w, h = ad_pixels(style, size, ppi=72 * 1000)
    return w / 1000, h / 1000


def as_pdf_ads(issue_path: Path, style: str = "kecheng") -> None:
    """`--pdf-ads` (with `--ads`): every test ad of the generated issue redrawn as a PDF at its
    booked size (draw_test_pdf_ad), the plan naming the PDF; the issue file's header says so."""
    issue_path = Path(issue_path)
    text = issue_path.read_text(encoding="utf-8")
    for page in yaml.safe_load(text)["pages"]:
        for module in page["modules"]:
            ad = module.get("ad")
            if ad and ad["file"].endswith(".png"):
                pdf = ad["file"][:-len(".png")] + ".pdf"
                draw_test_pdf_ad(issue_path.parent / pdf, ad_points(style, ad["size"]))
                (issue_path.parent / ad["file"]).unlink(missing_ok=True)
                if ad["file"] not in text:
                    raise SystemExit(f"gen_issue: --pdf-ads: {ad['file']} is not written plainly in {issue_path}")
                text = text.replace(ad["file"], pdf)
    first, rest = text.split("\n", 1)
    tmp = issue_path.with_suffix(".yaml.tmp")
    tmp.write_text(first + " --pdf-ads\n" + rest, encoding="utf-8")
    tmp.replace(issue_path)


def draw_test_ad(path: Path, pixels: tuple[int, int], text: str = "测试广告") -> None:
    """A test ad image: a framed tint with 测试广告 across it, never a real advertisement."""
    from PIL import Image, ImageDraw, ImageFont
    w, h = pixels
    img = Image.new("RGB", (w, h), (235, 225, 200))
    d = ImageDraw.Draw(img)
    d.rectangle([4, 4, w - 5, h - 5], outline=(160, 30, 30), width=8)
    font = ImageFont.truetype(str(ROOT / "fonts" / "NotoSansCJKsc-Bold.otf"), max(12, min(h // 3, w // (len(text) + 2))))
    box = d.textbbox((0, 0), text, font=font)
    d.text(((w - box[2]) / 2, (h - box[3]) / 2), text, font=font, fill=(160, 30, 30))
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "PNG")


def add_ads(issue: dict, style: str, fill: float | None = None) -> list[tuple[str, tuple[int, int]]]:
    """`--ads`: one test ad module on every page (通栏 at the foot, 半通栏 at the foot's right,
    报眼 at the top right, in turn), first in the page's plan; returns the images to draw.
    With `fill`, the page's copy is cut by what the ad's area would have held, so that the
    page stays about that full."""
    files = []
    for k, page in enumerate(issue["pages"]):
        size, at = AD_ROTA[k % len(AD_ROTA)]
        name = f"ads/p{page.get('number') or page['spread'][0]}-{size}.png"
        page["modules"].insert(0, {"ad": {"file": name, "size": size, "at": at}})
        files.append((name, ad_pixels(style, size)))
        if fill is not None:
            cols, lines = ad_area(style, size)
            chars = body_area(style, False)[1]
            _make_room(issue, page, int(cols * (lines + 1) * chars * LINE_FILL * fill))
    return files


def ad_area(style: str, size: str) -> tuple[int, int]:
    """The basic columns and grid lines the style books for an ad of `size`."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from layout.load.style import find_style, load_style
    return load_style(find_style(style, Path.cwd(), ROOT / "styles")).ads.sizes[size]


def _make_room(issue: dict, page: dict, chars: int) -> None:
    """Cut about `chars` characters of body copy from a plan entry's stories, last paragraphs of
    the last stories first, each story keeping at least one paragraph."""
    ids = [m["story"] for m in page["modules"] if "story" in m]
    stories = [s for s in issue["stories"] if s["id"] in ids][::-1]
    for st in stories:
        body = st.get("body") or []
        while chars > 0 and sum(isinstance(b, str) for b in body) > 1:
            last = max(k for k, b in enumerate(body) if isinstance(b, str))
            chars -= len(body.pop(last))
        if chars <= 0:
            return


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="gen_issue.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--pages", type=int, default=8, help="number of pages (default 8)")
    p.add_argument("--stories-per-page", type=parse_range, default=(2, 4), metavar="A-B",
                   help="stories on each page, chosen in A..B (default 2-4)")
    p.add_argument("--photos", action="store_true", help="give lead stories (and some others) a test photo")
    p.add_argument("--seed", type=int, default=0, help="random seed (same seed, same issue)")
    p.add_argument("--number", type=int, default=9000, help="issue number (default 9000)")
    p.add_argument("--fill", type=float, default=None, metavar="F",
                   help="size each page's copy to about F (0.1-1.5) of its body area under the style's grid")
    p.add_argument("--kinds", type=int, default=None, metavar="PAGE",
                   help="add briefs, photo news, a commentary and a labelled module (今日关注) to page PAGE")
    p.add_argument("--ads", action="store_true", help="a test ad module on every page (通栏, 半通栏, 报眼 in turn)")
    p.add_argument("--pdf-ads", action="store_true", help="with --ads: the ads as test PDFs (vector, CMYK, font embedded)")
    p.add_argument("--style", default="kecheng", help="style name or path the issue names (default kecheng)")
    p.add_argument("--wrap", action="store_true", help="stand page 1's lead photo inside its text (图文互斥)")
    p.add_argument("--vertical", action="store_true",
                   help="set page 1's second and third headlines vertically, right and left of their bodies")
    p.add_argument("--editors", action="store_true", help="give every page an editors' line of test names")
    p.add_argument("--imprint", action="store_true", help="give the issue an imprint and licence line of test values")
    p.add_argument("--spread", type=int, default=None, metavar="L",
                   help="make pages L and L+1 one spread (通版) with its lead's headline and photo across the fold")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="folder to write issue.yaml into")
    a = p.parse_args(argv)
    if not 1 <= a.pages <= 999:
        p.error("--pages must be 1..999")
    if a.stories_per_page[1] > 24:
        p.error("--stories-per-page: at most 24 a page")
    if a.fill is not None and not 0.1 <= a.fill <= 1.5:
        p.error("--fill must be 0.1..1.5")
    if a.pdf_ads and not a.ads:
        p.error("--pdf-ads goes with --ads")
    path = generate(Path(a.output), a.pages, a.stories_per_page, a.photos, a.seed, a.number, a.style, a.fill,
                    wrap=a.wrap, vertical=a.vertical, ads=a.ads, kinds=a.kinds,
                    editors=a.editors, imprint=a.imprint, spread=a.spread)
    print(path)
    if a.pdf_ads:
        as_pdf_ads(path, a.style)
    return 0


if __name__ == "__main__":
    sys.exit(main())
