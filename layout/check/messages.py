"""The proof viewer's words for a Chinese desk: preflight findings in Chinese, places by headline.

The preflight (check/preflight.py) and the make-up stage write their findings in English for
the log and the JSON report, naming stories by their ids ("story 'lead' overset …") and places
by the plan's notation ("columns: 1-6, lines: 4-82").  An editor reading a proof wants the
story's headline and the page's own words: ``finding_text(finding, issue)`` gives, for one
finding of ``PreflightResult.as_dict()["findings"]``, its title, message and place in Chinese
(``zh``) beside the original English (``en``), for the viewer's language switch.

The English message is parsed by the pattern of its check (``code``); a message no pattern
reads (a check added later, or a PDF check's technical detail) keeps its English text after
the check's Chinese name, so nothing is ever lost in translation.

``paper_zone(style)`` is the paper's clock (the style's ``timezone``, default Asia/Shanghai),
for the time of output on proofs and on correction notes.
"""
from __future__ import annotations

import datetime as dt
import re

__all__ = ["finding_text", "paper_zone", "story_title", "place_zh", "CHECK_ZH"]

#: Each check's name on the desk (the preflight's `code` -> Chinese).
CHECK_ZH = {
    "overset": "超版", "headline-fit": "标题排不下", "photo-fit": "图片放不下", "missing-photo": "缺图",
    "jump": "转版错误", "missing-glyph": "缺字", "lunar-date": "农历日期", "weekday": "星期",
    "ear": "报眼", "missing-qr": "缺二维码", "missing-ad": "缺广告", "ad-size": "广告尺寸不符",
    "ad-resolution": "广告分辨率低", "ad-pdfx": "广告 PDF 不合 PDF/X-1a", "ad-unreadable": "广告无法读取", "teaser": "导读", "awaiting-copy": "待稿",
    "small-text": "字号过小", "thin-rule": "线条过细", "colour-tac": "总墨量超限", "rich-black": "四色黑",
    "black-not-k": "黑色非单 K", "photo-unreadable": "图片无法读取", "photo-resolution": "图片分辨率低",
    "photo-converted": "图片已转换", "photo-downsampled": "图片已重采样", "photo-tac": "图片墨量超限",
    "pdf-unreadable": "PDF 无法读取", "pdf-version": "PDF 版本", "pdf-encrypted": "PDF 加密",
    "pdfx-version": "PDF/X 版本", "pdfx-conformance": "PDF/X 符合性", "pdfx-title": "PDF/X 标题",
    "pdfx-trapped": "PDF/X 陷印标记", "pdfx-dates": "PDF/X 日期", "pdfx-id": "PDF/X 文档标识",
    "pdfx-output-intent": "输出意图", "pdfx-metadata": "XMP 元数据", "pdf-forbidden": "PDF/X 不允许的内容",
    "pdf-boxes": "页面框", "pdf-annotations": "PDF 注释", "pdf-content": "页面内容", "font-not-embedded":
    "字体未嵌入", "transparency": "透明", "rgb": "RGB 颜色", "tac": "总墨量超限",
    "composition": "排字", "missing-editor": "缺编辑署名", "missing-licence": "缺准印证号",
    "missing-imprint": "缺报尾", "wrap-clear": "文字压图", "module-white": "稿件不足留白",
    "wrap-level": "绕图栏未齐底", "stacked": "千层饼", "underfull": "版面空白", "overfull": "稿件超版",
    "vertical-headline": "竖排标题改横排", "masthead-lines": "报头行数不足",
}

_PLACE_WORDS = {
    "masthead": "报头", "ear": "报眼", "lunar": "农历", "weekday": "星期", "teaser": "导读",
    "photo": "图片", "headline": "标题", "deck": "副题", "kicker": "引题", "caption": "图说",
    "credit": "摄影署名", "dateline": "电头", "body": "正文", "subhead": "小标题", "header": "版头",
    "page_header": "版头", "jump": "转版提示", "awaiting": "待稿框",
}

_ROLE_ZH = {"body": "正文", "caption": "图说", "credit": "摄影署名", "dateline": "电头", "deck": "副题",
            "kicker": "引题", "subhead": "小标题", "teaser": "导读", "page_header": "版头",
            "masthead_info": "报头信息", "awaiting": "待稿说明", "jump": "转版提示"}


def paper_zone(style=None) -> dt.tzinfo:
    """The paper's time zone: the style's ``timezone`` (an IANA name), Asia/Shanghai by default.
    China keeps one clock without summer time, so a machine without a zone database (and
    without the tzdata package) still shows Beijing time."""
    import zoneinfo

    name = getattr(style, "timezone", None) or "Asia/Shanghai"
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        if name in ("Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "Asia/Urumqi", "PRC"):
            return dt.timezone(dt.timedelta(hours=8), "CST")
        return dt.timezone.utc


def story_title(issue, story_id: str) -> str:
    """A story as the desk names it: 《headline》 (the id when the issue has no such story)."""
    stories = getattr(issue, "stories", None) or {}
    story = stories.get(story_id)
    if story is None:
        return story_id
    return f"《{story.headline}》"


def _owner_zh(issue, owner: str) -> str:
    if owner.startswith("reserved:"):
        return f"待稿“{owner.split(':', 1)[1]}”"
    if owner.startswith("ad:"):
        return f"广告“{owner.split(':', 1)[1]}”"
    if owner in (getattr(issue, "stories", None) or {}):
        return story_title(issue, owner)
    return _PLACE_WORDS.get(owner, owner)


_CELL = re.compile(r"columns: (\d+(?:-\d+)?)(?: of pages (\d+)-(\d+))?, lines: (\d+(?:-\d+)?)")


def _cell_zh(text: str) -> str:
    """'columns: 1-6, lines: 4-82' -> '第1–6栏，第4–82行' (anywhere in a text); a module across a
    spread's fold, 'columns: 1-12 of pages 2-3, …', -> '第2–3版通版第1–12栏，…'."""
    def zh(m) -> str:
        spread = f"第{m.group(2)}–{m.group(3)}版通版" if m.group(2) else ""
        return f"{spread}第{m.group(1).replace('-', '–')}栏，第{m.group(4).replace('-', '–')}行"
    return _CELL.sub(zh, text)


def place_zh(where: str, issue) -> str:
    """The place a finding names, in the desk's words (headline instead of story id)."""
    if not where:
        return ""
    if _CELL.fullmatch(where):
        return _cell_zh(where)
    if where.startswith("style colors."):
        return f"样式 · 颜色 {where.split('.', 1)[1]}"
    if where.startswith("masthead") and re.fullmatch(r"masthead([., ]+\w+)*", where):
        return " · ".join(_PLACE_WORDS.get(w, w) for w in re.split(r"[., ]+", where) if w)
    parts = []
    for part in (p.strip() for p in where.split(",")):
        m = re.fullmatch(r"story (\S+)", part)
        if m:
            parts.append(story_title(issue, m.group(1)))
            continue
        m = re.fullmatch(r"(paragraph|character|line) (\d+)", part)
        if m:
            parts.append(f"第{m.group(2)}{ {'paragraph': '段', 'character': '字', 'line': '行'}[m.group(1)] }")
            continue
        if "/" in part or part.endswith((".jpg", ".jpeg", ".png", ".tif", ".tiff")):
            parts.append(part.rsplit("/", 1)[-1])       # a photo file: its name
            continue
        parts.append(_owner_zh(issue, part))
    return " · ".join(parts)


# --------------------------------------------------------------------------- messages

# the composer's notes on a line (compose/justify.py, realize.py, dateline.py, paragraph.py)
_NOTES_ZH = [
    (r"loose, (?P<s>[\d.]+) em between characters", lambda m: f"字距过松，字间 {m['s']} em"),
    (r"dateline set ragged: (?P<s>[\d.]+) em between characters needed, set at (?P<at>[\d.]+) em, "
     r"(?P<left>[\d.]+) em left at the end",
     lambda m: f"电头行未能撑满：字间需 {m['s']} em，按上限 {m['at']} em 排，行末余 {m['left']} em"),
    (r"overfull by (?P<pt>[\d.]+) pt", lambda m: f"超出行宽 {m['pt']} pt"),
    (r"underfull by (?P<pt>[\d.]+) pt \(nothing to spread\)", lambda m: f"不足行宽 {m['pt']} pt（无处可撑）"),
    (r"broken inside a run too long for the measure, set flush left \(underfull by (?P<pt>[\d.]+) pt\)",
     lambda m: f"过长的不可断字串在行内断开，左对齐（不足行宽 {m['pt']} pt）"),
    (r"width (?P<w>[\d.]+) pt for measure (?P<m>[\d.]+) pt", lambda m: f"行宽 {m['w']} pt，栏宽 {m['m']} pt"),
    (r"dateline brackets '(?P<was>[^']*)' set as '(?P<now>[^']*)' \(the style's dateline_brackets: (?P<form>[^)]*)\)",
     lambda m: f"电头括号“{m['was']}”按样式（dateline_brackets: {m['form']}）排作“{m['now']}”"),
    (r"total-fit found no feasible breaks; first-fit used", lambda m: "全段优化断行无解，改用逐行断行"),
]
_NOTES_ZH = [(re.compile(p + "$"), f) for p, f in _NOTES_ZH]


def _composition_zh(m, issue) -> str | None:
    where = place_zh(m["where"], issue)
    for pattern, zh in _NOTES_ZH:
        got = pattern.match(m["note"])
        if got:
            line = f"“{m['line']}”一行：" if m["line"] is not None else ""
            return f"{where}：{line}{zh(got)}"
    return None


def _place_in_zh(place: str) -> str:
    """'paragraph 2' -> '第2段'; 'deck', 'headline', 'kicker' -> their names."""
    got = re.fullmatch(r"paragraph (\d+)", place)
    return f"第{got.group(1)}段" if got else _PLACE_WORDS.get(place, place)


def _jump_to_zh(to: str) -> str:
    """'page 3 (jump: 3)' -> '第3版'; 'a later page' -> '后面的版面'."""
    got = re.match(r"page (\d+)", to)
    return f"第{got.group(1)}版" if got else "后面的版面"


def _patterns():
    """(code, compiled English pattern, Chinese template taking the match and the issue)."""
    S = story_title
    pats = [
        ("overset", r"story '(?P<id>[^']+)' overset: (?P<lines>\d+) lines, (?P<chars>\d+) characters do not fit "
                    r"its module \((?P<cell>[^)]*)\)",
         lambda m, i: f"{S(i, m['id'])}超版：{m['lines']} 行、{m['chars']} 字排不下（{_cell_zh(m['cell'])}）"),
        ("headline-fit", r"headline of '(?P<id>[^']+)' does not fit (?P<n>\d+) line\(s\) even at its minimum size",
         lambda m, i: f"{S(i, m['id'])}的标题在最小字号下仍排不进 {m['n']} 行"),
        ("photo-fit", r"photo of story '(?P<id>[^']+)' does not fit its module \((?P<cell>[^)]*)\): it needs "
                      r"(?P<need>\d+) lines, the text area has (?P<have>\d+); photo and caption left out",
         lambda m, i: f"{S(i, m['id'])}的图片放不进所在模块（{_cell_zh(m['cell'])}）：需要 {m['need']} 行，"
                      f"文字区只有 {m['have']} 行；图片和图说未排"),
        ("missing-photo", r"photo '(?P<file>[^']*)' of story '(?P<id>[^']+)' is not on file; its frame is kept "
                          r"and marked",
         lambda m, i: f"{S(i, m['id'])}的图片 {m['file']} 缺失：保留图框并标出"),
        ("jump", r"story '(?P<id>[^']+)' jumps to page (?P<p>\d+), which comes before it: its rest is overset",
         lambda m, i: f"{S(i, m['id'])}转至第{m['p']}版，但该版在前：余文超版"),
        ("missing-glyph", r"no font in (?:the '(?P<chain>[^']+)' chain|the fallback chain) can set (?P<ch>'.+?'|\".+?\") "
                          r"\((?P<cp>U\+[0-9A-F]+)\)(?:: left blank (?:(?P<n>\d+) times )?in (?P<owner>\S+) "
                          r"\((?P<role>[^)]*)\)| \(in copy not on any page\))?",
         lambda m, i: f"缺字：{m['ch'][1:-1]}（{m['cp']}）没有字体可排" + (
             f"，{_owner_zh(i, m['owner'])}{_ROLE_ZH.get(m['role'], m['role'])}中留空 {m['n'] or 1} 处"
             if m['owner'] else "")),
        ("lunar-date", r"the issue says '(?P<said>[^']*)' but (?P<date>\S+) is '(?P<is>[^']*)'",
         lambda m, i: f"报头写作“{m['said']}”，但 {m['date']} 是“{m['is']}”"),
        ("weekday", r"the issue says '(?P<said>[^']*)' but (?P<date>\S+) is a (?P<is>.+)",
         lambda m, i: f"报头写作“{m['said']}”，但 {m['date']} 是{m['is']}"),
        ("ear", r"no room in the masthead band for (?P<n>\d+) ear item\(s\) on a (?P<c>\d+)-column grid",
         lambda m, i: f"报头区放不下 {m['n']} 个报眼（{m['c']} 栏网格）"),
        ("proof-repeat", r"校对提示: '(?P<text>[^']*)': the word '(?P<word>[^']*)' twice running",
         lambda m, i: f"校对提示：“{m['text']}”中“{m['word']}”连续出现两次（未改动，请核对原稿）"),
        ("missing-qr", r"ear item '(?P<label>[^']*)': QR payload not on file; a marked frame stands in",
         lambda m, i: f"报眼“{m['label']}”的二维码内容缺失：以标记框代替"),
        ("missing-editor", r"page (?P<p>\d+): the style prints (?P<roles>\S+) on every page but the plan gives no name",
         lambda m, i: f"第{m['p']}版：版式要求每版署{m['roles']}，版面计划未给出姓名"),
        ("missing-licence", r"the style prints the 准印证号 on page 1 but the issue gives no masthead.licence",
         lambda m, i: "版式要求第1版印准印证号，本期未给出（masthead.licence）"),
        ("missing-imprint", r"the style prints the imprint's (?P<fields>\S+) on page (?P<p>\d+) but the issue lacks them",
         lambda m, i: f"版式要求第{m['p']}版报尾印{m['fields']}，本期未给出"),
        ("teaser", r"no room in the masthead band for the teaser box",
         lambda m, i: "报头区放不下导读框"),
        ("awaiting-copy", r"page (?P<p>\d+): space reserved for '(?P<title>[^']*)' awaits copy \(capacity about "
                          r"(?P<c>\d+) characters(?:, across pages (?P<a>\d+)-(?P<b>\d+))?\)",
         lambda m, i: f"第{m['p']}版为“{m['title']}”预留的版面待稿（约可容 {m['c']} 字"
                      + (f"，跨第{m['a']}-{m['b']}版通版" if m['a'] else "") + "）"),
        ("small-text", r"(?P<n>\d+) line\(s\) of (?P<role>\S+) text \((?P<owner>[^)]*)\) set at (?P<s>[\d.]+) pt, "
                       r"under (?P<min>[\d.]+) pt",
         lambda m, i: f"{_owner_zh(i, m['owner'])}有 {m['n']} 行{_ROLE_ZH.get(m['role'], m['role'])}字号 "
                      f"{m['s']} pt，小于 {m['min']} pt"),
        ("thin-rule", r"(?P<n>\d+) rule\(s\) or frame\(s\) (?P<w>[\d.]+) pt wide, under (?P<min>[\d.]+) pt",
         lambda m, i: f"{m['n']} 条线或框线宽 {m['w']} pt，细于 {m['min']} pt（新闻纸上可能印不出）"),
        ("colour-tac", r"colour '(?P<name>[^']+)' \((?P<v>[^)]*)\) covers (?P<t>[\d.]+)%, over the (?P<l>[\d.]+)% "
                       r"limit \([^)]*\); printed as (?P<cc>.+)",
         lambda m, i: f"颜色“{m['name']}”（{m['v']}）总墨量 {m['t']}%，超过 {m['l']}% 上限；按 {m['cc']} 输出"),
        ("rich-black", r"colour '(?P<name>[^']+)' \((?P<v>[^)]*)\) is a four-colour black",
         lambda m, i: f"颜色“{m['name']}”（{m['v']}）是四色黑：其中的文字和线条只用 K 印"),
        ("black-not-k", r"colour 'black' is (?P<v>.+?); black for print should be K 100 only",
         lambda m, i: f"“black”颜色为 {m['v']}：印刷用黑应只用 K 100"),
        ("photo-unreadable", r"photo '(?P<name>[^']*)' of '(?P<owner>[^']*)' cannot be read \((?P<err>.*)\); "
                             r"a marked placeholder stands in",
         lambda m, i: f"{_owner_zh(i, m['owner'])}的图片 {m['name']} 无法读取（{m['err']}）：以标记框代替"),
        ("photo-resolution", r"photo '(?P<name>[^']*)' of '(?P<owner>[^']*)': (?P<ppi>\d+) ppi at its printed size "
                             r"\((?P<px>\S+) px over (?P<mm>\S+) mm\); at least (?P<want>\d+) ppi wanted",
         lambda m, i: f"{_owner_zh(i, m['owner'])}的图片 {m['name']} 按印刷尺寸只有 {m['ppi']} ppi"
                      f"（{m['px']} 像素印 {m['mm']} 毫米），至少需要 {m['want']} ppi"),
        ("photo-converted", r"photo '(?P<name>[^']*)' converted (?P<how>.+) for print",
         lambda m, i: f"图片 {m['name']} 已为印刷转换（{m['how']}）"),
        ("photo-downsampled", r"photo '(?P<name>[^']*)' resampled from (?P<a>\d+) to (?P<b>\d+) ppi",
         lambda m, i: f"图片 {m['name']} 已从 {m['a']} ppi 重采样为 {m['b']} ppi"),
        ("photo-tac", r"photo '(?P<name>[^']*)': (?P<p>[\d.]+)% of its pixels covered up to (?P<m>\d+)%, over the "
                      r"(?P<l>[\d.]+)% limit; clipped to (?P<x>\d+)%",
         lambda m, i: f"图片 {m['name']}：{m['p']}% 的像素墨量高达 {m['m']}%，超过 {m['l']}% 上限，已压到 {m['x']}%"),
        ("underfull", r"page (?P<p>\d+): (?P<lines>\d+) lines x (?P<cols>\d+) columns empty \((?P<cell>[^)]*)\), "
                      r"about (?P<chars>[\d,]+) characters more copy wanted",
         lambda m, i: f"第{m['p']}版空白 {m['lines']} 行 × {m['cols']} 栏（{_cell_zh(m['cell'])}），约缺稿 {m['chars']} 字"),
        ("module-white", r"page (?P<p>\d+): module '(?P<id>[^']+)' \((?P<cell>[^)]*)\) ends (?P<lines>\d+) line\(s\) x "
                         r"(?P<cols>\d+) columns short of its foot, about (?P<chars>[\d,]+) characters more copy wanted",
         lambda m, i: f"第{m['p']}版{S(i, m['id'])}（{_cell_zh(m['cell'])}）底部空 {m['lines']} 行 × {m['cols']} 栏，"
                      f"约缺稿 {m['chars']} 字"),
        ("overfull", r"(?:page (?P<p>\d+)|pages (?P<a>\d+)-(?P<b>\d+)): copy over by (?P<lines>\d+) line\(s\): "
                     r"(?P<cuts>.+); or jump '(?P<id>[^']+)' \((?P<n>\d+) lines over\) to (?P<to>.+)",
         lambda m, i: (f"第{m['p']}版" if m['p'] else f"第{m['a']}–{m['b']}版") + f"稿件超出 {m['lines']} 行："
                      + "，".join(f"{S(i, sid)}删 {n} 行" for n, sid in re.findall(r"cut (\d+) from '([^']+)'", m['cuts']))
                      + f"；或将{S(i, m['id'])}（超 {m['n']} 行）转至"
                      + _jump_to_zh(m['to'])),
        ("vertical-headline", r"the vertical headline block of '(?P<id>[^']+)' needs (?P<k>\d+) of the module's "
                              r"(?P<cols>\d+) column\(s\) \((?P<cell>[^)]*)\); set across the top instead",
         lambda m, i: f"{S(i, m['id'])}的竖排标题需占模块 {m['cols']} 栏中的 {m['k']} 栏（{_cell_zh(m['cell'])}）：改为横排在上"),
        ("wrap-level", r"story '(?P<id>[^']+)': its columns end (?P<n>\d+) lines apart \(lines per column (?P<ends>[^)]*)\): "
                       r"the copy is too short for its wrapped photo's place \(story lines (?P<lines>[\d-]+)\)",
         lambda m, i: f"{S(i, m['id'])}各栏相差 {m['n']} 行未齐底（每栏行数 {m['ends']}）：稿件不够绕图的位置"
                      f"（正文第 {m['lines']} 行）"),
        ("masthead-lines", r"the style's masthead.lines \((?P<lines>\d+)\) cannot hold the masthead at its sizes: "
                           r"(?P<need>\d+) lines used",
         lambda m, i: f"样式的 masthead.lines（{m['lines']} 行）按其字号排不下报头：实用 {m['need']} 行"),
        ("missing-ad", r"page (?P<p>\d+): ad '(?P<file>[^']*)' \((?P<size>[^)]*)\) is not on file; its frame is kept and marked",
         lambda m, i: f"第{m['p']}版广告 {m['file']}（{m['size']}）缺失：保留广告框并标出"),
        ("ad-resolution", r"page (?P<p>\d+): ad '(?P<file>[^']*)' is (?P<ppi>\d+) ppi at its booked size, under the "
                          r"(?P<min>[\d.]+) ppi the style asks for",
         lambda m, i: f"第{m['p']}版广告 {m['file']} 按预订尺寸只有 {m['ppi']} ppi，低于样式要求的 {m['min']} ppi"),
        ("composition", r"(?P<where>story [^:]+?): (?:line '(?P<line>[^']*)': )?(?P<note>.+)", _composition_zh),
        ("proof-unmatched", r"校对提示: '(?P<ch>.)' closes nothing opened before it in (?P<place>[^:]+): …(?P<ctx>.*?)"
                            r"(?: \(story [^)]*\))?$",
         lambda m, i: f"校对提示：「{m['ch']}」在{_place_in_zh(m['place'])}前面没有对应的开符号：…{m['ctx']}"),
        ("proof-unmatched", r"校对提示: '(?P<ch>.)' is not closed in (?P<place>[^:]+): (?P<ctx>.*?)(?: \(story [^)]*\))?$",
         lambda m, i: f"校对提示：「{m['ch']}」在{_place_in_zh(m['place'])}中没有闭合：{m['ctx']}"),
        ("proof-unmatched", r"校对提示: an odd number of straight quotes \(\"\) in (?P<place>.+?)(?: \(story [^)]*\))?$",
         lambda m, i: f"校对提示：{_place_in_zh(m['place'])}中直引号（\"）个数为奇数"),
        ("proof-mixed-punct", r"校对提示: half- and full-width punctuation mixed in the story: (?P<n>\d+) ASCII mark\(s\) "
                              r"beside Chinese text \(first '(?P<mark>[^']*)' in (?P<place>[^:]+): …(?P<ctx>.*)\), "
                              r"(?P<full>\d+) full-width",
         lambda m, i: f"校对提示：全角、半角标点混用：中文旁有 {m['n']} 个半角标点（首个“{m['mark']}”在"
                      f"{_place_in_zh(m['place'])}：…{m['ctx']}），全角 {m['full']} 个"),
        ("proof-number", r"校对提示: digits in both full width \('(?P<full>[^']*)' in (?P<pf>[^)]*)\) and half width "
                         r"\('(?P<half>[^']*)' in (?P<ph>[^)]*)\) in one story",
         lambda m, i: f"校对提示：同一稿中数字全角（{_place_in_zh(m['pf'])}“{m['full']}”）与半角"
                      f"（{_place_in_zh(m['ph'])}“{m['half']}”）混用"),
        ("proof-number", r"校对提示: the number (?P<n>\d+) written two ways: '(?P<a>[^']*)' \((?P<pa>[^)]*)\) and "
                         r"'(?P<c>[^']*)' \((?P<pc>[^)]*)\); GB/T 15835 asks for one form",
         lambda m, i: f"校对提示：数字 {m['n']} 有两种写法：“{m['a']}”（{_place_in_zh(m['pa'])}）与“{m['c']}”"
                      f"（{_place_in_zh(m['pc'])}）；GB/T 15835 要求统一"),
        ("stacked", r"page (?P<p>\d+): (?P<n>\d+) full-width modules besides the lead \(千层饼\): no make-up sets "
                    r"(?P<ids>.+?) side by side with level columns; lengthen or cut one of them, or add a photo"
                    r"(?: \(side by side in (?P<a>\d+) \+ (?P<b>\d+) columns, '(?P<short>[^']+)' wants about "
                    r"(?P<add>[\d,]+) characters more or '(?P<long>[^']+)' about (?P<cut>[\d,]+) fewer\))?",
         lambda m, i: f"第{m['p']}版：头条之外有 {m['n']} 个通栏模块（千层饼）："
                      + "、".join(S(i, sid) for sid in re.findall(r"'([^']+)'", m['ids']))
                      + "并排无法齐底；请增删其中一篇的稿件，或加图"
                      + (f"（按 {m['a']} + {m['b']} 栏并排：{S(i, m['short'])}约需增加 {m['add']} 字，"
                         f"或{S(i, m['long'])}约删 {m['cut']} 字）" if m['a'] else "")),
    ]
    out: dict[str, list] = {}
    for code, p, f in pats:
        out.setdefault(code, []).append((re.compile(p), f))
    return out


_BY_CODE = _patterns()


def message_zh(code: str, message: str, issue) -> str | None:
    """The finding's message in Chinese, or None when its pattern does not read it."""
    for pattern, zh in _BY_CODE.get(code, ()):
        m = pattern.match(message)
        if m:
            got = zh(m, issue)
            if got is not None:
                return got
    return None


def finding_text(f: dict, issue) -> dict:
    """{"zh": {title, message, where}, "en": {…}} for one finding as the JSON report has it."""
    code, message, where = f.get("code", ""), f.get("message", ""), f.get("where") or ""
    title = CHECK_ZH.get(code, code)
    zh = message_zh(code, message, issue)
    if zh is None:                 # no pattern reads it: the check's name, then the English as written,
        # with stories named by their headlines rather than their ids
        named = re.sub(r"\bstory '?([\w.-]+)'?", lambda m: story_title(issue, m.group(1)), message)
        zh = f"{title}：{_cell_zh(named)}"
    return {"zh": {"title": title, "message": zh, "where": place_zh(where, issue)},
            "en": {"title": code, "message": message, "where": where}}
