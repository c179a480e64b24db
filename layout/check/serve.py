"""The proof server (``render.py 1640 --serve``): a save of the issue shows on the open proof.

Prepress works in a loop: change a headline, cut a paragraph, look at the page again.  This
module keeps one process running that watches the issue (check/watch.py: the issue file,
its style sheet and its photos), lays the issue out again on every save, and pushes the
pages that changed to the browser showing the proof, by server-sent events; the page
(check/proof.py's viewer, with the server's addresses) reloads only those page images.

A render is done in two passes:

1. **Screen**: load, lay out (fonts and composed paragraphs kept from the last render),
   then, for the pages whose content digest changed only, the print PDF's drawing of just
   those pages with the proof overlay, rasterised at screen resolution (96 dpi, JPEG).
   The browser is told as soon as these exist (a changed page's thumbnail is its screen
   image, scaled by the browser), and the full pass waits up to FETCH_GRACE for the open
   viewers to fetch them.
2. **Full**: the print PDF and its preflight (``pipeline.finish``, the same bytes as
   ``render.py``), ``proof.pdf``, and the changed pages at full resolution (page-N.png,
   150 dpi), in ``out/<issue>-proof/`` as ``--proof`` writes them; then the findings.
   A newer save abandons this pass between its steps: the screen pass of the new save
   comes first.

What is kept between renders, and why it is safe: the FontSet of each set of font files (its
record of missing characters is emptied before each layout; the composer keys its caches of
prepared and composed paragraphs by text, style and measure on that object,
compose/paragraph.py and caches.py; up to KEPT_PARAGRAPHS of them here, so an edit composes only what it
touched), the page make-ups (place/kept.py: a page whose slots, copy, style and photos are as
before is not searched again; ``stats`` in each pages event says which pages were searched),
the font programs of the screen pass (grown to a superset of the glyphs
used, so an edit rarely subsets again; the print PDF is always subset exactly), the page
digests and images.

A bad edit (the issue no longer reads) leaves the last proof on the page, with the one-line
error over it; the next good save clears it.  Correction notes (校样批注) posted by the page
are kept beside the issue (proof.notes_path) and sent to every open page.

Only 127.0.0.1 is served, with the standard library's ThreadingHTTPServer; the server's
addresses: ``/`` the viewer, ``/events`` the event stream, ``/screen/page-N.jpg`` the screen
images (from memory), ``/page-N.png`` … the proof folder's files, ``/print.pdf`` and
``/preflight.json``, ``/notes`` (GET the notes, POST ``{"add": note}`` or ``{"remove": id}``).
"""
from __future__ import annotations

import collections
import hashlib
import io
import json
import queue
import re
import sys
import threading
import time
import uuid
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import msgspec

from ..compose.caches import keep_results
from ..emit.subsets import SubsetJob, make_program
from ..place.kept import PageSearches
from . import proof
from .watch import _one_line, _short, snapshot, watch, watched_files

__all__ = ["ProofServer", "serve", "DEFAULT_PORT", "SCREEN_DPI"]

DEFAULT_PORT = 8640
SCREEN_DPI = 96                 # the first, fast image of a changed page
JPEG_QUALITY = 88
POLL = 0.01                     # s between looks at the watched files (a few stat calls)
MAX_NOTE = 2000                 # characters in one correction note
MAX_BODY = 64 * 1024            # bytes in a POST
FETCH_GRACE = 0.5               # s the full pass waits for the viewers to fetch the screen images
KEPT_PARAGRAPHS = 50_000        # composed paragraphs kept (every measure tried, a 100-page issue)


class KeptSubsets(SubsetJob):
    """Font programs for the screen pass, kept between renders: a program made for a superset
    of the glyphs a page uses serves it (the PDF's widths and CID map name only the glyphs
    used), so each face is subset again only when an edit brings a glyph not seen before, and
    then for everything seen so far."""

    def __init__(self, faces):
        super().__init__(faces)
        self.kept: dict[str, tuple[frozenset[int], object]] = {}

    def program(self, key: str, gids):
        have = self.kept.get(key)
        want = frozenset(gids)
        if have is not None and want <= have[0]:
            return have[1]
        union = want | (have[0] if have is not None else frozenset())
        face = self.faces[key]
        made = make_program(face.path, sorted(union), face.is_cff)
        self.kept[key] = (union, made)
        return made


class _PageView(msgspec.Struct):
    """What the server holds of one page: its digest, its screen image, its full image's state."""
    number: int
    name: str
    digest: str
    width_pt: float
    height_pt: float
    screen: bytes = b""
    full: "proof.ProofPage | None" = None     # the page-N.png on disk …
    full_digest: str = ""                     # … drawn from content with this digest


class _Stale(Exception):
    """A newer save came while a full pass ran: it is abandoned."""


class ProofServer:
    """One issue's proof, served at ``url`` (127.0.0.1, `port`; 0 picks a free port).

    ``run(stop)`` watches and renders until `stop` is set (or Ctrl-C); ``close()`` stops
    serving.  `out`: the print PDF (default out/<issue>.pdf; proofs beside it as for
    --proof).  `dpi`: the full proof images; `screen_dpi`: the first images."""

    def __init__(self, issue_arg: str, style_arg: str | None = None, out: Path | None = None, *,
                 port: int = DEFAULT_PORT, dpi: int = 150, screen_dpi: int = SCREEN_DPI, grid: bool = False,
                 lang: str = "zh", poll: float = POLL, out_stream=None, err_stream=None):
        from ..pipeline import find_issue

        self.issue_arg, self.style_arg = str(issue_arg), style_arg
        self.issue_path = find_issue(self.issue_arg).resolve()      # InputError: nothing to serve
        self.out = Path(out) if out is not None else None
        self.dpi, self.screen_dpi, self.grid, self.lang, self.poll = dpi, screen_dpi, grid, lang, poll
        self.say_out = out_stream or sys.stdout
        self.say_err = err_stream or sys.stderr
        # the state below, shared by the render (the watcher's thread) and the HTTP threads; only
        # the render thread draws (reportlab's switches and pdfium are not for threads)
        self.lock = threading.RLock()
        self.generation = 0
        self.pages: dict[int, _PageView] = {}
        self.order: list[int] = []
        self.result = None                      # the last full pass's Render
        self.screen_result = None               # the last screen pass's (issue, style, laid, preflight)
        self.report: dict | None = None
        self.output = ""
        self.failed: dict | None = None
        self.closed = threading.Event()
        self._fonts: dict[tuple, object] = {}
        self._searches = PageSearches()          # page make-ups kept between renders (place/kept.py)
        self.stats: dict = {}                    # what the last render did, sent with its pages
        self._subsets: dict[int, KeptSubsets] = {}
        self._listeners: list[queue.Queue] = []
        self.served: collections.Counter = collections.Counter()   # image requests answered, by name
        self._unfetched: set[int] = set()        # pages whose new screen image no viewer has fetched yet
        self._fetched = threading.Event()
        self._files: list[Path] = [self.issue_path]      # what the last good read of the issue reads
        self._stamps: dict[Path, object] = {}
        self.httpd = _HTTPServer(("127.0.0.1", port), _Handler)
        self.httpd.proof = self
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="proof-http", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------ the loop

    def run(self, stop: threading.Event | None = None, max_renders: int | None = None,
            timeout: float | None = None) -> int:
        """Watch the issue and render on every save; returns the number of renders."""
        print(f"proof of {_short(self.issue_path)} at {self.url} (127.0.0.1 only; Ctrl-C to stop)",
              file=self.say_out, flush=True)
        return watch(self.issue_arg, self.style_arg, self.render, interval=self.poll, debounce=0.0,
                     stop=stop, max_renders=max_renders, timeout=timeout, out=self.say_out, err=self.say_err)

    def close(self) -> None:
        """Stop serving (event streams end, the port is freed)."""
        self.closed.set()
        with self.lock:
            for q in self._listeners:
                q.put(None)
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> ProofServer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ one render

    def render(self, changed=()):
        """One save: the screen pass, then the full pass (see the module's docstring).  Raises
        what a bad edit raises (the watcher prints it); returns the Render of the full pass."""
        from ..load.source import InputError

        with self.lock:
            self.generation += 1
            gen = self.generation
        started, cpu = time.perf_counter(), time.thread_time()
        self._stamps = snapshot(self._files)          # before reading: a save from now on is newer
        try:
            issue, style, fonts, laid, early = self._lay_out()
        except Exception as e:          # noqa: BLE001 - a bad edit (or our bug): said on the page, raised on
            message = str(e) if isinstance(e, InputError) else _one_line(e)
            with self.lock:
                self.failed = {"generation": gen, "message": " ".join(message.split())}
            self._publish("failed", self.failed)
            raise
        self._files = watched_files(issue, style)
        self._stamps.update(snapshot(p for p in self._files if p not in self._stamps))
        redrawn = self._screen_pass(issue, style, fonts, laid, early)
        with self.lock:
            self.failed = None
            self.stats = {"searched": list(self._searches.searched), "kept": list(self._searches.kept),
                          "screen_s": round(time.perf_counter() - started, 3),
                          "screen_cpu_s": round(time.thread_time() - cpu, 3)}
            self._unfetched = set(redrawn) if self._listeners else set()
            self._fetched.clear()
        self._publish("pages", self._news(gen, "screen", redrawn))
        screen_s = time.perf_counter() - started
        self._let_viewers_fetch()
        try:
            result, full = self._full_pass(issue, style, fonts, laid)
        except _Stale:
            print(f"screen: {_pages(redrawn)} in {screen_s:.2f} s; a newer save came first",
                  file=self.say_out, flush=True)
            return None
        self._publish("pages", self._news(gen, "full", full, report=True))
        print(f"screen: {_pages(redrawn)} in {screen_s:.2f} s; full: {_pages(full)} in "
              f"{time.perf_counter() - started:.2f} s ({len(result.preflight.errors)} error(s), "
              f"{len(result.preflight.warnings)} warning(s)); {self.url}", file=self.say_out, flush=True)
        return result

    def _let_viewers_fetch(self) -> None:
        """Before the full pass (seconds of CPU in this process), give the open viewers the new
        screen images: until each is fetched once, a newer save comes, or FETCH_GRACE passes."""
        end = time.monotonic() + FETCH_GRACE
        with self.lock:
            if not self._unfetched:
                return
        while not self._fetched.wait(self.poll) and time.monotonic() < end:
            if self._stamps and snapshot(self._stamps) != self._stamps:
                return

    def _lay_out(self):
        from ..check.preflight import preflight
        from ..pipeline import load, print_settings
        from ..place.page import place_issue

        issue, style = load(self.issue_arg, self.style_arg)
        fonts = self._fonts_for(style)
        self._searches.begin()
        laid = place_issue(issue, style, fonts, self._searches)
        early = preflight(issue, style, fonts, laid, pdf=None, log=None, settings=print_settings(style))
        return issue, style, fonts, laid, early

    def _fonts_for(self, style):
        """The FontSet for the style's font files, kept: its composer caches live on it."""
        from ..pipeline import fonts_for

        key = (tuple(sorted((k, str(v)) for k, v in style.fonts.items())), tuple(sorted(style.fallback.items())))
        fonts = self._fonts.get(key)
        if fonts is None:
            fonts = self._fonts[key] = fonts_for(style)
            keep_results(fonts, KEPT_PARAGRAPHS)
        fonts.missing = []              # what this layout finds missing (read by place_issue only)
        fonts._seen = set()
        return fonts

    def _digest(self, issue, page, early) -> str:
        """What a page's proof image is drawn from: its items and modules, the findings counted
        on its banner, the masthead facts on its watermark, the grid switch, its photo files."""
        h = hashlib.blake2b(msgspec.msgpack.encode(page), digest_size=12)
        n_e = sum(f.severity == "error" and f.page == page.number for f in early.findings)
        n_w = sum(f.severity == "warning" and f.page == page.number for f in early.findings)
        m = issue.masthead
        photos = sorted(str(getattr(it, "path", "")) for it in page.items if getattr(it, "present", False))
        h.update(repr((n_e, n_w, m.title, m.number, str(m.date), self.grid, self.dpi,
                       snapshot(Path(p) for p in photos))).encode())
        return h.hexdigest()

    def _screen_pass(self, issue, style, fonts, laid, early) -> list[int]:
        """Draw the changed pages at screen resolution; returns their numbers."""
        from ..emit.pdf import write_pdf
        from ..emit.settings import EmitLog
        from ..pipeline import Render, print_settings
        from ..place.model import LaidOutIssue

        digests = {p.number: self._digest(issue, p, early) for p in laid.pages}
        with self.lock:
            redo = [p for p in laid.pages
                    if p.number not in self.pages or self.pages[p.number].digest != digests[p.number]]
        images: dict[int, bytes] = {}
        if redo:
            part = LaidOutIssue(pages=tuple(redo), findings=laid.findings)
            target = self._proof_dir(issue) / ".screen.pdf"
            target.parent.mkdir(parents=True, exist_ok=True)
            programs = self._subsets.setdefault(id(fonts), KeptSubsets(fonts.faces))
            pdf = write_pdf(part, issue, style, fonts, target, settings=print_settings(style), log=EmitLog(),
                            programs=programs)
            r = Render(issue=issue, style=style, fonts=fonts, laid=part, balance=(), pdf=pdf, preflight=early)
            for page, im in zip(redo, proof.screen_images(r, self.screen_dpi, grid=self.grid, programs=programs)):
                images[page.number] = _jpeg(im)
        with self.lock:
            for page in laid.pages:
                old = self.pages.get(page.number)
                if page.number in images:
                    view = _PageView(page.number, page.name, digests[page.number], page.width, page.height,
                                     images[page.number])
                    if old is not None:             # its full image stays on disk until redrawn
                        view.full, view.full_digest = old.full, old.full_digest
                    self.pages[page.number] = view
            self.order = [p.number for p in laid.pages]
            for n in list(self.pages):
                if n not in self.order:
                    del self.pages[n]
            self.screen_result = (issue, style, laid, early)
            when = proof.paper_time(style)
            self.output = f"{proof._fmt_time(when)} {proof._zone_label(when)}"
        return [p.number for p in redo]

    def _proof_dir(self, issue) -> Path:
        pdf = self._print_path(issue)
        return pdf.with_name(f"{pdf.stem}-proof")

    def _print_path(self, issue) -> Path:
        from ..pipeline import ROOT

        return self.out if self.out is not None else ROOT / "out" / f"{issue.masthead.number}.pdf"

    def _check_fresh(self) -> None:
        if self._stamps and snapshot(self._stamps) != self._stamps:
            raise _Stale

    def _full_pass(self, issue, style, fonts, laid):
        """The print PDF, its preflight and the full proof images of the changed pages."""
        from ..pipeline import finish

        self._check_fresh()
        result = finish(issue, style, fonts, laid, self._print_path(issue), write=True)
        self._check_fresh()
        out_dir = self._proof_dir(issue)
        when = proof.paper_time(style)
        proof._atomic_write(out_dir / "proof.pdf", proof.proof_pdf(result, grid=self.grid, when=when))
        with self.lock:
            todo = [n for n in self.order if self.pages[n].full is None
                    or self.pages[n].full_digest != self.pages[n].digest]
            digests = {n: self.pages[n].digest for n in self.order}
        names = [(p.number, p.name) for p in laid.pages]
        listed = proof.render_pngs(out_dir / "proof.pdf", out_dir, self.dpi, names, only=set(todo),
                                   before_page=self._check_fresh)
        full = {p.number: p for p in listed}
        proof._remove_stale(out_dir, len(listed))
        index = proof.index_html(result, listed, when=when, dpi=self.dpi, grid=self.grid, out_dir=out_dir,
                                 lang=self.lang)
        proof._atomic_write(out_dir / "index.html", index.encode("utf-8"))
        with self.lock:
            for n, view in self.pages.items():
                if n in full and view.digest == digests.get(n):
                    view.full, view.full_digest = full[n], digests[n]
            self.result = result
            self.report = self._report(result)
            self.output = f"{proof._fmt_time(when)} {proof._zone_label(when)}"
        return result, todo

    @staticmethod
    def _report(result) -> dict:
        pre = result.preflight.as_dict()
        return {"findings": pre["findings"], "summary": pre["summary"],
                "texts": [proof.finding_text(f, result.issue) for f in pre["findings"]]}

    # ------------------------------------------------------------------ what the page is told

    def _entries(self) -> list[dict]:
        out = []
        for n in self.order:
            v = self.pages[n]
            if v.full is not None and v.full_digest == v.digest:
                out.append(proof.page_entry(v.full))
            else:
                size = proof.ProofPage(v.number, v.name, "", "", round(v.width_pt * self.dpi / 72),
                                       round(v.height_pt * self.dpi / 72), v.width_pt, v.height_pt, v.digest[:10])
                # the thumbnail is the screen image itself, scaled by the browser: one fetch, none made
                out.append(proof.page_entry(size, src=f"screen/page-{n}.jpg", thumb=f"screen/page-{n}.jpg"))
        return out

    def _news(self, gen: int, stage: str, changed, report: bool = False) -> dict:
        with self.lock:
            d = {"generation": gen, "stage": stage, "changed": list(changed), "pages": self._entries(),
                 "output": self.output, "stats": self.stats}
            if report and self.report is not None:
                d["report"] = self.report
            return d

    def _publish(self, event: str, payload: dict) -> None:
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        with self.lock:
            for q in self._listeners:
                q.put((event, text))

    def listen(self) -> queue.Queue:
        """A queue of (event, JSON text) for one event stream; it starts with the state now."""
        q: queue.Queue = queue.Queue()
        with self.lock:
            self._listeners.append(q)
            if self.order:
                q.put(("pages", json.dumps(self._news(self.generation, "screen" if self.report is None else "full",
                                                      [], report=True), ensure_ascii=False)))
            if self.failed is not None:
                q.put(("failed", json.dumps(self.failed, ensure_ascii=False)))
        return q

    def unlisten(self, q: queue.Queue) -> None:
        with self.lock:
            if q in self._listeners:
                self._listeners.remove(q)

    def viewer(self) -> str:
        """The viewer page with the current state and the server's addresses."""
        with self.lock:
            result = self.result
            if result is None and self.screen_result is not None:
                from ..pipeline import Render

                issue, style, laid, early = self.screen_result
                result = Render(issue=issue, style=style, fonts=None, laid=laid, balance=(),
                                pdf=self._print_path(issue), preflight=early)
            if result is None:
                return _WAITING
            entries = self._entries()
            pages = [proof.ProofPage(e["number"], e["name"], e["png"], e["thumb"], e["width_px"], e["height_px"],
                                     e["width_pt"], e["height_pt"], e["v"]) for e in entries]
            serve = {"events": "events", "notes": "notes", "pdf": "print.pdf", "json": "preflight.json"}
            page = proof.index_html(result, pages, when=None, dpi=self.dpi, grid=self.grid, lang=self.lang,
                                    serve=serve, notes=self.notes())
            return page

    # ------------------------------------------------------------------ notes (校样批注)

    def _notes_file(self) -> Path:
        return self.issue_path.with_name(f"{self.issue_path.stem}.notes.json")

    def notes(self) -> list[dict]:
        return proof.read_notes(self._notes_file())

    def change_notes(self, body: dict) -> list[dict]:
        """Add ``{"add": {page, x, y, text}}`` or remove ``{"remove": id}``; ValueError if malformed."""
        with self.lock:
            notes = self.notes()
            if "add" in body:
                n = body["add"]
                if not isinstance(n, dict):
                    raise ValueError("add: expected an object")
                text = n.get("text")
                if not isinstance(text, str) or not text.strip() or len(text) > MAX_NOTE:
                    raise ValueError(f"text: expected 1 to {MAX_NOTE} characters")
                page = n.get("page")
                if not isinstance(page, int) or isinstance(page, bool) or (self.order and page not in self.order):
                    raise ValueError("page: not a page of this issue")
                try:
                    x, y = float(n.get("x")), float(n.get("y"))
                except (TypeError, ValueError):
                    raise ValueError("x, y: expected numbers (pt from the trim's top-left corner)") from None
                style = self.screen_result[1] if self.screen_result is not None else None
                notes.append({"id": "n" + uuid.uuid4().hex[:10], "page": page, "x": round(x, 1), "y": round(y, 1),
                              "text": text.strip(),
                              "time": proof.paper_time(style).isoformat(timespec="seconds")})
            elif "remove" in body:
                notes = [n for n in notes if n.get("id") != body["remove"]]
            else:
                raise ValueError("expected {\"add\": note} or {\"remove\": id}")
            number = self.screen_result[0].masthead.number if self.screen_result is not None else None
            proof.write_notes(self._notes_file(), number, notes)
        self._publish("notes", {"notes": notes})
        return notes

    # ------------------------------------------------------------------ files

    def file(self, name: str) -> tuple[bytes, str] | None:
        """(bytes, content type) of a served file, None if there is none by that name; counted
        in ``served`` (which images the viewers fetched again)."""
        with self.lock:
            if name.startswith("screen/"):
                mt = re.fullmatch(r"screen/page-(\d+)\.jpg", name)
                view = self.pages.get(int(mt.group(1))) if mt else None
                if view is None:
                    return None
                self._unfetched.discard(view.number)
                self.served[name] += 1
                if not self._unfetched:
                    self._fetched.set()
                return view.screen, "image/jpeg"
            issue = self.screen_result[0] if self.screen_result is not None else None
        if issue is None:
            return None
        pdf = self._print_path(issue)
        if name == "print.pdf":
            path, kind = pdf, "application/pdf"
        elif name == "preflight.json":
            path, kind = pdf.with_name(f"{pdf.stem}-preflight.json"), "application/json"
        elif re.fullmatch(r"(page|thumb)-\d+\.png", name):
            path, kind = self._proof_dir(issue) / name, "image/png"
        elif name == "proof.pdf":
            path, kind = self._proof_dir(issue) / name, "application/pdf"
        else:
            return None
        try:
            got = path.read_bytes(), kind
        except OSError:
            return None
        with self.lock:
            self.served[name] += 1
        return got


_WAITING = ("<!doctype html><meta charset=utf-8><meta http-equiv=refresh content=1>"
            "<title>校样</title><p>正在排版… rendering the first proof…</p>")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    proof: ProofServer


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args) -> None:      # noqa: A002 - quiet: the terminal is the editor's
        pass

    def _send(self, body: bytes, kind: str, status: int = 200, cache: str = "no-store") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        srv = self.server.proof
        path = urlsplit(self.path).path.lstrip("/")
        if path in ("", "index.html"):
            self._send(srv.viewer().encode("utf-8"), "text/html; charset=utf-8")
        elif path == "events":
            self._events(srv)
        elif path == "notes":
            self._send(json.dumps({"notes": srv.notes()}, ensure_ascii=False).encode("utf-8"),
                       "application/json; charset=utf-8")
        else:
            got = srv.file(path)
            if got is None:
                self._send(b"not found\n", "text/plain; charset=utf-8", HTTPStatus.NOT_FOUND)
            else:
                # the viewer asks for an image by its version (?v=): a new version is a new address
                self._send(got[0], got[1], cache="max-age=3600" if "v=" in urlsplit(self.path).query else "no-store")

    def do_POST(self) -> None:
        srv = self.server.proof
        if urlsplit(self.path).path != "/notes":
            self._send(b"not found\n", "text/plain; charset=utf-8", HTTPStatus.NOT_FOUND)
            return
        try:
            size = int(self.headers.get("Content-Length") or 0)
            if not 0 < size <= MAX_BODY:
                raise ValueError(f"expected a JSON body of 1 to {MAX_BODY} bytes")
            body = json.loads(self.rfile.read(size))
            if not isinstance(body, dict):
                raise ValueError("expected a JSON object")
            notes = srv.change_notes(body)
        except ValueError as e:
            self._send(json.dumps({"error": str(e)}).encode(), "application/json", HTTPStatus.BAD_REQUEST)
            return
        self._send(json.dumps({"notes": notes}, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _events(self, srv: ProofServer) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        q = srv.listen()
        try:
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            while not srv.closed.is_set():
                try:
                    item = q.get(timeout=10)
                except queue.Empty:
                    self.wfile.write(b": still here\n\n")      # keeps the connection (and proxies) awake
                    self.wfile.flush()
                    continue
                if item is None:
                    break
                event, text = item
                self.wfile.write(f"event: {event}\ndata: {text}\n\n".encode("utf-8"))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass                     # the page was closed
        finally:
            srv.unlisten(q)


def _jpeg(im) -> bytes:
    b = io.BytesIO()
    im.save(b, format="JPEG", quality=JPEG_QUALITY)
    return b.getvalue()


def _pages(numbers) -> str:
    numbers = list(numbers)
    return f"page(s) {', '.join(map(str, numbers))}" if numbers else "no page changed"


def serve(issue_arg: str, style_arg: str | None = None, out: Path | None = None, *, port: int = DEFAULT_PORT,
          dpi: int = 150, grid: bool = False, lang: str = "zh") -> int:
    """``render.py --serve``: serve until Ctrl-C; exit code 0 (2: the port cannot be had)."""
    try:
        server = ProofServer(issue_arg, style_arg, out, port=port, dpi=dpi, grid=grid, lang=lang)
    except OSError as e:
        print(f"error: --port {port}: cannot serve on 127.0.0.1:{port} ({e.strerror or e}); "
              "choose another port (--port 0 picks a free one)", file=sys.stderr)
        return 2
    with server:
        server.run()
    return 0
