"""From a save to the browser's new page image: the proof server's editing loop, measured.

    python bench/serve_latency.py [--edits 15] [--issue 1640]

Serves a copy of the issue (in a temporary folder) with layout/check/serve.py on a free port of
127.0.0.1, opens it in headless Chromium (Playwright; Debian's /usr/bin/chromium or
$KECHENG_CHROMIUM), then edits one paragraph of the lead story again and again (a word
changed and one clause of the paragraph cut, as an editor would: every save a text not laid
out before, so no kept composition or page search answers it), each time waiting until the server's full pass is done before
the next save.  For each edit it takes the wall time of the save (time.time() just after the
file is written) and the browser's Date.now() when the changed page's new image has loaded
(the viewer records it in window.__shown), both on this machine's clock, and prints the
median, the spread and the time of the full pass (the print PDF and the 150 dpi images).

The figure depends on the machine and on what else runs on it: say both when quoting it.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LEAD_WORDS = "区委召开经济工作会议暨“三个年”活动动员大会"
VARIANTS = ["区委召开经济工作会议暨“三个年”活动部署大会", "区委召开经济工作会议暨“三个年”活动推进大会",
            "区委召开经济工作会议暨“三个年”活动誓师大会"]


def edits(text: str, n: int) -> list[str]:
    """`n` different versions of the issue text, each with the lead's first paragraph edited:
    one of the VARIANTS for its opening words and one of its clauses (up to a comma) cut."""
    start = text.index(LEAD_WORDS)
    end = text.index("\n", start)
    para = text[start:end]
    clauses = para.split("，")
    out = []
    for k in range(n):
        cut = 1 + k % (len(clauses) - 1)          # never the first clause: the words changed are in it
        words = clauses[:cut] + clauses[cut + 1:]
        edited = "，".join(words).replace(LEAD_WORDS, VARIANTS[(k // (len(clauses) - 1)) % len(VARIANTS)])
        out.append(text[:start] + edited + text[end:])
    if len(set(out)) != n:
        raise SystemExit(f"only {len(set(out))} different edits of the lead paragraph; ask for fewer")
    return out


def _chromium() -> str:
    exe = os.environ.get("KECHENG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(exe, os.X_OK):
        raise SystemExit("no Chromium here: apt-get install chromium (or set KECHENG_CHROMIUM)")
    return exe


def _until(page, expr: str, timeout: float = 60.0):
    """The value of `expr` once it is true, polled in the browser (every animation frame): this
    process, whose threads include the server's, sleeps meanwhile (polled from here every few
    ms, it took the interpreter's lock from the server's render thread for each look)."""
    try:
        return page.wait_for_function(expr, polling="raf", timeout=timeout * 1000).json_value()
    except Exception as e:          # noqa: BLE001 - Playwright's TimeoutError
        raise SystemExit(f"timed out waiting for {expr}: {e}") from None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--edits", type=int, default=15)
    ap.add_argument("--issue", default="1640")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from layout.check.serve import SCREEN_DPI, ProofServer
    from layout.pipeline import find_issue

    tmp = Path(tempfile.mkdtemp(prefix="kecheng-serve-bench-"))
    try:
        issue = tmp / "issue" / "issue.yaml"
        issue.parent.mkdir()
        shutil.copy(find_issue(args.issue), issue)
        text = issue.read_text(encoding="utf-8")
        if LEAD_WORDS not in text:
            raise SystemExit(f"{args.issue}: the lead paragraph this benchmark edits is not there")
        devnull = open(os.devnull, "w")
        server = ProofServer(str(issue), None, tmp / "out" / "1640.pdf", port=0, out_stream=devnull,
                             err_stream=sys.stderr)
        stop = threading.Event()
        loop = threading.Thread(target=server.run, kwargs={"stop": stop}, daemon=True)
        loop.start()
        latencies, fulls, searched, cpus = [], [], [], []
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=_chromium(), headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
                page = browser.new_page(viewport={"width": 1400, "height": 900}, bypass_csp=True)   # (_until)
                end = time.monotonic() + 120
                while server.report is None and time.monotonic() < end:     # the first full pass
                    time.sleep(0.05)
                page.goto(server.url)
                _until(page, "document.documentElement.dataset.ready === '1'")
                _until(page, "document.documentElement.dataset.stage === 'full'")
                for new in edits(text, args.edits):
                    gen = int(page.evaluate("document.documentElement.dataset.generation"))
                    # saved as most editors save: the whole file beside it, renamed over it
                    before = issue.stat().st_mtime_ns
                    tmp_file = issue.with_name(".issue.yaml.saving")
                    tmp_file.write_text(new, encoding="utf-8")
                    if tmp_file.stat().st_mtime_ns <= before:    # same clock tick: make the save visible
                        os.utime(tmp_file, ns=(before + 1_000_000, before + 1_000_000))
                    os.replace(tmp_file, issue)
                    saved = time.time()
                    shown = _until(page, f"window.__shown.filter(function (s) {{ return s.generation > {gen}"
                                         f" && s.stage === 'screen' && s.changed.indexOf(1) >= 0; }})[0]")
                    latencies.append(shown["time"] / 1000.0 - saved)
                    searched.append(tuple(server.stats.get("searched", ())))
                    cpus.append(server.stats["screen_cpu_s"])
                    done = _until(page, f"window.__shown.filter(function (s) {{ return s.generation > {gen}"
                                        f" && s.stage === 'full'; }})[0]")
                    fulls.append(done["time"] / 1000.0 - saved)
                browser.close()
        finally:
            stop.set()
            loop.join(60)
            server.close()
            devnull.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"one-paragraph edit of issue {args.issue}, {len(latencies)} saves, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"save -> new page image in the browser (screen, {SCREEN_DPI} dpi): median {statistics.median(latencies):.3f} s "
          f"(min {min(latencies):.3f}, max {max(latencies):.3f})")
    print(f"the server's screen pass (load, lay out, draw, rasterise, JPEG): median "
          f"{statistics.median(cpus):.3f} s of CPU (its thread's own time, whatever the load)")
    print(f"pages searched again per edit: {sorted(set(searched))}")
    print(f"save -> full pass shown (print PDF, preflight, 150 dpi image): median {statistics.median(fulls):.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
