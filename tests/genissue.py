"""Generated test issues edited by a test: the YAML read and written back, the header kept.

tools/gen_issue.py writes a header of comments (the 【测试稿】 mark and the command that made
the issue); a test that changes the plan or the copy must keep it, so it reads and writes here.
"""
from __future__ import annotations

from pathlib import Path

import yaml


def read_generated(path: Path) -> tuple[str, dict]:
    """The issue's header comments and its data."""
    original = path.read_text(encoding="utf-8")
    header = "".join(ln + "\n" for ln in original.splitlines() if ln.startswith("#"))
    return header, yaml.safe_load(original)


def write_generated(path: Path, header: str, data: dict) -> Path:
    path.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
