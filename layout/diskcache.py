"""Small results kept between runs in the engine's cache directory (fonts/face.py's
``cache_dir``): one JSON object a file, read once, written atomically when it grew.
For facts that cost more to compute than to look up: word segmentations, lunar dates."""
from __future__ import annotations

import json
from pathlib import Path

from .atomic import write_atomic


class JsonCache:
    """A dict persisted as one JSON file.  An unreadable file counts as empty, and a file
    that cannot be written only costs time."""

    def __init__(self, path: Path):
        self.path = path
        self._data: dict | None = None
        self._dirty = False

    def data(self) -> dict:
        if self._data is None:
            try:
                self._data = json.loads(self.path.read_text(encoding="utf-8"))
                if not isinstance(self._data, dict):
                    self._data = {}
            except (OSError, ValueError):
                self._data = {}
        return self._data

    def get(self, key: str):
        return self.data().get(key)

    def put(self, key: str, value) -> None:
        self.data()[key] = value
        self._dirty = True

    def save(self) -> None:
        if not self._dirty or self._data is None:
            return
        try:
            write_atomic(self.path, json.dumps(self._data, ensure_ascii=False, sort_keys=True).encode("utf-8"),
                         mode_from_umask=False)
            self._dirty = False
        except OSError:
            pass
