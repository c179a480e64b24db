"""Font programs made ahead by the subset worker (layout/emit/subsets.py): the plan is exact,
the worker's programs are the ones used, and every fallback gives the same file."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from layout.emit import subsets
from layout.emit.subsets import SubsetJob, make_program
from layout.emit.textplan import glyph_plan
from layout.pipeline import _fonts, load, place_issue, print_settings, render
from seed import ROOT

sys.path.insert(0, str(ROOT))
from tools.gen_issue import generate  # noqa: E402


# the worker runs where processes can be spawned and there is a second CPU
needs_worker = pytest.mark.skipif(not subsets._can_spawn(), reason="no worker here: subsets are made in process")


def _spy(monkeypatch) -> list[SubsetJob]:
    jobs: list[SubsetJob] = []
    real = subsets.start

    def start():
        job = real()
        jobs.append(job)
        return job
    monkeypatch.setattr(subsets, "start", start)
    return jobs


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """1640 with every subset made in process."""
    d = tmp_path_factory.mktemp("ref")
    mp = pytest.MonkeyPatch()
    mp.setenv(subsets.ENV_SWITCH, "0")
    try:
        r = render("1640", d / "ref.pdf")
    finally:
        mp.undo()
    return r.pdf.read_bytes()


@needs_worker
def test_worker_makes_every_program_of_1640(tmp_path, monkeypatch, reference):
    jobs = _spy(monkeypatch)
    r = render("1640", tmp_path / "w.pdf")
    job, = jobs
    assert job.pid is None and job.fd_out is None            # reaped
    assert sorted(job.used_worker) == sorted(job.plan) and len(job.plan) == 5
    assert job.made_here == []
    assert r.pdf.read_bytes() == reference


def test_plan_is_the_drawn_glyph_set(tmp_path):
    """On a generated issue with photo frames, jumps and overset the plan made before drawing
    is exactly what the emitter drew: a job that only serves planned sets is asked for the
    planned set of every face."""
    path = generate(tmp_path / "g", pages=4, stories_per_page=(3, 6), photos=True, seed=5)
    photos = sorted(p for p in path.parent.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    assert len(photos) >= 2
    photos[0].unlink()                  # one frame is drawn as a labelled placeholder
    issue, style = load(str(path))
    fonts = _fonts(style)
    laid = place_issue(issue, style, fonts)
    plan = glyph_plan(laid, issue, style, fonts, print_settings(style))

    class Recorder(SubsetJob):
        def __init__(self):
            super().__init__()
            self.asked = {}

        def program(self, key, gids):
            self.asked[key] = tuple(gids)
            return super().program(key, gids)

    job = Recorder()
    r = render(str(path), tmp_path / "g.pdf", programs=job)
    assert r.pdf is not None
    assert job.asked == {k: tuple(v) for k, v in plan.items()}
    assert any(not getattr(it, "present", True) for p in laid.pages for it in p.items)   # placeholders drawn


def test_a_plan_that_misses_a_glyph_is_not_used(tmp_path, reference):
    """A worker program made for another glyph set is never embedded: that face is subset
    in process and the file is the same."""
    issue, style = load("1640")
    fonts = _fonts(style)
    laid = place_issue(issue, style, fonts)
    plan = glyph_plan(laid, issue, style, fonts, print_settings(style))
    key = max(plan, key=lambda k: len(plan[k]))
    wrong = dict(plan)
    wrong[key] = plan[key][:-1]
    job = SubsetJob()
    job.results = {k: (tuple(g), make_program(fonts.faces[k].path, g, fonts.faces[k].is_cff))
                   for k, g in wrong.items()}
    r = render("1640", tmp_path / "m.pdf", programs=job)
    assert job.made_here == [key] and sorted(job.used_worker) == sorted(set(plan) - {key})
    assert r.pdf.read_bytes() == reference


@needs_worker
def test_a_dead_worker_costs_time_not_the_file(tmp_path, reference):
    job = subsets.start()
    assert job.pid is not None
    os.kill(job.pid, 9)
    r = render("1640", tmp_path / "d.pdf", programs=job)
    assert sorted(job.made_here) == sorted(job.plan) and job.used_worker == []
    assert job.pid is None
    assert r.pdf.read_bytes() == reference


def test_switch_off(monkeypatch):
    monkeypatch.setenv(subsets.ENV_SWITCH, "0")
    job = subsets.start()
    assert job.pid is None and job.fd_out is None


def test_no_worker_on_one_cpu(monkeypatch):
    monkeypatch.setattr(subsets, "_cpus", lambda: 1)
    job = subsets.start()
    assert job.pid is None and job.fd_out is None


def test_render_py_with_and_without_worker_writes_the_same_bytes(tmp_path):
    outs = []
    for switch in ("1", "0"):
        out = tmp_path / f"{switch}.pdf"
        env = dict(os.environ, **{subsets.ENV_SWITCH: switch})
        p = subprocess.run([sys.executable, str(ROOT / "render.py"), "1640", "-o", str(out)], cwd=tmp_path,
                           env=env, capture_output=True, text=True, timeout=300)
        assert p.returncode == 0, p.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_the_worker_imports_no_reportlab():
    """The worker is subset_worker.py run as a script: it must not pay for reportlab or the engine."""
    script = Path(subsets.subset_worker.__file__)
    probe = ("import sys, runpy\n"
             f"runpy.run_path({str(script)!r}, run_name='probe')\n"
             "print(sorted(m for m in sys.modules if m.startswith(('reportlab', 'layout', 'PIL', 'fontTools', 'yaml', 'msgspec'))))\n")
    p = subprocess.run([sys.executable, "-S", "-E", "-P", "-c", probe], capture_output=True, text=True, timeout=60,
                       cwd=script.parent)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "[]"


@needs_worker
def test_the_renderer_itself_loads_neither_canvas_nor_harfbuzz(tmp_path):
    """With the worker, render.py's own process writes pages without reportlab's Canvas and
    never loads HarfBuzz (the worker subsets and reports the face facts; page 1's vertical
    headline is shaped once, then read from the engine's cache: a first run warms it)."""
    warm = subprocess.run([sys.executable, "render.py", "1640", "-o", str(tmp_path / "warm.pdf")], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert warm.returncode == 0, warm.stderr
    code = ("import sys, render\n"
            "rc = render.main(['1640', '-o', sys.argv[1]])\n"
            "print(rc, sorted({m.split('.')[0] + '.' + m.split('.')[1] for m in sys.modules\n"
            "                  if m.startswith(('reportlab.pdfgen', 'uharfbuzz.'))} | \n"
            "                 ({'uharfbuzz'} & set(sys.modules))))\n")
    p = subprocess.run([sys.executable, "-c", code, str(tmp_path / "n.pdf")], cwd=ROOT, capture_output=True,
                       text=True, timeout=300)
    assert p.stdout.strip().splitlines()[-1] == "0 []", p.stderr


@needs_worker
def test_a_forked_worker_makes_every_program_of_1640(tmp_path, reference):
    """render.py forks its worker (subsets.start(fork=True)): the same programs, the same file."""
    job = subsets.start(fork=True)
    assert job.pid is not None
    r = render("1640", tmp_path / "f.pdf", programs=job)
    assert sorted(job.used_worker) == sorted(job.plan) and len(job.plan) == 5
    assert job.made_here == [] and job.pid is None
    assert r.pdf.read_bytes() == reference


@needs_worker
def test_a_dead_forked_worker_costs_time_not_the_file(tmp_path, reference):
    job = subsets.start(fork=True)
    os.kill(job.pid, 9)
    r = render("1640", tmp_path / "d.pdf", programs=job)
    assert sorted(job.made_here) == sorted(job.plan) and job.used_worker == []
    assert r.pdf.read_bytes() == reference
