"""The proof server (render.py --serve, layout/check/serve.py): a save shows on the open proof.

Each test serves a copy of issue 1640 (in tmp_path) on a free port of 127.0.0.1 and always shuts
the server down.  Waits are on events and conditions with generous limits, never fixed sleeps.
The browser tests use Debian's Chromium as tests/test_proof_browser.py does (skipped, with the
reason, where Playwright or Chromium is missing; KECHENG_REQUIRE_BROWSER=1 makes that a failure).
"""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from layout.check.serve import ProofServer
from layout.pipeline import render
from seed import ROOT
from test_proof import issue_copy  # noqa: F401  (a copy of issue 1640 in tmp_path)
from test_proof_browser import browser  # noqa: F401  (the Chromium fixture)
from test_proof_browser import until as _until

LEAD_WORDS = "区委召开经济工作会议暨“三个年”活动动员大会"        # in the lead's first paragraph
EDITED_WORDS = "区委召开经济工作会议暨“三个年”活动部署大会"


def _save(path: Path, text: str) -> None:
    """An editor's save: the whole new file at once (written beside it and renamed over it, so a
    poll never reads half a file), with a later modification time than the last save."""
    before = path.stat().st_mtime_ns
    tmp = path.with_name(f".{path.name}.saving")
    tmp.write_text(text, encoding="utf-8")
    if tmp.stat().st_mtime_ns <= before:
        os.utime(tmp, ns=(before + 1_000_000, before + 1_000_000))
    os.replace(tmp, path)


class Served:
    """A ProofServer running its watch loop in a thread; events read from its own stream."""

    def __init__(self, issue: Path, out: Path, **kw):
        self.out, self.err = io.StringIO(), io.StringIO()
        self.server = ProofServer(str(issue), None, out, port=0, out_stream=self.out, err_stream=self.err, **kw)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.server.run, kwargs={"stop": self.stop, "timeout": 300},
                                       daemon=True)
        self.events: list[tuple[str, dict]] = []
        self.seen = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.thread.start()

    def _read(self) -> None:
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", self.server.httpd.server_address[1], timeout=120)
        conn.request("GET", "/events")
        resp = conn.getresponse()
        event = None
        try:
            for raw in resp:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event:
                    with self.seen:
                        self.events.append((event, json.loads(line[6:])))
                        self.seen.notify_all()
                    event = None
        except OSError:
            pass
        finally:
            conn.close()

    def wait(self, cond, what: str, limit: float = 60.0):
        end = time.monotonic() + limit
        with self.seen:
            while True:
                for ev in self.events:
                    if cond(*ev):
                        return ev[1]
                left = end - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out waiting for {what}; events: "
                                         f"{[(e, d.get('generation'), d.get('stage')) for e, d in self.events]}; "
                                         f"stderr: {self.err.getvalue()}")
                self.seen.wait(left)

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.server.url + path.lstrip("/"), timeout=60) as r:
            return r.read()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(60)
        self.server.close()
        self.reader.join(30)
        assert not self.thread.is_alive()


@pytest.fixture
def served(issue_copy, tmp_path):
    s = Served(issue_copy, tmp_path / "out" / "1640.pdf")
    try:
        yield s
    finally:
        s.close()


def _stage(stage: str, gen: int):
    return lambda e, d: e == "pages" and d["stage"] == stage and d["generation"] == gen


# --------------------------------------------------------------------------- without a browser

def test_an_edit_redraws_only_its_page_screen_first_then_full(served, issue_copy, tmp_path):
    first = served.wait(_stage("full", 1), "the first full pass")
    assert first["changed"] == [1, 2, 3, 4] and [p["number"] for p in first["pages"]] == [1, 2, 3, 4]
    assert all(p["png"] == f"page-{p['number']}.png" for p in first["pages"])
    qr = next(i for i, f in enumerate(first["report"]["findings"]) if f["code"] == "missing-qr")
    assert len(first["report"]["findings"]) == 16 and first["report"]["texts"][qr]["zh"]["where"] == "报头 · 报眼"    # 6, 2 校对提示 (考核考核), the ragged dateline line, 6 furniture
    old = {p["number"]: p for p in first["pages"]}
    old_jpeg = served.get("screen/page-1.jpg")
    assert old_jpeg[:2] == b"\xff\xd8"

    text = issue_copy.read_text(encoding="utf-8")
    assert LEAD_WORDS in text
    _save(issue_copy, text.replace(LEAD_WORDS, EDITED_WORDS))
    screen = served.wait(_stage("screen", 2), "the screen pass of the edit")
    assert screen["changed"] == [1]                              # the other pages are the same
    new = {p["number"]: p for p in screen["pages"]}
    assert new[1]["png"] == "screen/page-1.jpg" and new[1]["v"] != old[1]["v"]
    assert all(new[n] == old[n] for n in (2, 3, 4))              # still their full images
    new_jpeg = served.get(f"screen/page-1.jpg?v={new[1]['v']}")
    assert new_jpeg[:2] == b"\xff\xd8" and new_jpeg != old_jpeg
    full = served.wait(_stage("full", 2), "the full pass of the edit")
    assert full["changed"] == [1]
    after = {p["number"]: p for p in full["pages"]}
    assert after[1]["png"] == "page-1.png" and after[1]["v"] != old[1]["v"]
    assert all(after[n]["v"] == old[n]["v"] for n in (2, 3, 4))
    # the print PDF is the one render.py writes for the same issue, byte for byte
    plain = render(str(issue_copy), tmp_path / "plain" / "1640.pdf")
    assert (tmp_path / "out" / "1640.pdf").read_bytes() == plain.pdf.read_bytes()
    import pypdf
    first_page = pypdf.PdfReader(tmp_path / "out" / "1640-proof" / "proof.pdf").pages[0].extract_text()
    assert "活动部署大会" in "".join(first_page.split())


def test_an_edit_re_searches_only_its_page(served, issue_copy, tmp_path):
    """The server's stats: the first render searches every page; a one-paragraph edit on page 1
    searches page 1 again and takes the kept make-ups of the others; a line added above the
    copy (every story moves down the file) searches nothing.  The pages are what a fresh
    layout of the same file makes."""
    import msgspec

    from layout.pipeline import load
    from layout.place.page import place_issue

    first = served.wait(_stage("screen", 1), "the first screen pass")
    # (1640's pages 2-3 are one spread: one make-up, named by its left page)
    assert first["stats"]["searched"] == [1, 2, 4] and first["stats"]["kept"] == []
    text = issue_copy.read_text(encoding="utf-8")
    _save(issue_copy, text.replace(LEAD_WORDS, EDITED_WORDS))
    edit = served.wait(_stage("screen", 2), "the screen pass of the edit")
    assert edit["stats"]["searched"] == [1] and edit["stats"]["kept"] == [2, 4]
    assert edit["changed"] == [1]
    _save(issue_copy, "# moved down a line\n" + text.replace(LEAD_WORDS, EDITED_WORDS))
    moved = served.wait(_stage("screen", 3), "the screen pass of the moved copy")
    assert moved["stats"]["searched"] == [] and moved["stats"]["kept"] == [1, 2, 4]
    assert moved["changed"] == []
    issue, style = load(str(issue_copy))
    fonts = served.server._fonts_for(style)
    kept = served.server.screen_result[2]
    fresh = place_issue(issue, style, fonts)
    assert msgspec.msgpack.encode(kept.pages) == msgspec.msgpack.encode(fresh.pages)
    assert kept.findings == fresh.findings


def test_an_edit_recomputes_only_its_storys_shapes(tmp_path, monkeypatch):
    """The page an edit touches is searched again, and only the edited story's shapes are made
    again (place/kept.py: KeptShapes): on a generated page of six stories (test copy), a cut
    in one story's first paragraph computes that story's shapes alone, and the page comes out
    as a fresh layout of the edited issue makes it, cell for cell and variant for variant."""
    import msgspec

    from layout.pipeline import _fonts, load
    from layout.place import variants
    from layout.place.kept import PageSearches
    from layout.place.page import place_issue
    from tools.gen_issue import generate

    path = generate(tmp_path, pages=1, stories_per_page=(6, 6), photos=True, seed=2, fill=0.95)
    issue, style = load(str(path))
    fonts = _fonts(style)
    searches = PageSearches()
    place_issue(issue, style, fonts, searches)
    story_id = sorted(issue.stories)[2]
    story = issue.stories[story_id]
    body = list(story.body)
    body[0] = msgspec.structs.replace(body[0], text=body[0].text[:-12] + "。")
    edited = msgspec.structs.replace(issue, stories={**issue.stories,
                                                     story_id: msgspec.structs.replace(story, body=body)})
    made = []
    original = variants.Variants._story

    def counted(self, slot, cols, lead, off=None):
        made.append(slot.story)
        return original(self, slot, cols, lead, off=off)

    monkeypatch.setattr(variants.Variants, "_story", counted)
    searches.begin()
    again = place_issue(edited, style, fonts, searches)
    assert searches.searched == [1] and made and set(made) == {story_id}
    monkeypatch.setattr(variants.Variants, "_story", original)
    fresh = place_issue(edited, style, fonts)
    assert msgspec.msgpack.encode(again.pages, enc_hook=str) == msgspec.msgpack.encode(fresh.pages, enc_hook=str)


def test_a_bad_edit_keeps_the_proof_and_says_where(served, issue_copy):
    served.wait(_stage("full", 1), "the first full pass")
    before = served.get("screen/page-1.jpg")
    good = issue_copy.read_text(encoding="utf-8")
    _save(issue_copy, good.replace("  number: 1640", "  number: [1640"))
    failed = served.wait(lambda e, d: e == "failed" and d["generation"] == 2, "the bad edit's error")
    assert failed["message"].startswith(f"{issue_copy}:") or "issue.yaml:" in failed["message"]
    assert "\n" not in failed["message"]
    assert served.get("screen/page-1.jpg") == before               # the old proof stays up
    assert "issue.yaml" in served.err.getvalue()
    _save(issue_copy, good)                                        # fixed: no page changed
    fixed = served.wait(_stage("screen", 3), "the render after the fix")
    assert fixed["changed"] == []


def test_notes_are_posted_saved_beside_the_issue_and_sent(served, issue_copy):
    served.wait(_stage("full", 1), "the first full pass")
    body = json.dumps({"add": {"page": 1, "x": 120.5, "y": 300, "text": "标题改为“部署大会”"}}).encode()
    req = urllib.request.Request(served.server.url + "notes", data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        notes = json.loads(r.read())["notes"]
    saved = json.loads((issue_copy.parent / "issue.notes.json").read_text(encoding="utf-8"))
    assert saved["notes"] == notes and saved["issue"] == 1640
    (note,) = notes
    assert (note["page"], note["x"], note["y"], note["text"]) == (1, 120.5, 300.0, "标题改为“部署大会”")
    assert note["time"].endswith("+08:00")                         # the paper's clock
    sent = served.wait(lambda e, d: e == "notes", "the notes event")
    assert sent["notes"] == notes
    for bad in ({"add": {"page": 9, "x": 1, "y": 1, "text": "x"}}, {"add": {"page": 1, "x": 1, "y": 1, "text": ""}},
                {"nothing": 1}):
        req = urllib.request.Request(served.server.url + "notes", data=json.dumps(bad).encode(), method="POST")
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(req, timeout=30)
        assert e.value.code == 400
    req = urllib.request.Request(served.server.url + "notes", data=json.dumps({"remove": note["id"]}).encode(),
                                 method="POST")
    with urllib.request.urlopen(req, timeout=30) as r:
        assert json.loads(r.read())["notes"] == []


def test_serves_only_its_own_files(served):
    served.wait(_stage("full", 1), "the first full pass")
    assert served.server.url.startswith("http://127.0.0.1:")
    assert served.server.httpd.server_address[0] == "127.0.0.1"
    assert served.get("page-1.png")[:8] == b"\x89PNG\r\n\x1a\n"
    assert served.get("print.pdf")[:5] == b"%PDF-"
    for path in ("../issue/issue.yaml", "%2e%2e/issue/issue.yaml", "1640.pdf", "screen/page-9.jpg"):
        with pytest.raises(urllib.error.HTTPError) as e:
            served.get(path)
        assert e.value.code == 404


def test_cli_serve_port_and_ctrl_c(issue_copy, tmp_path):
    """render.py --serve --port 0: prints its address, serves, and stops cleanly on Ctrl-C."""
    import signal

    proc = subprocess.Popen([sys.executable, str(ROOT / "render.py"), str(issue_copy), "--serve", "--port", "0",
                             "-o", str(tmp_path / "o" / "1640.pdf")], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert "at http://127.0.0.1:" in line, (line, proc.stderr.read() if proc.poll() is not None else "")
        url = line.split(" at ", 1)[1].split()[0]
        while "full:" not in (line := proc.stdout.readline()):
            assert line, proc.stderr.read()
        with urllib.request.urlopen(url, timeout=30) as r:
            page = r.read().decode("utf-8")
        assert '"serve":{"events":"events"' in page and "今日柯城" in page
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert "stopped watching" in out and "Traceback" not in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    bad = subprocess.run([sys.executable, str(ROOT / "render.py"), str(tmp_path / "nope.yaml"), "--serve",
                          "--port", "0"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "nope.yaml" in bad.stderr


# --------------------------------------------------------------------------- in Chromium

def _open(ctx, url: str):
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    _until(page, "document.documentElement.dataset.ready === '1'")
    page.errors = errors
    return page


def test_browser_sees_the_edited_page_change(browser, served, issue_copy):  # noqa: F811
    served.wait(_stage("full", 1), "the first full pass")
    page = _open(browser, served.server.url)
    _until(page, "document.documentElement.dataset.live === '1'")
    _until(page, "document.getElementById('page-img').complete")
    old_src = page.evaluate("document.getElementById('page-img').currentSrc")
    assert "page-1.png" in old_src
    shot = page.locator("#page-img").screenshot()
    _until(page, "Array.prototype.every.call(document.querySelectorAll('img'), function (i) { return i.complete; })")
    before = dict(served.server.served)

    _save(issue_copy, issue_copy.read_text(encoding="utf-8").replace(LEAD_WORDS, EDITED_WORDS))
    _until(page, "Number(document.documentElement.dataset.generation) >= 2")
    src = page.evaluate("document.getElementById('page-img').currentSrc")
    assert src != old_src and ("screen/page-1.jpg" in src or "page-1.png" in src)
    assert page.evaluate("document.getElementById('page-img').naturalWidth") > 0
    assert page.locator("#page-img").screenshot() != shot          # the page image changed on screen
    _until(page, "document.documentElement.dataset.stage === 'full'"
                           " && Number(document.documentElement.dataset.generation) >= 2")
    assert "page-1.png" in page.evaluate("document.getElementById('page-img').currentSrc")
    _until(page, "Array.prototype.every.call(document.querySelectorAll('img'), function (i) { return i.complete; })")
    fetched = {k for k, n in served.server.served.items() if n > before.get(k, 0)}
    # only the edited page's images came again: its screen image (the thumbnail too), then its full ones
    assert fetched == {"screen/page-1.jpg", "page-1.png", "thumb-1.png"}, fetched

    # a bad edit: its one line on the page, the proof stays
    src = page.evaluate("document.getElementById('page-img').currentSrc")
    good = issue_copy.read_text(encoding="utf-8")
    _save(issue_copy, good.replace("  number: 1640", "  number: [1640"))
    _until(page, "document.documentElement.dataset.failed === '3'")
    msg = page.locator("#failed").inner_text()
    assert msg.startswith("稿件有误") and "issue.yaml:" in msg
    assert page.evaluate("document.getElementById('page-img').currentSrc") == src
    img, view = page.locator("#page-img").bounding_box(), page.locator("#viewer").bounding_box()
    assert img["y"] + img["height"] <= view["y"] + view["height"] + 0.5      # still whole, under the banner
    _save(issue_copy, good)
    _until(page, "Number(document.documentElement.dataset.generation) >= 4")
    assert not page.locator("#failed").is_visible()
    assert page.errors == []
    page.close()


def test_browser_note_is_saved_beside_the_issue_and_listed(browser, served, issue_copy):  # noqa: F811
    served.wait(_stage("full", 1), "the first full pass")
    page = _open(browser, served.server.url)
    _until(page, "document.documentElement.dataset.live === '1'")
    img = page.locator("#page-img").bounding_box()
    page.mouse.click(img["x"] + img["width"] * 0.25, img["y"] + img["height"] * 0.5)
    page.locator("#note-text").fill("此段删去最后一句")
    page.locator("#note-save").click()
    _until(page, "document.documentElement.dataset.notes === '1'")
    saved = json.loads((issue_copy.parent / "issue.notes.json").read_text(encoding="utf-8"))["notes"]
    assert [n["text"] for n in saved] == ["此段删去最后一句"] and saved[0]["page"] == 1
    w, h = 841.89, 1190.55                                        # A3 in pt
    assert saved[0]["x"] == pytest.approx(w * 0.25, abs=2) and saved[0]["y"] == pytest.approx(h * 0.5, abs=2)
    assert "此段删去最后一句" in page.locator("#notes-list .note").inner_text()
    pin = page.locator(".pin").bounding_box()
    assert pin["x"] + pin["width"] / 2 == pytest.approx(img["x"] + img["width"] * 0.25, abs=2)
    # another page opened on the same proof is told
    other = _open(browser, served.server.url)
    assert other.locator("#notes-list .note").count() == 1
    assert page.errors == [] and other.errors == []
    other.close()
    page.close()
