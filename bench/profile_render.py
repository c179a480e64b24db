#!/usr/bin/env python3
"""Where `python render.py 1640` spends its time: stages, imports, hot functions.

    python bench/profile_render.py                 # 5 fresh processes, medians by stage
    python bench/profile_render.py --runs 9 --issue 1640 --cprofile /tmp/r.prof --top 30
    python bench/profile_render.py --importtime    # also: -X importtime, grouped
    python bench/profile_render.py --experiments   # also: candidate changes timed from outside the engine

Each run is a fresh interpreter that runs `render.py 1640 -o <tmp>` as __main__ (runpy, so
its GC settings and exit path are included), with timers wrapped around the pipeline's stages and a few functions inside
them (face loading, composition, placement, subsetting, PDF assembly, the preflight's read
back).  The timers are plain perf_counter wrappers (a few dozen calls), so unlike cProfile
they do not inflate Python-heavy stages.  Times are inclusive; a nested line is part of the
line above it.  A wrapper whose function no longer exists (the engine is being edited) is
reported as n/a.  The engine's caches go to a private KECHENG_CACHE_DIR (warmed by one
untimed run) and bytecode to a private PYTHONPYCACHEPREFIX, as in bench/run.py.

Reads only; writes nothing in the repository.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

T_START = time.perf_counter()
ROOT = Path(__file__).resolve().parent.parent

# (label, module, attribute, depth): wrapped in that order; depth is for the printout only
STAGES = [
    ("load: issue + style YAML", "layout.pipeline", "load", 1),
    ("fonts: build_fontset (5 faces)", "layout.pipeline", "build_fontset", 1),
    ("face: read_face (cache read + build)", "layout.fonts.face", "read_face", 2),
    ("face: _build_face (cmap dict)", "layout.fonts.face", "_build_face", 3),
    ("place: place_issue", "layout.pipeline", "place_issue", 1),
    ("place: make-up search", "layout.place.page", "search", 2),
    ("compose: compose_paragraph (all)", "layout.place.textset", "compose_paragraph", 2),
    ("headlines: best_breaks", "layout.place.textset", "best_breaks", 2),
    ("check: accounting", "layout.pipeline", "check_accounting", 1),
    ("emit: write_pdf", "layout.emit.pdf", "write_pdf", 1),
    ("emit: _render (drawing ops)", "layout.emit.pdf", "_render", 2),
    ("emit: font addObjects (embed)", "layout.emit.cidfont._DocFont", "addObjects", 3),
    # the subset worker (emit/subsets.py): this harness imports the engine before render.main
    # starts the worker, so the worker starts ~50 ms later than in a plain run and the wait
    # here is longer than a plain run's (bench/PROFILE.md, Status)
    ("emit: waiting for the subset worker", "layout.emit.subsets.SubsetJob", "_collect", 4),
    ("emit: subsets made in process (no worker)", "layout.emit.subsets", "make_program", 4),
    ("preflight", "layout.pipeline", "preflight", 1),
    ("preflight: pdf_findings (read back)", "layout.check.preflight", "pdf_findings", 2),
    ("preflight: write_report (JSON)", "layout.pipeline", "write_report", 1),
]

IMPORTS = [   # in the order render.main imports them, then render()'s lazy one
    ("import layout.check.accounting", "layout.check.accounting"),
    ("import layout.load.source", "layout.load.source"),
    ("import layout.pipeline", "layout.pipeline"),
    ("import layout.emit.pdf (lazy, in render)", "layout.emit.pdf"),
    ("import layout.check.report", "layout.check.report"),
]


# -- child: one instrumented render -----------------------------------------------------

def child(issue: str, out: str, cprofile: str | None, result: str) -> None:
    import importlib
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    t_main = time.perf_counter()
    res: dict[str, float] = {}
    del t_main
    for label, mod in IMPORTS:
        t = time.perf_counter()
        try:
            importlib.import_module(mod)
        except Exception:          # noqa: BLE001
            res[label] = float("nan")
            continue
        res[label] = time.perf_counter() - t
    acc: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)

    def wrap(label, owner, name):
        fn = getattr(owner, name)

        def timed(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                acc[label] += time.perf_counter() - t
                calls[label] += 1
        timed.__wrapped__ = fn
        setattr(owner, name, timed)

    for label, mod, attr, _ in STAGES:
        try:
            parts = mod.split(".")
            owner = None
            for i in range(len(parts), 0, -1):       # module, or a class inside one
                try:
                    owner = importlib.import_module(".".join(parts[:i]))
                    for p in parts[i:]:
                        owner = getattr(owner, p)
                    break
                except ImportError:
                    continue
            if owner is None or not hasattr(owner, attr):
                continue
            wrap(label, owner, attr)
        except Exception:          # noqa: BLE001
            continue
    # run render.py itself as __main__ (its GC settings and exit path included); the results
    # are written when pipeline.render returns, since render.py may leave by os._exit
    import runpy
    import layout.pipeline as pl
    prof = None
    if cprofile:
        import cProfile
        prof = cProfile.Profile()
    inner = pl.render
    t_main = [0.0]

    def render_and_report(*a, **k):
        try:
            return inner(*a, **k)
        finally:
            if prof:
                prof.disable()
                prof.dump_stats(cprofile)
            res["render.main (after imports)"] = time.perf_counter() - t_main[0]
            for label, *_ in STAGES:
                res[label] = acc[label] if label in calls else float("nan")
                res[label + " #calls"] = calls.get(label, 0)
            res["total in process"] = time.perf_counter() - T_START
            res["pipeline done at"] = time.perf_counter()     # system-wide monotonic clock
            Path(result).write_text(json.dumps(res))
    pl.render = render_and_report
    sys.argv = [str(ROOT / "render.py"), issue, "-o", out]
    t_main[0] = time.perf_counter()
    if prof:
        prof.enable()
    runpy.run_path(str(ROOT / "render.py"), run_name="__main__")


# -- experiments: engine changes tried without editing the engine --------------------------

EXPERIMENT = r"""
import os, sys, runpy
PRE
sys.path.insert(0, ROOT); os.chdir(ROOT)
sys.argv = [os.path.join(ROOT, "render.py"), ISSUE, "-o", OUT]
RUN
"""
AS_IS = 'runpy.run_path(os.path.join(ROOT, "render.py"), run_name="__main__")'
PLAIN = ("import render, io, contextlib\n"
         "with contextlib.redirect_stdout(io.StringIO()):\n    code = render.main(sys.argv[1:])\nsys.exit(code)")

#: name -> (Python run first, how render.py is run)
VARIANTS = {
    "render.py as it is": ("", AS_IS),
    "render.main() called plainly (default GC, normal interpreter exit)": ("", PLAIN),
    "no preflight read-back (pdf_findings -> [], pypdf never imported)":
        ("import layout.check.preflight as pf; pf.pdf_findings = lambda *a, **k: []", AS_IS),
    "pypdf without cryptography": ("sys.modules['cryptography'] = None", AS_IS),
}


def experiments(issue: str, out: Path, env: dict, runs: int) -> None:
    """Each variant in fresh processes, alternating; CPU (rusage) and wall, and the PDF size."""
    res: dict[str, list[tuple[float, float, float, int]]] = {k: [] for k in VARIANTS}
    for r in range(runs + 1):                      # round 0 warms bytecode and caches
        names = list(VARIANTS)
        k = r % len(names)
        for name in names[k:] + names[:k]:
            pre, run = VARIANTS[name]
            code = (EXPERIMENT.replace("PRE", pre).replace("RUN", run)
                    .replace("ROOT", repr(str(ROOT))).replace("ISSUE", repr(issue)).replace("OUT", repr(str(out))))
            with tempfile.TemporaryFile() as err:
                t = time.perf_counter()
                p = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                     stderr=err)
                _, status, ru = os.wait4(p.pid, 0)
                e = time.perf_counter()
                p.returncode = os.waitstatus_to_exitcode(status)
                if p.returncode != 0:
                    err.seek(0)
                    raise SystemExit(f"experiment {name!r} failed:\n{err.read().decode()[-2000:]}")
            if r:
                res[name].append(((e - t) * 1000, 0.0, (ru.ru_utime + ru.ru_stime) * 1000, out.stat().st_size))
    base = statistics.median(x[0] for x in res[list(VARIANTS)[0]])
    print(f"\n## Experiments on render.py {issue}: medians of {runs} fresh processes, alternating\n")
    cbase = statistics.median(x[2] for x in res[list(VARIANTS)[0]])
    print("| variant | wall ms | vs first | CPU ms | vs first | PDF KB |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, v in res.items():
        w = statistics.median(x[0] for x in v)
        c = statistics.median(x[2] for x in v)
        print(f"| {name} | {w:.0f} | {w - base:+.0f} | {c:.0f} | {c - cbase:+.0f} | {v[-1][3] / 1024:.0f} |")


# -- parent --------------------------------------------------------------------------------

def run_child(issue: str, out: Path, env: dict, cprofile: str | None = None) -> tuple[dict, float, float]:
    """One instrumented render.py in a fresh process: (stage results, process wall s, seconds
    from pipeline.render's return to the process's end: summary printing and teardown)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        result = Path(f.name)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", issue, "--out", str(out), "--result", str(result)]
    if cprofile:
        cmd += ["--cprofile", cprofile]
    try:
        t = time.perf_counter()
        p = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        end = time.perf_counter()
        if p.returncode != 0:
            raise SystemExit(f"profile child failed ({p.returncode}):\n{p.stderr.decode()[-3000:]}")
        res = json.loads(result.read_text())
    finally:
        result.unlink(missing_ok=True)
    return res, end - t, end - res.pop("pipeline done at")


def importtime(issue: str, out: Path, env: dict, runs: int = 3) -> list[tuple[str, float, float, int]]:
    """-X importtime of `render.py`: (module, self ms, cumulative ms, depth), medians."""
    per: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    order: list[str] = []
    for _ in range(runs):
        r = subprocess.run([sys.executable, "-X", "importtime", "render.py", issue, "-o", str(out)],
                           cwd=ROOT, env=env, capture_output=True, text=True)
        for line in r.stderr.splitlines():
            m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
            if m:
                name = m[4]
                if name not in per:
                    order.append(name)
                per[name].append((int(m[1]), int(m[2]), (len(m[3]) - 1) // 2))
    return [(n, statistics.median(x[0] for x in per[n]) / 1000, statistics.median(x[1] for x in per[n]) / 1000,
             per[n][0][2]) for n in order]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench/profile_render.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--child", metavar="ISSUE", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    ap.add_argument("--issue", default="1640")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cprofile", metavar="PATH", help="also write a cProfile of one run's render.main here")
    ap.add_argument("--top", type=int, default=25, help="hot functions to list from the cProfile run")
    ap.add_argument("--importtime", action="store_true", help="also run -X importtime (3 runs) and group it")
    ap.add_argument("--experiments", action="store_true",
                    help="also time variants (render.py as is, plain main(), no pypdf read-back, pypdf "
                         "without cryptography) in fresh processes, without editing the engine")
    a = ap.parse_args(argv)
    if a.child:
        child(a.child, a.out, a.cprofile, a.result)
        return 0

    with tempfile.TemporaryDirectory(prefix="kecheng-prof-") as tmpd:
        tmp = Path(tmpd)
        env = dict(os.environ, KECHENG_CACHE_DIR=str(tmp / "cache"), PYTHONPYCACHEPREFIX=str(tmp / "pyc"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        out = tmp / "p.pdf"
        run_child(a.issue, out, env)                     # warm caches and bytecode
        floor = []
        for _ in range(a.runs):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
            floor.append(time.perf_counter() - t)
        results, walls, tails = [], [], []
        for _ in range(a.runs):
            r, wall, tail = run_child(a.issue, out, env)
            results.append(r)
            walls.append(wall)
            tails.append(tail)
        keys = [k for k in results[0] if not k.endswith("#calls")]
        med = {k: statistics.median(r[k] for r in results) for k in keys}
        print(f"## render.py {a.issue}: medians of {a.runs} fresh processes (ms)\n")
        print(f"process wall time (parent's clock): {statistics.median(walls) * 1000:.0f} ms; "
              f"bare `python -c pass`: {statistics.median(floor) * 1000:.0f} ms\n")
        print("| stage | ms | calls |")
        print("|---|---:|---:|")
        for label, _ in IMPORTS:
            print(f"| {label} | {med[label] * 1000:.0f} | |")
        print(f"| render.main after the imports, to the end of pipeline.render | {med['render.main (after imports)'] * 1000:.0f} | |")
        for label, _, _, depth in STAGES:
            v = med[label]
            n = results[0].get(label + " #calls", 0)
            name = ("&nbsp;&nbsp;" * (depth - 1)) + label
            print(f"| {name} | {'n/a' if v != v else f'{v * 1000:.1f}'} | {n or ''} |")
        print(f"| total in process, to the end of pipeline.render | {med['total in process'] * 1000:.0f} | |")
        print(f"| after pipeline.render: summary, exit (teardown unless render.py skips it) | "
              f"{statistics.median(tails) * 1000:.0f} | |")

        if a.cprofile:
            r, _, _ = run_child(a.issue, out, env, cprofile=a.cprofile)
            import pstats
            st = pstats.Stats(a.cprofile)
            print(f"\n## cProfile of render.main (one run; cProfile inflates Python-heavy code): "
                  f"top {a.top} by own time\n")
            rows = sorted(st.stats.items(), key=lambda kv: -kv[1][2])[:a.top]
            print("| own ms | cum ms | calls | function |")
            print("|---:|---:|---:|---|")
            for (file, line, fn), (cc, nc, tt, ct, _) in rows:
                f = file.replace(str(ROOT) + "/", "")
                f = re.sub(r".*site-packages/", "", f)
                f = re.sub(r".*/lib/python3\.\d+/", "stdlib/", f)
                print(f"| {tt * 1000:.1f} | {ct * 1000:.1f} | {nc} | `{f}:{line}({fn})` |")
            groups: dict[str, float] = defaultdict(float)
            for (file, line, fn), (cc, nc, tt, ct, _) in st.stats.items():
                if "site-packages/" in file:
                    g = file.split("site-packages/")[1].split("/")[0]
                elif str(ROOT) in file:
                    rel = file.replace(str(ROOT) + "/", "")
                    g = "/".join(rel.split("/")[:2]) if rel.startswith("layout/") else rel
                elif file.startswith("<frozen") or fn in ("<built-in method marshal.loads>",):
                    g = "import machinery"
                elif file == "~":
                    g = "builtins (C): " + fn.split(" ")[-1].rstrip(">").split(".")[-1] if tt > 0.005 else "builtins (C), other"
                else:
                    g = "stdlib"
                groups[g] += tt
            print("\nOwn time by package / engine folder (ms):\n")
            for g, v in sorted(groups.items(), key=lambda kv: -kv[1])[:25]:
                print(f"- {g}: {v * 1000:.1f}")

        if a.importtime:
            rows = importtime(a.issue, out, env)
            tops = [r for r in rows if r[3] == 0]
            print(f"\n## -X importtime of render.py {a.issue} (medians of 3; importtime adds its own overhead)\n")
            print(f"all imports: {sum(r[2] for r in tops):.0f} ms cumulative\n")
            print("| cumulative ms | self ms | top-level import (as first triggered) |")
            print("|---:|---:|---|")
            for n, s, c, d in sorted(tops, key=lambda r: -r[2])[:15]:
                print(f"| {c:.1f} | {s:.1f} | {n} |")
            by: dict[str, float] = defaultdict(float)
            for n, s, c, d in rows:
                by[n.split(".")[0]] += s
            print("\nSelf time by top-level package (ms): "
                  + ", ".join(f"{k} {v:.0f}" for k, v in sorted(by.items(), key=lambda kv: -kv[1])[:18]))
        if a.experiments:
            experiments(a.issue, out, env, a.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
