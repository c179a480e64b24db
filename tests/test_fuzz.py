"""Corrupted issues and style sheets: never an internal error, a traceback, a hang or a lost PDF.

Issue 1640 and the house style are mutated the way files really break: keys deleted,
duplicated, misspelt or given a value of the wrong type; files cut short; numbers huge,
negative or not numbers; text too long, with control characters, lone surrogates or bytes
that are not UTF-8; lines dropped, doubled or shifted. Each mutation is rendered over a good
PDF written first, and must end in a render (exit 0), or one line of bad input (exit 2), or,
under --strict, preflight errors (exit 1): never exit 3, never "Traceback", never longer than
HANG_GUARD seconds, and after a refusal the good PDF is byte for byte what it was.

The mutations are made from a fixed seed (the same ones every run). They run in process
through render.main() (fast: no interpreter start per case), each under a SIGALRM guard;
a sample runs again as real processes, for the exit codes as a shell sees them.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import random
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

import render as render_cli

ROOT = Path(__file__).resolve().parent.parent
ISSUE = ROOT / "issues" / "1640" / "issue.yaml"
STYLE = ROOT / "styles" / "kecheng.yaml"
SEED = 13
ISSUE_CASES = 300
STYLE_CASES = 240
SUBPROCESS_SAMPLE = 24
HANG_GUARD = 20                 # seconds: a render of issue 1640 takes a fraction of one

# --------------------------------------------------------------------------- mutations

WEIRD_TEXT = ["\x07", "\x1b[31m", "\u200b", "\ufeff", "\u2028", "\x85", "\U0001F600", "\U00017000",
              "𠀀", "‮", "\t", "\\", "'", '"', "{", "[", ": ", "# ", "&a", "*a", "!!python/object:os.system",
              "%", "@", "`", "|", ">"]
HUGE_NUMBERS = [10**30, -10**30, 1e308, -1e308, 2**63, -1, 0, 0.0001, 1e-300, 999999999, ".inf", ".nan", "-.inf"]


class Case:
    """One corrupted file (`kind` issue or style) and any files beside it (e.g. a photo)."""

    def __init__(self, kind: str, what: str, data: bytes, strict: bool = False,
                 files: dict[str, bytes] | None = None):
        self.kind, self.what, self.data, self.strict = kind, what, data, strict
        self.files = files or {}

    def __repr__(self) -> str:
        return f"<{self.kind}: {self.what}>"


def _paths(node, path=()):
    """Every (path, value) of a parsed YAML tree."""
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, path + (i,))


def _get(node, path):
    for p in path:
        node = node[p]
    return node


def _random_value(rng: random.Random):
    pick = rng.randrange(12)
    if pick == 0:
        return rng.choice(HUGE_NUMBERS)
    if pick == 1:
        return None
    if pick == 2:
        return rng.choice([True, False])
    if pick == 3:
        return []
    if pick == 4:
        return {}
    if pick == 5:
        return [rng.choice(HUGE_NUMBERS), "字"]
    if pick == 6:
        return {"x": 1, "y": [2]}
    if pick == 7:
        return "字" * rng.choice([1, 24, 501, 5000, 25_000])
    if pick == 8:
        return "".join(rng.choice(WEIRD_TEXT) for _ in range(rng.randint(1, 4)))
    if pick == 9:
        return rng.choice(["", " ", "12pt", "3mm", "-5mm", "1e9pt", "五号", "小八", "1-6", "6-1", "0-0",
                           "2020-02-30", "9999-01-01", "kecheng", "../../etc/passwd", "/dev/zero"])
    if pick == 10:
        return dt.date(rng.choice([1, 1899, 2020, 9999]), 1, 1)
    return rng.uniform(-1e6, 1e6)


def _tree_mutation(tree, rng: random.Random) -> str:
    """Mutate one place of the parsed tree in place; returns what was done."""
    places = list(_paths(tree))[1:]
    path, value = rng.choice(places)
    parent = _get(tree, path[:-1])
    key = path[-1]
    op = rng.randrange(7)
    where = ".".join(str(p) for p in path)
    if op == 0:                                      # delete
        del parent[key]
        return f"delete {where}"
    if op == 1:                                      # retype
        parent[key] = _random_value(rng)
        return f"retype {where} = {str(parent[key])[:30]!r}"
    if op == 2 and isinstance(parent, dict):         # misspell / unknown key
        new = str(key)[:-1] + rng.choice("xyz_") if len(str(key)) > 1 else "zz"
        parent[new] = parent.pop(key)
        return f"rename {where} -> {new}"
    if op == 3 and isinstance(parent, list):         # duplicate a list item
        parent.insert(key, value)
        return f"duplicate {where}"
    if op == 4 and isinstance(value, (list, dict)):  # empty a container
        parent[key] = type(value)()
        return f"empty {where}"
    if op == 5 and isinstance(value, str):           # damage text
        cut = rng.randrange(len(value) + 1)
        parent[key] = value[:cut] + rng.choice(WEIRD_TEXT) * rng.choice([1, 3, 500]) + value[cut:]
        return f"text {where}"
    if op == 6 and isinstance(value, (int, float)) and not isinstance(value, bool):
        parent[key] = rng.choice(HUGE_NUMBERS)
        return f"number {where} = {parent[key]!r}"
    parent[key] = _random_value(rng)
    return f"retype {where} = {str(parent[key])[:30]!r}"


def _text_mutation(text: str, rng: random.Random) -> tuple[bytes, str]:
    """Mutate the file as text or bytes."""
    lines = text.splitlines(keepends=True)
    op = rng.randrange(8)
    i = rng.randrange(len(lines))
    if op == 0:
        cut = rng.randrange(len(text.encode("utf-8")))
        return text.encode("utf-8")[:cut], f"truncated at byte {cut}"
    if op == 1:
        del lines[i]
        return "".join(lines).encode("utf-8"), f"line {i + 1} deleted"
    if op == 2:
        lines.insert(i, lines[i])
        return "".join(lines).encode("utf-8"), f"line {i + 1} doubled (a duplicate key)"
    if op == 3:
        lines[i] = rng.choice([" ", "  ", "\t", ""]) + lines[i].lstrip(" ") if rng.random() < 0.5 else " " + lines[i]
        return "".join(lines).encode("utf-8"), f"line {i + 1} shifted"
    if op == 4:
        raw = bytearray(text.encode("utf-8"))
        at = rng.randrange(len(raw))
        raw[at:at] = rng.choice([b"\xff", b"\xc3", b"\xe5\x9b", b"\x00", b"\xef\xbb\xbf", b"\x1b", b"\x7f"])
        return bytes(raw), f"bad bytes at {at}"
    if op == 5:
        cut = rng.randrange(len(lines[i]) + 1)
        lines[i] = lines[i][:cut] + rng.choice(WEIRD_TEXT) + lines[i][cut:]
        return "".join(lines).encode("utf-8"), f"line {i + 1}: odd character"
    if op == 6:
        return text.encode("utf-16"), "saved as UTF-16"
    j = rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines).encode("utf-8"), f"lines {i + 1} and {j + 1} swapped"


LENGTHS = ["0.01pt", "0.5pt", "3pt", "0", "-3mm", "1e4mm", "400pt", "401pt", "2em", "1000Q", "13.5", "五号",
           "100mm", "5000mm", "0.001mm"]


def _tiny_png() -> bytes:
    from PIL import Image
    buf = io.BytesIO()
    Image.new("L", (40, 30), 128).save(buf, "PNG")
    return buf.getvalue()


def _flat(size: tuple[int, int], fmt: str, **kw) -> bytes:
    """A one-tone image of `size` (cheap to make at any size: it compresses to almost nothing)."""
    from PIL import Image
    buf = io.BytesIO()
    Image.new("L", size, 128).save(buf, fmt, **kw)
    return buf.getvalue()


def _issue_semantic(tree, rng: random.Random) -> tuple[str, dict[str, bytes]]:
    """Slips an editor makes in what the fields mean (the cases issue 13 found by hand)."""
    op = rng.randrange(8)
    stories = tree["stories"]
    story = rng.choice(stories)
    if op == 0:            # a run of ideographs with no word break, in a text field
        field = rng.choice(["headline", "deck", "kicker", "dateline"])
        story[field] = rng.choice("字的龘") * rng.choice([24, 60, 200, 500])
        return f"ideographs {story['id']}.{field} x{len(story[field])}", {}
    if op == 1:            # a body of subheads only (or a subhead first, last)
        where = rng.choice(["only", "first", "last"])
        sub = {"subhead": "小标题"}
        story["body"] = ([sub, dict(sub)] if where == "only" else
                         [sub] + story["body"] if where == "first" else story["body"] + [sub])
        return f"subheads {where} in {story['id']}", {}
    if op == 2:            # a QR payload, long or short
        ear = tree["masthead"]["ear"][rng.randrange(2)]
        ear["payload"] = "https://example.org/" + "x" * rng.choice([10, 1000, 2500, 3980])
        return f"qr payload of {len(ear['payload'])}", {}
    if op == 3:            # many reserved pages
        n = rng.choice([30, 200, 999, 1000])
        tree["pages"] += [{"number": k, "modules": [{"reserved": f"第{k}版"}]} for k in range(5, n + 1)]
        return f"pages to {n}", {}
    if op == 4:            # many unknown keys in one mapping
        target = rng.choice([tree, tree["masthead"], story, tree["pages"][0]])
        for k in range(rng.choice([3, 2000, 60_000])):
            target[f"junk{k}"] = k
        return f"unknown keys x{k + 1}", {}
    if op == 5:            # a long teaser title
        tree["teaser"]["items"][0]["title"] = rng.choice("字的") * rng.choice([24, 100, 500])
        return "teaser title", {}
    if op == 6:            # the photo on file, but damaged, huge or not an image
        name, data = rng.choice([
            ("awards.jpg", _flat((10_000, 10_000), "JPEG", quality=30)[:5000]),     # cut short
            ("awards.jpg", b"not a photo\n" * 100),
            ("awards.jpg", _flat((10_000, 10_000), "JPEG", quality=30)),
            ("awards.jpg", _flat((6000, 6000), "JPEG", quality=30, progressive=True)),
            ("awards.png", _flat((6000, 6000), "PNG")),
            ("awards.png", _tiny_png()),
            ("awards.jpg", b""),
        ])
        tree["stories"][0]["photo"]["file"] = f"photos/{name}"
        return f"photo {name} of {len(data)} bytes", {f"photos/{name}": data}
    # an area or a jump that is out of its range
    module = rng.choice(tree["pages"][0]["modules"])
    if rng.random() < 0.5:
        module["area"] = {"columns": rng.choice(["1-6", "0-3", "6-1", "1-99", 7, "1-10000"]),
                          "lines": rng.choice(["1-82", "10-20", "80-200", 0, "10-10"])}
        return f"area {module['area']}", {}
    module["jump"] = rng.choice([0, 1, 2, 5, 999, -1])
    return f"jump {module['jump']}", {}


def _style_semantic(tree, rng: random.Random) -> tuple[str, dict[str, bytes]]:
    """Geometry a press cannot print, and files that are not what the style says."""
    op = rng.randrange(5)
    if op == 0:            # a length in the page or the grid
        section, key = rng.choice([("page", "bleed"), ("page", "margin_top"), ("page", "margin_bottom"),
                                   ("grid", "body_size"), ("grid", "line_pitch")])
        tree[section][key] = rng.choice(LENGTHS)
        return f"{section}.{key} = {tree[section][key]}", {}
    if op == 1:            # the trim
        tree["page"]["trim"] = [rng.choice(LENGTHS), rng.choice(LENGTHS + ["420mm"])]
        return f"trim {tree['page']['trim']}", {}
    if op == 2:            # a role's size, minimum or leading
        role = rng.choice(list(tree["roles"]))
        key = rng.choice(["size", "min_size", "leading"])
        tree["roles"][role][key] = rng.choice(LENGTHS + [0.1, 3.9, 4.1])
        return f"roles.{role}.{key} = {tree['roles'][role][key]}", {}
    if op == 3:            # columns and characters
        key = rng.choice(["columns", "column_chars", "gutter_chars"])
        tree["grid"][key] = rng.choice([0, 1, 3, 20, 21, 200, 10**9])
        return f"grid.{key} = {tree['grid'][key]}", {}
    # the press's profile: not a profile, an RGB one, missing, a folder
    name, data = rng.choice([("press.icc", b"ICC? no.\n" * 50), ("press.icc", b""), ("press.icc", None),
                             ("fonts", None)])
    tree.setdefault("print", {})["output_profile"] = name
    tree["print"]["standard"] = rng.choice(["x1a", "x4"])
    return f"output_profile {name}", ({name: data} if data is not None else {})


def _dump(tree) -> str:
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, width=10_000)


def cases() -> list[Case]:
    rng = random.Random(SEED)
    issue_text = ISSUE.read_text(encoding="utf-8")
    style_text = STYLE.read_text(encoding="utf-8").replace("../fonts/", f"{ROOT / 'fonts'}/")
    out: list[Case] = []
    for kind, text, n in (("issue", issue_text, ISSUE_CASES), ("style", style_text, STYLE_CASES)):
        base = yaml.safe_load(text)
        for _ in range(n):
            files: dict[str, bytes] = {}
            roll = rng.random()
            if roll < 0.3:
                tree = yaml.safe_load(_dump(base))
                what, files = (_issue_semantic if kind == "issue" else _style_semantic)(tree, rng)
                data = _dump(tree).encode("utf-8")
            elif roll < 0.7:
                tree = yaml.safe_load(_dump(base))
                whats = [_tree_mutation(tree, rng) for _ in range(rng.choice([1, 1, 1, 2, 3]))]
                try:
                    data = _dump(tree).encode("utf-8", "surrogatepass")
                except yaml.YAMLError:
                    continue
                what = "; ".join(whats)
            else:
                data, what = _text_mutation(text, rng)
            out.append(Case(kind, what, data, strict=rng.random() < 0.1, files=files))
    out += _copy_cases(yaml.safe_load(issue_text), rng)
    return out


#: Copy of the kinds issue 20 names: runs too long for any measure, characters that share a
#: glyph or take none (the text layer), a dateline over subheads.
HARD_COPY = ["https://www.kecheng.gov.cn/" + "a/" * 60 + "index.html", "x" * 200, "9" * 101, "、" * 80,
             "（）" * 60, "⼀一" * 20, "软\u00ad连\u00ad字" * 10, "零\u200b宽" * 20, "字" * 120]


def _copy_cases(base, rng: random.Random, n: int = 40) -> list[Case]:
    """The issue with one field of its copy replaced by, or run into, hard copy."""
    out = []
    for _ in range(n):
        tree = yaml.safe_load(_dump(base))
        story = rng.choice(tree["stories"])
        text = rng.choice(HARD_COPY)
        field = rng.choice(["headline", "deck", "dateline", "body", "body-subhead-first"])
        if field == "body":
            story["body"][rng.randrange(len(story["body"]))] = "【测试稿】" + text
        elif field == "body-subhead-first":
            story["body"].insert(0, {"subhead": "【测试稿】" + text[:40]})
        else:
            story[field] = "【测试稿】" + text
        out.append(Case("issue", f"hard copy in {story['id']}.{field}: {text[:12]!r}…",
                        _dump(tree).encode("utf-8"), strict=rng.random() < 0.2))
    return out


CASES = cases()

# --------------------------------------------------------------------------- running them


class _Hung(BaseException):          # not an Exception: render.main must not catch it
    pass


def _alarm(signum, frame):
    raise _Hung()


def _argv(case: Case, work: Path, out: Path) -> list[str]:
    f = work / ("issue.yaml" if case.kind == "issue" else "style.yaml")
    f.write_bytes(case.data)
    for name, data in case.files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_bytes(data)
    args = [str(f)] if case.kind == "issue" else [str(ISSUE), "--style", str(f)]
    return args + ["-o", str(out)] + (["--strict"] if case.strict else [])


def _check(case: Case, code: int, stdout: str, stderr: str, out: Path, good: bytes) -> None:
    label = f"{case!r}\n{stderr[-2000:]}"
    assert code in (0, 1, 2), label
    assert code != 1 or case.strict, label
    assert "Traceback" not in stdout + stderr and "internal error" not in stderr, label
    if code == 2:
        assert len(stderr.splitlines()) == 1 and stderr.startswith("error: "), label
    if code != 0:
        assert out.read_bytes() == good, f"the good PDF was touched: {label}"
        assert sorted(p.name for p in out.parent.iterdir()) == [out.name], label


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory) -> tuple[Path, bytes]:
    out = tmp_path_factory.mktemp("fuzz-out") / "good.pdf"
    assert render_cli.main(["1640", "-o", str(out)]) == 0
    (out.parent / "good-preflight.json").unlink()
    return out, out.read_bytes()


def test_the_mutations_are_many_and_varied():
    assert len(CASES) >= 500
    assert len({c.data for c in CASES}) >= 0.8 * len(CASES)  # nearly all distinct (UTF-16 is one file)
    kinds = {c.what.split()[0] for c in CASES}
    assert {"delete", "retype", "rename", "truncated", "bad", "text"} <= kinds
    assert cases()[17].data == CASES[17].data                # the same every run


# Mutations whose answer comes from work on another branch (issue 20): the headline, kicker,
# deck and teaser breaker by dynamic programming (a run of ideographs with no word break took
# minutes: combinations of break points) and a dateline kept when a subhead comes first (its
# characters were lost, exit 3). They are run apart, expected to fail until that work is in.
AWAITING_ISSUE_20 = ("ideographs", "teaser title", "subheads first")
OWN = [c for c in CASES if not c.what.startswith(AWAITING_ISSUE_20)]
AWAITING = sorted((c for c in CASES if c.what.startswith(AWAITING_ISSUE_20)),
                  key=lambda c: not c.what.startswith("subheads first"))      # the quick failure first


def _in_process(cases: list[Case], good_pdf, tmp_path, monkeypatch) -> dict[int, int]:
    """Every case through render.main(): a render, or a refusal in one line; never exit 3, a
    traceback or a hang; a refusal leaves the good PDF as it was.  Returns the exit codes' counts."""
    out, good = good_pdf
    monkeypatch.setenv("KECHENG_SUBSET_WORKER", "0")     # no worker process per case
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    old = signal.signal(signal.SIGALRM, _alarm)
    codes = {0: 0, 1: 0, 2: 0}
    try:
        for n, case in enumerate(cases):
            work = tmp_path / f"case{n}"
            work.mkdir()
            argv = _argv(case, work, out)
            so, se = io.StringIO(), io.StringIO()
            signal.alarm(HANG_GUARD)
            try:
                with contextlib.redirect_stdout(so), contextlib.redirect_stderr(se):
                    try:
                        code = render_cli.main(argv)
                    except SystemExit as e:
                        code = e.code if isinstance(e.code, int) else 2
            except _Hung:
                pytest.fail(f"no answer within {HANG_GUARD} s: {case!r}")
            finally:
                signal.alarm(0)
            _check(case, code, so.getvalue(), se.getvalue(), out, good)
            codes[code] += 1
            if code == 0:                                # a mutation that is still a good issue
                out.write_bytes(good)
                for extra in out.parent.iterdir():
                    if extra != out:
                        extra.unlink()
    finally:
        signal.signal(signal.SIGALRM, old)
    return codes


def test_corrupted_inputs_in_process(good_pdf, tmp_path, monkeypatch):
    codes = _in_process(OWN, good_pdf, tmp_path, monkeypatch)
    # both outcomes are exercised: the mutations are neither all harmless nor all fatal
    assert codes[2] > len(OWN) // 3 and codes[0] > 20, codes


def test_corrupted_headlines_and_subheads_in_process(good_pdf, tmp_path, monkeypatch):
    assert len(AWAITING) >= 20
    _in_process(AWAITING, good_pdf, tmp_path, monkeypatch)


def test_corrupted_inputs_as_processes(good_pdf, tmp_path):
    """A sample of the mutations as real runs of render.py: the same promises, as exit codes."""
    _, good = good_pdf
    sample = random.Random(SEED + 1).sample(OWN, SUBPROCESS_SAMPLE)

    def run(n_case):
        n, case = n_case
        work = tmp_path / f"p{n}"
        (work / "out").mkdir(parents=True)
        out = work / "out" / "good.pdf"
        out.write_bytes(good)
        env = {**os.environ, "TMPDIR": str(work), "PYTHONDONTWRITEBYTECODE": "1"}
        proc = subprocess.run([sys.executable, "render.py", *_argv(case, work, out)], cwd=ROOT,
                              capture_output=True, text=True, timeout=HANG_GUARD, env=env)
        return case, proc, out
    with ThreadPoolExecutor(max_workers=2) as pool:
        for case, proc, out in pool.map(run, enumerate(sample)):
            _check(case, proc.returncode, proc.stdout, proc.stderr, out, good)
