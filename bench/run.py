#!/usr/bin/env python3
"""Issue 9 benchmark: the engine against Typst on the same page, and cost against pages.

    python bench/run.py                   # 7 runs of each front-page case, 5 of each test issue
    python bench/run.py --runs 9 --page-runs 5 --pages 10,50,100 --seed 1
    python bench/run.py --quick           # 5 runs, 10 and 50 pages only (a smoke run)

Every sample is a fresh process (cold interpreter, nothing imported), timed from the
parent with its own rusage (os.wait4: CPU time and peak RSS of that child alone):

  (a)  python render.py 1640 -o <tmp>          the whole issue: 4 pages, preflight, report
  (a1) python render.py <1640 page 1 only>     the same front page without pages 2-4
  (b)  python -c "import typst; typst.compile(<page-1 source>)"   bench/typst_source.py:
       the same page-1 copy on the same grid, set by Typst, written as a PDF
  (c)  python render.py <N-page test issue>    tools/gen_issue.py --pages N --seed K
  (d)  python -c "import typst; typst.compile(<N-page source>)"   the same N generated pages
       (bench/typst_source.py, every page), for the sizes in --typst-pages (default 100)

  (a2) python render.py 1640 -o <tmp> again, with the compositions the run before kept

(a), (a1), (a2) and (b) alternate run by run (the order rotates each round); the (c) sizes and
the (d) cases alternate the same way.  One untimed warm-up of each case comes first: the engine's
on-disk caches (font metrics, headline segmentation) live in a private
KECHENG_CACHE_DIR for the whole benchmark, so the timed runs are cold processes with
warm caches, as on an editor's machine after the first render; the warm-up of (a),
on empty caches, is reported on its own line.  The compositions the engine also keeps there
(compose/kept.py: every paragraph's breaks and lines) are removed before every run of (a),
(a1) and (c): those figures are the cost of new copy, tomorrow's issue, as Typst has it; (a2)
alone shows a re-render of copy set before.  Generating sources and test issues is
not timed.  The table goes to stdout and, with the machine and the command, to
bench/results.md (--no-write: stdout only; --json PATH: the raw samples).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results.md"
PY = sys.executable


@dataclass
class Sample:
    wall: float          # s, parent's clock around spawn .. reap
    cpu: float           # s, child's user + system
    maxrss_kb: int       # child's peak resident set (Linux: KiB)
    pdf_bytes: int


@dataclass
class Case:
    key: str
    label: str
    cmd: list[str]
    pdf: Path | None                 # None: the case writes no PDF (the interpreter floor)
    pages: int | None = None
    chars: int | None = None
    samples: list[Sample] = field(default_factory=list)
    # the engine's compositions kept between runs (compose/kept.py) are removed before each run:
    # the cost of new copy (tomorrow's issue), not of rendering the same pages again
    fresh: bool = False

    def med(self, attr: str) -> float:
        return statistics.median(getattr(s, attr) for s in self.samples)

    def lo(self, attr: str) -> float:
        return min(getattr(s, attr) for s in self.samples)

    def hi(self, attr: str) -> float:
        return max(getattr(s, attr) for s in self.samples)


def forget_compositions(env: dict) -> None:
    """Remove the compositions the engine keeps in its cache directory (compose/kept.py:
    breaks-*, set-*); the face metrics, segmentations and lunar dates stay."""
    cache = env.get("KECHENG_CACHE_DIR")
    if cache:
        for f in list(Path(cache).glob("breaks-*")) + list(Path(cache).glob("set-*")):
            f.unlink(missing_ok=True)


def run_once(case: Case, env: dict, timeout: float = 900.0, cwd: Path = ROOT) -> Sample:
    """One fresh process; its own rusage from wait4 (not the parent's RUSAGE_CHILDREN)."""
    if case.pdf is not None:
        case.pdf.unlink(missing_ok=True)
    if case.fresh:
        forget_compositions(env)
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(case.cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=err)
        deadline = t0 + timeout
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                p.kill()
                os.wait4(p.pid, 0)
                p.returncode = -9
                raise SystemExit(f"bench: {case.key} took longer than {timeout:.0f}s: {shlex.join(case.cmd)}")
            time.sleep(0.002)
        wall = time.perf_counter() - t0
        code = os.waitstatus_to_exitcode(status)
        p.returncode = code                      # reaped by wait4: keep Popen from waiting again
        if code != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-3000:]
            raise SystemExit(f"bench: {case.key} exited {code}: {shlex.join(case.cmd)}\n{tail}")
    if case.pdf is not None and not case.pdf.is_file():
        raise SystemExit(f"bench: {case.key} wrote no PDF at {case.pdf}")
    return Sample(wall=wall, cpu=ru.ru_utime + ru.ru_stime, maxrss_kb=ru.ru_maxrss,
                  pdf_bytes=case.pdf.stat().st_size if case.pdf is not None else 0)


RETRIES = {"count": 0}


def run_retrying(case: Case, env: dict, tries: int = 10, wait: float = 30.0) -> Sample:
    """run_once, retried when the engine fails: other engineers edit it while the benchmark
    runs, and a half-saved file breaks an import for a moment.  Retries are counted and
    reported."""
    for k in range(tries):
        try:
            return run_once(case, env)
        except SystemExit as e:
            if k == tries - 1:
                raise
            RETRIES["count"] += 1
            first = str(e).splitlines()
            print(f"\n  {case.key} failed ({(first[-1] if first else '')[:160]}); retrying in {wait:.0f} s",
                  file=sys.stderr)
            time.sleep(wait)
    raise AssertionError("unreachable")


def rounds(cases: list[Case], n: int, env: dict, progress: str) -> None:
    """n rounds; each round runs every case once, the order rotating by one each round."""
    for r in range(n):
        k = r % len(cases)
        for c in cases[k:] + cases[:k]:
            c.samples.append(run_retrying(c, env))
            print(f"\r  {progress} round {r + 1}/{n} {c.key:<6} {c.samples[-1].wall:7.3f}s",
                  end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)


# -- inputs -------------------------------------------------------------------------------

def front_page_only(src: Path, dest_dir: Path) -> Path:
    """The issue with its page plan cut to page 1 (stories of other pages dropped)."""
    import yaml
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    p1 = [p for p in data["pages"] if p.get("number") == 1]
    keep = {m.get("story") for m in p1[0]["modules"]}
    data["pages"] = p1
    data["stories"] = [s for s in data["stories"] if s.get("id") in keep]
    dest_dir.mkdir(parents=True, exist_ok=True)
    out = dest_dir / "issue.yaml"
    out.write_text("# bench/run.py: issue 1640 cut to its front page\n"
                   + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**9), encoding="utf-8")
    return out


def copy_chars(issue_yaml: Path) -> int:
    """Characters of story copy (headlines, decks, datelines, body) in an issue file."""
    import yaml
    data = yaml.safe_load(issue_yaml.read_text(encoding="utf-8"))
    n = 0
    for s in data.get("stories", []):
        for k in ("kicker", "headline", "deck", "dateline"):
            n += len(s.get(k) or "")
        for p in s.get("body", []):
            n += len(p if isinstance(p, str) else (p.get("text") or p.get("subhead") or ""))
    return n


def gen_issue(pages: int, seed: int, dest: Path, env: dict) -> Path:
    gen = ROOT / "tools" / "gen_issue.py"
    for attempt in range(6):                 # another engineer may be mid-edit: wait and retry
        if gen.is_file():
            r = subprocess.run([PY, str(gen), "--pages", str(pages), "--seed", str(seed), "-o", str(dest)],
                               cwd=ROOT, env=env, capture_output=True, text=True)
            if r.returncode == 0 and (dest / "issue.yaml").is_file():
                return dest / "issue.yaml"
            why = r.stderr.strip().splitlines()[-1:] or [f"exit {r.returncode}"]
        else:
            why = ["tools/gen_issue.py not found"]
        print(f"  gen_issue --pages {pages}: {why[0]}; retrying in 30 s", file=sys.stderr)
        time.sleep(30)
    raise SystemExit(f"bench: tools/gen_issue.py --pages {pages} failed")


# -- report -------------------------------------------------------------------------------

def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:
        nproc = os.cpu_count()
    versions = {}
    for mod in ("typst", "reportlab", "uharfbuzz", "fontTools"):
        try:
            from importlib.metadata import version
            versions[mod] = version(mod.lower() if mod != "fontTools" else "fonttools")
        except Exception:        # noqa: BLE001
            versions[mod] = "?"
    commit = "?"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, timeout=10).stdout.strip() or "?"
        dirty = subprocess.run(["git", "--no-optional-locks", "status", "--porcelain", "--untracked-files=no"],
                               cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        if dirty:
            commit += f" + uncommitted edits in {len(dirty.splitlines())} file(s)"
    except (OSError, subprocess.SubprocessError):
        pass
    return {"nproc": nproc, "cpu": cpu, "memory": mem, "python": platform.python_version(),
            "implementation": platform.python_implementation(), "os": f"{platform.system()} {platform.release()}",
            "load": " ".join(f"{x:.2f}" for x in os.getloadavg()), "versions": versions, "commit": commit}


def linfit(xs: list[float], ys: list[float]) -> tuple[float, float, float]:
    """Least squares y = a + b x: (a, b, r²)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    b = sxy / sxx if sxx else 0.0
    a = my - b * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - (a + b * x)) ** 2 for x, y in zip(xs, ys))
    return a, b, (1 - ss_res / ss_tot) if ss_tot else 1.0


def mb(kb: float) -> str:
    return f"{kb / 1024:.0f}"


def ratios(front: list[Case], growth: list[Case], typst: list[Case]) -> list[str]:
    """Ours / Typst, wall and CPU (medians), for the front page alone and each Typst size."""
    by = {c.key: c for c in front + growth + typst}
    pairs = []
    if "a1" in by and "b" in by:
        pairs.append(("front page (a1) / (b)", by["a1"], by["b"]))
    for t in typst:
        ours = by.get(f"c{t.pages}")
        if ours is not None:
            pairs.append((f"{t.pages} pages (c) / (d)", ours, t))
    out = []
    for label, ours, theirs in pairs:
        out.append(f"| {label} | {ours.med('wall'):.2f} / {theirs.med('wall'):.2f} s | "
                   f"**{ours.med('wall') / theirs.med('wall'):.2f}×** | {ours.med('cpu'):.2f} / {theirs.med('cpu'):.2f} s | "
                   f"**{ours.med('cpu') / theirs.med('cpu'):.2f}×** |")
    if not out:
        return []
    return (["## Ours / Typst", "", "| case | wall, median | wall ratio | CPU, median | CPU ratio |",
             "|---|---:|---:|---:|---:|"] + out + [""])


def report(front: list[Case], first: Sample | None, growth: list[Case], m: dict, command: str,
           runs: int, page_runs: int, seed: int, elapsed: float, typst: list[Case] = (),
           new_machine: Case | None = None) -> str:
    typst = list(typst)
    L = ratios(front, growth, typst)
    L.append("## Front page: our engine and Typst, same copy, same grid")
    L.append("")
    L.append(f"Cold processes, {runs} runs each, alternating; wall time in seconds.")
    L.append("")
    L.append("| case | median s | min s | max s | CPU s (median) | peak RSS MB (median) | PDF KB |")
    L.append("|---|---:|---:|---:|---:|---:|---:|")
    for c in front:
        L.append(f"| {c.label} | {c.med('wall'):.3f} | {c.lo('wall'):.3f} | {c.hi('wall'):.3f} | "
                 f"{c.med('cpu'):.3f} | {mb(c.med('maxrss_kb'))} | "
                 f"{c.samples[-1].pdf_bytes / 1024:.0f} |".replace("| 0 |", "| – |"))
    by = {c.key: c for c in front}
    if first is not None:
        L.append(f"| (a) once more, on empty caches (the warm-up, n=1) | {first.wall:.3f} | | | {first.cpu:.3f} | "
                 f"{mb(first.maxrss_kb)} | {first.pdf_bytes / 1024:.0f} |")
    if new_machine is not None and new_machine.samples:
        c = new_machine
        L.append(f"| {c.label} | {c.med('wall'):.3f} | {c.lo('wall'):.3f} | {c.hi('wall'):.3f} | "
                 f"{c.med('cpu'):.3f} | {mb(c.med('maxrss_kb'))} | {c.samples[-1].pdf_bytes / 1024:.0f} |")
    L.append("")
    if "b" in by:
        tb = by["b"].med("wall")
        line = f"**Ratio ours / Typst (median wall): {by['a'].med('wall') / tb:.2f}×** for the whole issue (a)"
        if "a1" in by:
            line += f", {by['a1'].med('wall') / tb:.2f}× for the front page alone (a1)"
        if "py" in by:
            base = by["py"].med("wall")
            line += (f"; less the bare interpreter start ({base:.3f} s): "
                     f"{(by['a'].med('wall') - base) / (tb - base):.2f}× (a)")
            if "a1" in by:
                line += f", {(by['a1'].med('wall') - base) / (tb - base):.2f}× (a1)"
        L.append(line + ".")
        line = f"CPU time ratio (user + system, median): {by['a'].med('cpu') / by['b'].med('cpu'):.2f}× (a)"
        if "a1" in by:
            line += f", {by['a1'].med('cpu') / by['b'].med('cpu'):.2f}× (a1)"
        L.append(line + ".")
        load = max(float(x) for x in (m["load"] + " " + m.get("load_end", "0")).split())
        if load > 0.5 * (m["nproc"] or 1):
            L.append("")
            L.append(f"Note: the machine was shared during the run (load average up to {load:.1f} on "
                     f"{m['nproc']} CPUs), so wall times include time spent waiting for a CPU; the CPU "
                     f"column is the steadier measure.")
        L.append("")
    if growth:
        L.append(f"## Cost against pages: generated test issues (tools/gen_issue.py --seed {seed})")
        L.append("")
        L.append(f"Cold processes, {page_runs} runs each, alternating. Test copy (seed sentences shuffled, "
                 f"2-4 stories a page, no photos), every page laid out by the engine; with one seed the "
                 f"smaller issues are the first pages of the larger.")
        L.append("")
        L.append("| pages | copy chars | median s | min s | max s | s/page | CPU s | peak RSS MB | PDF KB | KB/page |")
        L.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for c in growth:
            L.append(f"| {c.pages} | {c.chars} | {c.med('wall'):.2f} | {c.lo('wall'):.2f} | {c.hi('wall'):.2f} | "
                     f"{c.med('wall') / c.pages:.3f} | {c.med('cpu'):.2f} | {mb(c.med('maxrss_kb'))} | "
                     f"{c.samples[-1].pdf_bytes / 1024:.0f} | {c.samples[-1].pdf_bytes / 1024 / c.pages:.1f} |")
        for t in typst:
            L.append(f"| {t.pages} (d) Typst | {t.chars} | {t.med('wall'):.2f} | {t.lo('wall'):.2f} | {t.hi('wall'):.2f} | "
                     f"{t.med('wall') / t.pages:.3f} | {t.med('cpu'):.2f} | {mb(t.med('maxrss_kb'))} | "
                     f"{t.samples[-1].pdf_bytes / 1024:.0f} | {t.samples[-1].pdf_bytes / 1024 / t.pages:.1f} |")
        L.append("")
        if len(growth) >= 2:
            xs = [float(c.pages) for c in growth]
            a, b, r2 = linfit(xs, [c.med("wall") for c in growth])
            L.append(f"Linear fit, wall time: **{a:.2f} s + {b * 1000:.0f} ms/page** (r² = {r2:.3f})")
            a, b, r2 = linfit(xs, [c.med("maxrss_kb") / 1024 for c in growth])
            L.append(f"Linear fit, peak RSS: {a:.0f} MB + {b:.2f} MB/page (r² = {r2:.3f})")
            a, b, r2 = linfit(xs, [c.samples[-1].pdf_bytes / 1024 for c in growth])
            L.append(f"Linear fit, PDF size: {a:.0f} KB + {b:.1f} KB/page (r² = {r2:.3f})")
            L.append("")
    L.append("## Machine and command")
    L.append("")
    L.append(f"- {m['nproc']} CPU(s) available (nproc), {m['cpu']}, {m['memory']} RAM; {m['os']}; "
             f"load average (1, 5, 15 min) at start {m['load']}, at end {m.get('load_end', '?')}")
    L.append(f"- Python {m['python']} ({m['implementation']}); " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()))
    L.append(f"- commit {m['commit']}")
    if m.get("retries"):
        L.append(f"- {m['retries']} sample(s) failed while the engine was being edited and were retried "
                 f"after 30 s; the engine may have changed between samples")
    L.append(f"- `{command}` (run from the repository root; took {elapsed:.0f} s, "
             f"{dt.datetime.now().strftime('%Y-%m-%d %H:%M')})")
    L.append("")
    L.append("Cases, each a fresh process (`python` is this interpreter):")
    L.append("")
    for c in front + growth + typst:
        L.append(f"- {c.key}: `{_show(c.cmd)}`")
    L.append("")
    L.append("Timed from the parent around spawn and reap; CPU time and peak RSS are the child's own "
             "(`os.wait4` rusage, `ru_maxrss`). The engine's caches sit in a private `KECHENG_CACHE_DIR`, "
             "filled by one untimed warm-up of each case, and "
             + ("bytecode is cached in a private `PYTHONPYCACHEPREFIX` (the environment's "
                "`PYTHONDONTWRITEBYTECODE` is lifted for the children). "
                if not m.get("no_bytecode_cache") else "bytecode caching is as the environment has it. ")
             + "Typst is given our fonts only "
             "(`font_paths=[fonts/]`, `ignore_system_fonts=True`). (a) sets 4 pages (page 1 and three "
             "reserved frames) and runs the preflight (reading the PDF back) and writes its JSON report; "
             "(b) sets page 1 only, so (a1) is the like-for-like line. (d) sets the same generated pages "
             "as (c) with Typst, each page's stories full-width modules in plan order as in (b), Typst "
             "filling the columns without the engine's make-up search or balancing.")
    return "\n".join(L) + "\n"


def _show(cmd: list[str]) -> str:
    """A command as one would type it (python -c code in double quotes)."""
    out = []
    for i, x in enumerate(cmd):
        x = x.replace(PY, "python").replace(str(ROOT) + "/", "")
        out.append(f'"{x}"' if i and cmd[i - 1] == "-c" else shlex.quote(x))
    return " ".join(out)


def first_render_on_a_new_machine(tmp: Path, issue: str, runs: int) -> Case:
    """The first render after a clone and `pip install` (issue 18 item 4: under 1.5 s, 150 MB).

    The project's tracked files are copied to a folder with no __pycache__ and each run gets an
    empty KECHENG_CACHE_DIR, so every run builds the face metrics and the segmentation afresh and
    compiles the project's own modules (PYTHONDONTWRITEBYTECODE keeps them uncompiled for the
    next run); the dependencies' bytecode is what pip compiled at install, as on a new machine.
    """
    clone = tmp / "new-machine"
    for name in subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                               check=True).stdout.splitlines():
        src = ROOT / name
        if src.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            (clone / name).write_bytes(src.read_bytes())
    case = Case("new", f"(new) `render.py {issue}` on a new machine: empty caches, project uncompiled, "
                       f"n={runs}", [PY, "render.py", issue, "-o", str(tmp / "new.pdf")], tmp / "new.pdf")
    for k in range(runs):
        env = {key: v for key, v in os.environ.items() if key != "PYTHONPYCACHEPREFIX"}
        env.update(PYTHONDONTWRITEBYTECODE="1", KECHENG_CACHE_DIR=str(tmp / f"new-cache-{k}"))
        print(f"bench: first render on a new machine, run {k + 1} of {runs}", file=sys.stderr)
        case.samples.append(run_once(case, env, cwd=clone))
    return case


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7, help="timed runs of each front-page case (default 7, at least 5)")
    ap.add_argument("--page-runs", type=int, default=5, help="timed runs of each test issue (default 5)")
    ap.add_argument("--pages", default="10,50,100", help="test issue sizes, comma-separated (default 10,50,100; "
                                                         "'' for none)")
    ap.add_argument("--typst-pages", default="100", help="test issue sizes Typst also sets, every page "
                                                         "(default 100; '' for none)")
    ap.add_argument("--seed", type=int, default=1, help="tools/gen_issue.py seed (default 1)")
    ap.add_argument("--issue", default="1640", help="the real issue for (a)/(b) (default 1640)")
    ap.add_argument("--quick", action="store_true", help="5 runs, 3 page runs, 10 and 50 pages")
    ap.add_argument("--no-write", action="store_true", help="print only; leave bench/results.md alone")
    ap.add_argument("--json", metavar="PATH", help="also write the raw samples as JSON")
    ap.add_argument("--no-bytecode-cache", action="store_true",
                    help="keep the environment's PYTHONDONTWRITEBYTECODE / PYTHONPYCACHEPREFIX (default: "
                         "bytecode cached in a temporary folder, as on a normal install)")
    ap.add_argument("--new-machine-runs", type=int, default=3,
                    help="runs of the first render on a new machine (issue 18 item 4; default 3, 0 for none)")
    a = ap.parse_args(argv)
    if a.quick:
        a.runs, a.page_runs, a.pages = 5, 3, "10,50"
    if a.runs < 5 and not a.quick:
        print("bench: note: fewer than 5 runs; medians are noisy", file=sys.stderr)
    sizes = [int(x) for x in a.pages.split(",") if x.strip()]
    typst_sizes = [int(x) for x in a.typst_pages.split(",") if x.strip() and int(x) in sizes]
    command = shlex.join(["python", "bench/run.py"] + (sys.argv[1:] if argv is None else argv))
    t_start = time.perf_counter()
    m = machine()

    from bench.typst_source import compile_kwargs, find_issue, typst_source

    with tempfile.TemporaryDirectory(prefix="kecheng-bench-") as tmpd:
        tmp = Path(tmpd)
        env = dict(os.environ, KECHENG_CACHE_DIR=str(tmp / "cache"))
        if not a.no_bytecode_cache:
            # bytecode cached as on any normal install, but in the temporary folder (never
            # __pycache__ in the repository); the warm-ups compile it
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(tmp / "pyc")
        issue = find_issue(a.issue)
        typ = tmp / "front.typ"
        typ.write_text(typst_source(issue), encoding="utf-8")
        one = front_page_only(issue, tmp / "front-only")
        kw = compile_kwargs()
        typst_code = (f"import typst; typst.compile({str(typ)!r}, output={str(tmp / 'b.pdf')!r}, "
                      f"font_paths={kw['font_paths']!r}, ignore_system_fonts={kw['ignore_system_fonts']!r}, "
                      f"root={kw['root']!r})")
        front = [
            Case("a", f"(a) ours: `render.py {a.issue}` (4 pages)", [PY, "render.py", a.issue, "-o", str(tmp / "a.pdf")],
                 tmp / "a.pdf", fresh=True),
            Case("b", "(b) Typst: page 1, same copy and grid", [PY, "-c", typst_code], tmp / "b.pdf"),
            Case("a1", f"(a1) ours: {a.issue} page 1 only", [PY, "render.py", str(one), "-o", str(tmp / "a1.pdf")],
                 tmp / "a1.pdf", fresh=True),
            # the same issue rendered again with what the run before composed kept (an edit-and-
            # render loop without --serve): every other case of ours composes its copy afresh
            Case("a2", f"(a2) ours: `render.py {a.issue}` again, its compositions kept",
                 [PY, "render.py", a.issue, "-o", str(tmp / "a2.pdf")], tmp / "a2.pdf"),
        ]
        floor = Case("py", "(floor) `python -c pass`, interpreter start", [PY, "-c", "pass"], None)

        print(f"bench: warm-up ({len(front)} front-page cases)", file=sys.stderr)
        first = run_retrying(front[0], env)           # on empty caches
        for c in front[1:] + [floor]:
            run_retrying(c, env)
        rounds(front + [floor], a.runs, env, "front page")
        new_machine = first_render_on_a_new_machine(tmp, a.issue, a.new_machine_runs)

        growth: list[Case] = []
        typst: list[Case] = []
        for n in sizes:
            path = gen_issue(n, a.seed, tmp / f"gen{n}", env)
            growth.append(Case(f"c{n}", f"(c) {n} pages", [PY, "render.py", str(path), "-o", str(tmp / f"c{n}.pdf")],
                               tmp / f"c{n}.pdf", pages=n, chars=copy_chars(path), fresh=True))
            if n in typst_sizes:
                src = tmp / f"gen{n}.typ"
                src.write_text(typst_source(path, page=None), encoding="utf-8")
                code = (f"import typst; typst.compile({str(src)!r}, output={str(tmp / f'd{n}.pdf')!r}, "
                        f"font_paths={kw['font_paths']!r}, ignore_system_fonts={kw['ignore_system_fonts']!r}, "
                        f"root={kw['root']!r})")
                typst.append(Case(f"d{n}", f"(d) Typst: the same {n} pages", [PY, "-c", code], tmp / f"d{n}.pdf",
                                  pages=n, chars=growth[-1].chars))
        if growth:
            # the smaller test issues are prefixes of the larger (same seed): warming up the
            # largest fills the segmentation cache for all of them
            print(f"bench: warm-up ({max(sizes)} pages)", file=sys.stderr)
            run_retrying(max(growth, key=lambda c: c.pages), env)
            for t in typst:
                run_retrying(t, env)
            rounds(growth + typst, a.page_runs, env, "pages")
        for c in front + [floor] + growth + typst + [new_machine]:
            c.cmd = [x.replace(tmpd, "<tmp>") for x in c.cmd]

    elapsed = time.perf_counter() - t_start
    m["retries"] = RETRIES["count"]
    m["no_bytecode_cache"] = a.no_bytecode_cache
    m["load_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    text = report(front + [floor], first, growth, m, command, a.runs, a.page_runs, a.seed, elapsed, typst,
                  new_machine)
    print(text)
    if not a.no_write:
        RESULTS.write_text("# Benchmark results (issue 9)\n\nWritten by `bench/run.py`; see its docstring for what "
                           "each case measures.\n\n" + text, encoding="utf-8")
        print(f"wrote {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    if a.json:
        Path(a.json).write_text(json.dumps({
            "machine": m, "command": command,
            "cases": [{"key": c.key, "label": c.label, "pages": c.pages, "chars": c.chars,
                       "samples": [asdict(s) for s in c.samples]} for c in front + [floor] + growth + typst],
            "first_run_empty_cache": asdict(first)}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
