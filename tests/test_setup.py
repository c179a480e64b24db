"""What a new user meets before any page is set: a Python without the engine's packages."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_python_without_the_dependencies_is_told_how_to_install_them(tmp_path):
    # -S: no site-packages, so none of the engine's dependencies import (the stdlib does)
    run = subprocess.run([sys.executable, "-S", str(ROOT / "render.py"), "1640", "-o", str(tmp_path / "x.pdf")],
                         capture_output=True, text=True, timeout=60, cwd=tmp_path)
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 3 and len(lines) == 1, run.stderr
    assert "is not installed" in lines[0] and "python -m pip install -e" in lines[0]
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_nothing_reads_outside_the_repository():
    """The project carries what its tests and tools read: no path into the folder beside it
    that holds the shared seeds (a clone with nothing beside it must pass)."""
    beside = "sha" + "red"          # spelt in parts so that this guard does not match itself
    offenders = []
    for folder in ("layout", "tests", "tools", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if f'"{beside}"' in text or f"'{beside}'" in text or f"../{beside}" in text:
                offenders.append(str(path.relative_to(ROOT)))
    assert (ROOT / "issues" / "1640" / "source" / "000_c0214c87c37c3824.txt").is_file()
    assert offenders == [], offenders
