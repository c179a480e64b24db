"""Inputs that once broke a render (issue 20), as data a test or a fuzzer can draw on.

Each Case writes its files into a folder (`case.write(folder)` returns the issue's path) and
says what `render.py` must answer: `case.args(folder)` are the arguments (add `-o`),
`case.exit` the exit code, `case.stderr` a regex for the one error line (exit 2),
`case.probe` text the PDF's text layer must hold (exit 0), `case.secret` text no message may
echo. The fuzz test (tests/test_fuzz.py) adds them to its kinds with

    from safety_cases import ALL, damaged_fonts
    for case in ALL + damaged_fonts(ROOT):
        case.write(folder); run render.py *case.args(folder) -o folder/x.pdf; expect case.exit

HEADLINES: headlines, kickers and decks that took minutes (or never ended) to fit.
DATELINES: a dateline with subheads in every order. MESSAGES: control characters and `style:`
lines naming files that are no style. TEXT_LAYER: a glyph shared by two characters, and
default-ignorable characters. damaged_fonts(ROOT): the body face damaged four ways (built on
demand: 24 MB each). The output-path and concurrency kinds are command lines, not inputs:
tests/test_safety.py runs them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

BASE = """style: kecheng
masthead: {title: 今日柯城, date: 2020-03-16, number: 1640, publisher: 衢州市柯城区融媒体中心编印}
stories:
  - id: lead
    kicker: KICKER
    headline: HEADLINE
    deck: DECK
    body:
BODY
pages:
  - number: 1
    modules:
      - story: lead
"""
BODY = ["- 【测试稿】3月13日上午，区委召开经济工作会议暨“三个年”活动动员大会，全面部署全面小康决胜年、"
        "招商引资攻坚年、重大项目推进年“三个年”活动。",
        "- 【测试稿】区委副书记、代区长蒋国强主持，区委常委、常务副区长徐洪水部署“三个年”活动。"]
WORDS = "区委召开经济工作会议暨三个年活动动员大会全面部署全面小康决胜年招商引资攻坚年重大项目推进年活动"


def issue_text(headline: str = "【测试稿】区委经济工作会议召开", kicker: str = "", deck: str = "",
               body: list[str] | None = None, extra: str = "") -> str:
    """The base issue with its story's furniture and body replaced (YAML lines for `body`)."""
    text = BASE.replace("HEADLINE", headline).replace("BODY", "\n".join("      " + b for b in (body or BODY)))
    text = text.replace("    kicker: KICKER\n", f"    kicker: {kicker}\n" if kicker else "")
    text = text.replace("    deck: DECK\n", f"    deck: {deck}\n" if deck else "")
    return text + extra


@dataclass
class Case:
    name: str
    issue: str                          # the issue file's text
    exit: int = 0                       # what render.py must answer
    probe: str = ""                     # text the PDF's text layer must hold
    stderr: str = ""                    # a regex the one line on stderr must match (exit 2)
    secret: str = ""                    # text of a file beside the issue that must never be echoed
    files: dict[str, bytes] = field(default_factory=dict)   # more files beside the issue
    style: str = ""                     # a style file among `files`, passed as --style

    def args(self, folder: Path) -> list[str]:
        """render.py's arguments for the case written into `folder` (-o not included)."""
        return [str(folder / "issue.yaml")] + (["--style", str(folder / self.style)] if self.style else [])

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in self.files.items():
            (folder / name).write_bytes(data)
        path = folder / "issue.yaml"
        path.write_text(self.issue, encoding="utf-8")
        return path


def _furniture(name: str, text: str) -> list[Case]:
    return [Case(f"{name}-{role}", issue_text(**{role: text}), probe=text[:12])
            for role in ("headline", "kicker", "deck")]


HEADLINES = (_furniture("ideographs-24", "字" * 24)
             + _furniture("natural-100", ("【测试稿】" + WORDS * 3)[:100])
             + _furniture("natural-500", ("【测试稿】" + WORDS * 12)[:500]))


def _dated(body: list[str]) -> str:
    return issue_text(body=body).replace("    body:\n", "    dateline: 本报讯（记者 测试）\n    body:\n")


SUBHEAD, PARA1, PARA2 = "- {subhead: 【测试稿】一、小标题}", "- 【测试稿】正文第一段，全面部署。", "- 【测试稿】正文第二段。"
# `probe`: the dateline and what must follow it in the text layer
DATELINES = [
    Case("dateline-subhead-body", _dated([SUBHEAD, PARA1, PARA2]), probe="本报讯（记者测试）【测试稿】正文第一段"),
    Case("dateline-body-subhead-body", _dated([PARA1, SUBHEAD, PARA2]), probe="本报讯（记者测试）【测试稿】正文第一段"),
    Case("dateline-subhead-subhead-body", _dated([SUBHEAD, SUBHEAD.replace("一", "二"), PARA1]),
         probe="本报讯（记者测试）【测试稿】正文第一段"),
]

# a body of subheads alone has no paragraph for the dateline to run into: bad input (issue 13)
SUBHEADS_ONLY = Case("dateline-subheads-only", _dated([SUBHEAD, SUBHEAD.replace("一", "二")]), exit=2,
                     stderr=r"issue\.yaml:\d+:\d+: stories\[0\]\.body: the body holds only subheads")

SECRET = "PASSWORD-OF-THE-NIGHT-EDITOR swordfish 0123456789"
_styled = issue_text().replace("style: kecheng", "style: STYLE")
# bad YAML and bad `style:` lines: exit 2, located, and no file's content echoed
MESSAGES = [
    Case("control-character-in-a-value", issue_text(headline="【测试稿】区委\x01会议"), exit=2,
         stderr=r"issue\.yaml:5:\d+: unprintable character U\+0001"),
    Case("control-character-in-a-key", issue_text().replace("stories:", "sto\x7fries:"), exit=2,
         stderr=r"issue\.yaml:3:4: unprintable character U\+007F"),
    Case("style-names-a-text-file", _styled.replace("STYLE", "./notes.txt"), exit=2, files={"notes.txt": SECRET.encode()},
         stderr=r"issue\.yaml:1:8: style: './notes.txt' is not a style sheet", secret=SECRET[:12]),
    Case("style-names-text-saved-as-yaml", _styled.replace("STYLE", "notes.yaml"), exit=2,
         files={"notes.yaml": SECRET.encode()}, stderr=r"notes\.yaml:1:1: expected a mapping .*, got plain text$",
         secret=SECRET[:12]),
    Case("style-names-an-issue", _styled.replace("STYLE", "other.yaml"), exit=2,
         files={"other.yaml": issue_text().replace("style: kecheng", "style: " + SECRET.split()[0]).encode()},
         stderr=r"other\.yaml:1:1: not a style sheet", secret=SECRET[:12]),
]


# the text layer: a Kangxi radical drawn first (in the masthead) with the glyph of 一, and the
# two alternating in one headline line; default-ignorable characters in every role
KANGXI = Case("kangxi-radical-first", issue_text(
    headline="【测试稿】⼀一⼀一部署", body=["- 【测试稿】一是全面部署，一年一度，统一行动。", "- 【测试稿】第一，唯⼀。"]
).replace("publisher: 衢州市柯城区融媒体中心编印", "publisher: 衢州市柯城区融媒体中心⼀编印"))
IGNORABLES = "\u00ad\u200b\u200c\u200d\u2060\ufe00\ufeff"
SOFT = Case("default-ignorables", issue_text(
    headline="【测试稿】区委\u00ad经济\u200b工作会议召开", kicker="【测试稿】\u200d三个\ufe00年",
    body=["- 【测试稿】全面部署\u00ad全面小康决胜年\u200b、招商引资\u200d攻坚年、重大项目推进年\ufe0f“三个年”"
          "活动\u2060，Kecheng\u00adcity\u200cnews\ufeff。"]),
    probe="【测试稿】全面部署全面小康决胜年、招商引资攻坚年、重大项目推进年“三个年”活动，Kechengcitynews。")
TEXT_LAYER = [KANGXI, SOFT]


def _damaged(font: bytes, how: str) -> bytes:
    """The body face with its table directory or a table damaged."""
    import struct
    data = bytearray(font)
    count = struct.unpack(">H", data[4:6])[0]
    entry = next(12 + 16 * i for i in range(count) if data[12 + 16 * i:16 + 16 * i] == b"CFF ")
    offset = struct.unpack(">I", data[entry + 8:entry + 12])[0]
    if how == "cff-gone":            # the directory names another table: no outlines, cmap and hmtx fine
        data[entry:entry + 4] = b"XFF "
    elif how == "cff-bytes":         # a few bytes of the outlines changed
        data[offset + 4000:offset + 4008] = bytes(8)
    elif how == "truncated":
        del data[len(data) // 2:]
    elif how == "cff-moved":         # the directory points the outlines elsewhere
        data[entry + 8:entry + 12] = struct.pack(">I", offset + 4096)
    return bytes(data)


def damaged_fonts(root: Path) -> list[Case]:
    """The house style with its body face (song) replaced by a damaged copy: exit 2, naming
    the role, the file and the style line. Built on demand: each case holds a 24 MB face."""
    style = (root / "styles" / "kecheng.yaml").read_text(encoding="utf-8")
    style = style.replace("../fonts/NotoSerifCJKsc-Regular.otf", "body-face.otf")
    style = style.replace("../fonts/", f"{(root / 'fonts').as_posix()}/")
    font = (root / "fonts" / "NotoSerifCJKsc-Regular.otf").read_bytes()
    line = next(i for i, t in enumerate(style.splitlines(), 1) if "body-face.otf" in t)
    return [Case(f"font-{how}", issue_text(), exit=2, style="style.yaml",
                 files={"style.yaml": style.encode(), "body-face.otf": _damaged(font, how)},
                 stderr=rf"style\.yaml:{line}:\d+: fonts\.song: .*body-face\.otf: damaged font: {why}")
            for how, why in (("cff-gone", r"no outlines"), ("cff-bytes", r"table 'CFF ' does not match its checksum"),
                             ("truncated", r"table '.{4}' runs past the end of the file"),
                             ("cff-moved", r"table 'CFF ' (does not match its checksum|runs past the end)"))]


ALL: list[Case] = [*HEADLINES, *DATELINES, *MESSAGES, *TEXT_LAYER]     # and damaged_fonts(ROOT), built on demand
