"""The proof viewer (out/1640-proof/index.html) in a real headless Chromium, driven by Playwright.

Uses Debian's chromium (or $KECHENG_CHROMIUM); never downloads a browser.  Skipped, with the
reason, when Playwright or Chromium is not installed here; with KECHENG_REQUIRE_BROWSER=1 (set
by .ci/run, which installs both) their absence is a failure instead.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path

import msgspec.structs
import pypdf
import pytest

from layout.check.preflight import PreflightFinding
from layout.check.proof import proof_dir, write_proofs
from layout.pipeline import render

REQUIRED = os.environ.get("KECHENG_REQUIRE_BROWSER", "") not in ("", "0")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
WHEN = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _unavailable(reason: str):
    if REQUIRED:
        pytest.fail(f"{reason} (KECHENG_REQUIRE_BROWSER is set: the browser tests must run)")
    pytest.skip(reason)


def _chromium() -> str | None:
    env = os.environ.get("KECHENG_CHROMIUM")
    if env:
        return env if os.access(env, os.X_OK) else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright (Python) is not installed: pip install playwright")
    exe = _chromium()
    if exe is None:
        _unavailable("no Chromium here: apt-get install chromium (or set KECHENG_CHROMIUM)")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(profile), executable_path=exe, headless=True, args=FLAGS,
            viewport={"width": 1400, "height": 900}, device_scale_factor=1)
        ctx.set_default_timeout(20_000)
        try:
            yield ctx
        finally:
            ctx.close()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    d = tmp_path_factory.mktemp("proof-browser")
    result = render("1640", d / "1640.pdf")
    index = write_proofs(result, proof_dir(result), when=WHEN)
    report = json.loads(result.pdf.with_name("1640-preflight.json").read_text(encoding="utf-8"))
    return result, index, report


def _open(ctx, index: Path, requests: list | None = None):
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    if requests is not None:
        page.on("request", lambda r: requests.append(r.url))
    page.goto(index.resolve().as_uri())
    until(page, "document.documentElement.dataset.ready === '1'")
    page.errors = errors
    return page


def _wait_image(page, n: int) -> None:
    until(page, f"(() => {{ const i = document.getElementById('page-img'), n = {int(n)};"
                " return !!i && document.body.dataset.page === String(n) && i.complete && i.naturalWidth > 0"
                " && i.currentSrc.includes('page-' + n + '.png'); })()")


def until(page, expr: str, timeout: float = 60.0):
    """Wait until `expr` is true in the page.  (Playwright's wait_for_function evaluates a
    predicate that is not true at once with eval, which the viewer's Content-Security-Policy
    forbids: this asks again, on the browser's clock, until it is.)"""
    import time

    end = time.monotonic() + timeout
    while True:
        got = page.evaluate(expr)
        if got:
            return got
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {expr}")
        page.wait_for_timeout(20)       # a poll interval, not a wait for a result


def _page_box(page):
    return page.locator("#page-img").bounding_box()


def test_four_pages_page_one_and_all_findings(browser, rendered):
    result, index, report = rendered
    requests: list[str] = []
    page = _open(browser, index, requests)
    thumbs = page.locator(".thumb")
    assert thumbs.count() == 4
    thumbs.nth(0).click()
    _wait_image(page, 1)
    assert page.locator("#page-title").inner_text() == "第1版 要闻"
    assert page.evaluate("document.getElementById('page-img').naturalWidth") == 1754
    assert page.evaluate("document.getElementById('page-img').naturalHeight") == 2480
    # the same findings as the JSON, all listed; page 1's in page 1's group
    assert page.locator(".finding").count() == len(report["findings"]) == 16   # 6, 2 校对提示, the ragged dateline line, 6 furniture, the brief short
    on_1 = [f for f in report["findings"] if f["page"] == 1]
    assert page.locator('.group[data-group="1"] .finding').count() == len(on_1) == 9    # and the brief's module-white
    summary = page.locator("#summary")
    for key in ("errors", "warnings", "info"):
        assert int(summary.get_attribute(f"data-{key}")) == report["summary"][key]
    assert page.locator("#shown-count").inner_text() == str(len(report["findings"]))
    for n in range(1, 5):
        badge = page.locator(f'.thumb[data-page="{n}"] .badge').inner_text()
        assert int(badge) == sum(f["page"] == n for f in report["findings"])
    # other pages open from their thumbnails
    thumbs.nth(2).click()
    _wait_image(page, 3)
    assert page.locator("#page-title").inner_text().startswith("第2–3版")     # the spread
    assert all(u.startswith("file://") for u in requests), requests      # no network
    assert page.errors == []
    page.close()


def _check_highlight(page, f, pages, tol: float = 1.5) -> None:
    hl = page.locator("#highlight")
    assert hl.is_visible()
    img, box = _page_box(page), hl.bounding_box()
    p = pages[f["page"]]
    sx, sy = img["width"] / p["width_pt"], img["height"] / p["height_pt"]
    b = f["box"]
    assert box["x"] - img["x"] == pytest.approx(b["x"] * sx, abs=tol)
    assert box["y"] - img["y"] == pytest.approx(b["y"] * sy, abs=tol)
    assert box["width"] == pytest.approx(b["w"] * sx, abs=tol)
    assert box["height"] == pytest.approx(b["h"] * sy, abs=tol)


def test_clicking_a_finding_highlights_its_box(browser, rendered):
    result, index, report = rendered
    page = _open(browser, index)
    pages = {p["number"]: p for p in json.loads(page.locator("#proof-data").text_content())["pages"]}
    assert report["findings"] and all(f["box"] for f in report["findings"])
    for i, f in enumerate(report["findings"]):
        li = page.locator(f'.finding[data-index="{i}"]')
        assert f["message"] in li.get_attribute("title")              # the English behind the Chinese
        li.click()
        _wait_image(page, f["page"])
        assert "active" in li.get_attribute("class")
        _check_highlight(page, f, pages)
    # at 100 %, a point of the trim is dpi / 72 pixels of the PNG, one CSS pixel each
    page.locator("#zoom").click()
    missing_photo = next(i for i, f in enumerate(report["findings"]) if f["code"] == "missing-photo")
    page.locator(f'.finding[data-index="{missing_photo}"]').click()
    _wait_image(page, 1)
    f = report["findings"][missing_photo]
    img, box = _page_box(page), page.locator("#highlight").bounding_box()
    assert img["width"] == pytest.approx(1754, abs=0.5)
    assert box["x"] - img["x"] == pytest.approx(f["box"]["x"] * 150 / 72, abs=1.5)
    assert box["y"] - img["y"] == pytest.approx(f["box"]["y"] * 150 / 72, abs=1.5)
    assert box["width"] == pytest.approx(f["box"]["w"] * 150 / 72, abs=1.5)
    # Esc clears it; the page stays
    page.keyboard.press("Escape")
    assert not page.locator("#highlight").is_visible()
    assert page.errors == []
    page.close()


def test_findings_without_a_box_listed_without_highlight(browser, rendered, tmp_path):
    result, _, report = rendered
    nasty = "a document-level finding (test) </script><!-- <b>not bold</b> & \"quoted\""
    extra = (PreflightFinding("error", "pdf-unreadable", nasty, None, None, "", "pdf"),
             PreflightFinding("warning", "test-nobox", "a page-2 finding without a place (test)", 2, None, "x", "pdf"))
    pre = msgspec.structs.replace(result.preflight, findings=result.preflight.findings + extra)
    index = write_proofs(msgspec.structs.replace(result, preflight=pre), tmp_path / "p", dpi=40, when=WHEN)
    page = _open(browser, index)
    n = len(report["findings"]) + 2
    assert page.locator(".finding").count() == n
    assert page.locator(".finding.nobox").count() == 2
    assert page.locator('.group[data-group="doc"] .finding').count() == 1
    assert nasty in page.locator('.group[data-group="doc"] .finding').inner_text()     # text, not markup
    assert page.evaluate("JSON.parse(document.getElementById('proof-data').textContent).findings.length") == n
    assert page.locator("#summary").get_attribute("data-errors") == str(report["summary"]["errors"] + 1)
    # a finding with a box first, then the one without: the highlight goes, its page opens
    page.locator('.finding[data-index="0"]').click()
    assert page.locator("#highlight").is_visible()
    page.locator(f'.finding[data-index="{n - 1}"]').click()
    _wait_image(page, 2)
    assert not page.locator("#highlight").is_visible()
    page.locator(f'.finding[data-index="{n - 2}"]').click()            # no page: stays on page 2
    assert page.evaluate("document.body.dataset.page") == "2"
    assert not page.locator("#highlight").is_visible()
    assert page.errors == []
    page.close()


def test_hash_reopens_page_and_finding(browser, rendered):
    """#page=N&finding=I survives a reload (render.py --watch rewrites the proofs)."""
    result, index, report = rendered
    i = next(k for k, f in enumerate(report["findings"]) if f["page"] == 4)
    page = browser.new_page()
    page.goto(index.resolve().as_uri() + f"#page=4&finding={i}")
    until(page, "document.documentElement.dataset.ready === '1'")
    _wait_image(page, 4)
    assert page.locator("#highlight").is_visible()
    page.keyboard.press("ArrowLeft")
    _wait_image(page, 3)
    page.close()


# --------------------------------------------------------------------------- a viewer for a Chinese desk

def test_viewer_speaks_chinese_with_headlines_and_english_behind_a_switch(browser, rendered):
    result, index, report = rendered
    page = _open(browser, index)
    side = page.locator("#side").inner_text()
    headline = result.issue.stories["lead"].headline
    assert "报眼“柯城发布”的二维码内容缺失" in side and "报头 · 报眼" in side
    assert f"《{headline}》的图片 photos/awards.jpg 缺失" in side and f"《{headline}》 · 图片" in side
    assert "第2版为“向贡献者奋斗者领跑者致敬”预留的版面待稿（约可容 12324 字，跨第2-3版通版）" in side
    assert "第1–6栏，第4–82行" in side
    for internal in ("masthead.ear", "columns:", "lines:", "story lead", "awaits copy", "warning"):
        assert internal not in side, internal
    assert page.locator("#summary").inner_text().startswith("错误 0")
    # English behind the switch: the report's own words, back again on a second click
    page.locator("#lang").click()
    side = page.locator("#side").inner_text()
    assert all(f["message"] in side for f in report["findings"]) and "masthead.ear" in side
    assert page.evaluate("document.documentElement.lang") == "en"
    page.locator("#lang").click()
    assert "报头 · 报眼" in page.locator("#side").inner_text()
    assert page.errors == []
    page.close()


def test_viewer_times_are_on_the_papers_clock(browser, rendered, tmp_path):
    result, _, _ = rendered
    utc = dt.datetime(2024, 5, 5, 23, 8, 9, tzinfo=dt.timezone.utc)      # 07:08:09 the next morning in Beijing
    index = write_proofs(result, tmp_path / "p", dpi=40, when=utc)
    page = _open(browser, index)
    assert "输出 2024-05-06 07:08:09 +08:00 北京时间" in page.locator("#output").inner_text()
    text = "".join(pypdf.PdfReader(index.parent / "proof.pdf").pages[0].extract_text().split())
    assert "输出2024-05-0607:08:09+08:00北京时间" in text
    page.close()


def test_whole_page_fits_the_window_zooms_and_spreads(browser, rendered):
    _, index, _ = rendered
    page = _open(browser, index)
    _wait_image(page, 1)

    fits = ("(() => { const r = document.getElementById('page-img').getBoundingClientRect();"
            " const v = document.getElementById('viewer').getBoundingClientRect();"
            " return v.height > 300 && r.left >= v.left && r.right <= v.right + 0.5 && r.top >= v.top"
            " && r.bottom <= v.bottom + 0.5 && (r.height > v.height - 30 || r.width > v.width - 30); })()")

    def inside() -> bool:                  # the whole page in the window, filling it one way
        return until(page, fits)
    img, view = _page_box(page), page.locator("#viewer").bounding_box()
    assert inside()                                                  # the whole page, at once
    assert img["height"] == pytest.approx(view["height"] - 24, abs=2)   # A3 upright: the height binds
    assert img["width"] / img["height"] == pytest.approx(841.89 / 1190.55, abs=0.01)
    page.locator("#zoom-in").click()
    assert _page_box(page)["width"] == pytest.approx(img["width"] * 1.25, abs=1.5)
    page.locator("#zoom").click()
    assert _page_box(page)["width"] == pytest.approx(1754, abs=0.5)
    page.locator("#zoom-fit").click()
    assert _page_box(page)["width"] == pytest.approx(img["width"], abs=1)
    page.set_viewport_size({"width": 1000, "height": 700})          # the fit follows the window
    assert inside() and _page_box(page)["width"] < img["width"]
    page.set_viewport_size({"width": 1400, "height": 900})
    # pages 2-3 side by side, both fitted, the even page on the left
    page.locator('.thumb[data-page="3"]').click()
    _wait_image(page, 3)
    sheets = page.locator("#sheets .sheet")
    assert sheets.count() == 2
    left, right = (sheets.nth(k).bounding_box() for k in (0, 1))
    assert [sheets.nth(k).get_attribute("data-page") for k in (0, 1)] == ["2", "3"]
    assert left["y"] == pytest.approx(right["y"], abs=1) and right["x"] > left["x"] + left["width"] - 1
    # 1640's 2-3 is a 通版 the plan declares: the two pages meet at the fold, no gap between them
    assert right["x"] == pytest.approx(left["x"] + left["width"], abs=1)
    assert "joined" in page.locator("#sheets").get_attribute("class")
    v = page.locator("#viewer").bounding_box()
    assert left["x"] >= v["x"] and right["x"] + right["width"] <= v["x"] + v["width"] + 0.5
    assert page.locator("#page-title").inner_text() == "第2–3版 专题"
    page.locator("#spread").click()                                  # one page again
    assert page.locator("#sheets .sheet").count() == 1
    page.keyboard.press("ArrowLeft")
    _wait_image(page, 2)
    assert page.errors == []
    page.close()


def test_a_note_on_the_static_viewer_is_listed_and_exported(browser, rendered, tmp_path):
    result, _, _ = rendered
    index = write_proofs(result, tmp_path / "notes", dpi=40, when=WHEN)
    page = _open(browser, index)
    _wait_image(page, 1)
    img = _page_box(page)
    page.mouse.click(img["x"] + img["width"] * 0.5, img["y"] + img["height"] * 0.25)
    assert page.locator("#note-form").is_visible()
    page.locator("#note-text").fill("导读框的字号小一号")
    page.locator("#note-save").click()
    until(page, "document.documentElement.dataset.notes === '1'")
    listed = page.locator("#notes-list .note").inner_text()
    assert "导读框的字号小一号" in listed and "第1版 要闻" in listed and "+08:00" in listed
    assert page.locator(".pin").count() == 1
    with page.expect_download() as dl:
        page.locator("#notes-export").click()
    saved = json.loads(Path(dl.value.path()).read_text(encoding="utf-8"))
    assert dl.value.suggested_filename == "issue.notes.json"
    (note,) = saved["notes"]
    assert saved["issue"] == 1640 and note["page"] == 1 and note["text"] == "导读框的字号小一号"
    assert note["x"] == pytest.approx(841.89 * 0.5, abs=2) and note["y"] == pytest.approx(1190.55 * 0.25, abs=2)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", note["time"])
    # Esc or Cancel drops a note begun; a deleted note goes from the list
    page.mouse.click(img["x"] + 50, img["y"] + 50)
    page.keyboard.press("Escape")
    assert not page.locator("#note-form").is_visible()
    page.locator(".note-del").click()
    until(page, "document.documentElement.dataset.notes === '0'")
    assert page.locator(".pin").count() == 0
    assert page.errors == []
    page.close()
