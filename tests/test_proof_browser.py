"""The proof viewer (out/1640-proof/index.html) in a real headless Chromium, driven by Playwright.

Uses Debian's chromium (or $KECHENG_CHROMIUM); never downloads a browser.  Skipped, with the
reason, when Playwright or Chromium is not installed here; with KECHENG_REQUIRE_BROWSER=1 (set
by .ci/run, which installs both) their absence is a failure instead.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import msgspec.structs
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
    page.wait_for_function("document.documentElement.dataset.ready === '1'")
    page.errors = errors
    return page


def _wait_image(page, n: int) -> None:
    page.wait_for_function(
        "n => { const i = document.getElementById('page-img');"
        " return document.body.dataset.page === String(n) && i.complete && i.naturalWidth > 0"
        " && i.currentSrc.includes('page-' + n + '.png'); }", arg=n)


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
    assert page.locator(".finding").count() == len(report["findings"]) == 6
    on_1 = [f for f in report["findings"] if f["page"] == 1]
    assert page.locator('.group[data-group="1"] .finding').count() == len(on_1) == 3
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
    page.wait_for_function("document.documentElement.dataset.ready === '1'")
    _wait_image(page, 4)
    assert page.locator("#highlight").is_visible()
    page.keyboard.press("ArrowLeft")
    _wait_image(page, 3)
    page.close()
