"""The small on-disk caches (lunar dates, word segmentations) and what a warm run skips."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from layout.diskcache import JsonCache
from layout.place.calendar import compute_lunar_line, lunar_line
from layout.place.headline import Segmenter

ROOT = Path(__file__).resolve().parent.parent


def test_lunar_cache_ignores_a_bad_entry(tmp_path):
    day = dt.date(2020, 3, 16)
    path = tmp_path / "lunar.json"
    path.write_text(json.dumps({f"1:{day.isoformat()}": "rubbish"}), encoding="utf-8")
    assert lunar_line(day, JsonCache(path)) == "农历庚子年二月廿三"
    assert json.loads(path.read_text(encoding="utf-8"))[f"1:{day.isoformat()}"] == "农历庚子年二月廿三"


def test_lunar_cache_survives_a_broken_file(tmp_path):
    path = tmp_path / "lunar.json"
    path.write_bytes(b"\xff{not json")
    assert lunar_line(dt.date(2021, 2, 12), JsonCache(path)) == compute_lunar_line(dt.date(2021, 2, 12))
    assert json.loads(path.read_text(encoding="utf-8")) == {"1:2021-02-12": "农历辛丑年正月初一"}


def test_unwritable_cache_only_costs_time(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = JsonCache(blocker / "sub" / "lunar.json")      # its folder cannot be made
    assert lunar_line(dt.date(2020, 5, 23), cache) == "农历庚子年闰四月初一"


def test_segmenter_cache_round_trip(tmp_path):
    path = tmp_path / "segments.json"
    seg = Segmenter(path)
    words = seg.words("柯城吹响奋斗集结号")
    assert "".join(words) == "柯城吹响奋斗集结号" and len(words) > 1
    seg.save()
    again = Segmenter(path)
    assert again.words("柯城吹响奋斗集结号") == words
    # an entry that does not spell the text is recomputed
    data = json.loads(path.read_text(encoding="utf-8"))
    data = {k: ["错"] for k in data}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert Segmenter(path).words("柯城吹响奋斗集结号") == words


def test_warm_render_imports_neither_jieba_nor_lunar_python(tmp_path):
    """With the caches filled, a render of 1640 does not import lunar-python or jieba."""
    env = dict(os.environ, KECHENG_CACHE_DIR=str(tmp_path / "cache"))
    code = ("import sys, render\n"
            "rc = render.main(['1640', '-o', sys.argv[1]])\n"
            "print(rc, 'lunar_python' in sys.modules, 'jieba' in sys.modules)\n")
    runs = [subprocess.run([sys.executable, "-c", code, str(tmp_path / f"{i}.pdf")], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=300) for i in range(2)]
    first, second = (r.stdout.strip().splitlines()[-1].split() for r in runs)
    assert first == ["0", "True", "True"], runs[0].stderr        # empty caches: both computed
    assert second == ["0", "False", "False"], runs[1].stderr     # warm: neither imported
    assert (tmp_path / "0.pdf").read_bytes() == (tmp_path / "1.pdf").read_bytes()


def test_vertical_shapes_kept_and_read_back_the_same(tmp_path):
    """A vertical headline's shaped units kept on disk read back as shaped (same glyphs and
    positions); an entry of another form is shaped again."""
    from layout.compose import vertical
    from layout.compose.model import Span
    from layout.fonts.face import load_face

    face = load_face(ROOT / "fonts" / "NotoSerifCJKsc-Black.otf")
    faces, key = {face.key: face}, face.key
    spans = [Span("区领导“挂联”服务组2020年工作汇报会召开，。", key, 24.0)]
    fresh = vertical.set_vertical(spans, 400.0, faces, quotes="corner")
    cache = JsonCache(tmp_path / "vertical.json")
    first = vertical.set_vertical(spans, 401.0, faces, quotes="corner", shapes=cache)
    cache.save()
    stored = json.loads((tmp_path / "vertical.json").read_text(encoding="utf-8"))
    assert len(stored) == 1
    vertical._shaped_units.cache_clear()
    vertical._set.cache_clear()
    again = vertical.set_vertical(spans, 400.0, faces, quotes="corner", shapes=JsonCache(tmp_path / "vertical.json"))
    assert again == fresh and first.lines[0].glyphs[:3] == fresh.lines[0].glyphs[:3]
    # a broken entry: shaped again, the same
    (tmp_path / "vertical.json").write_text(json.dumps({k: [{"start": "x"}] for k in stored}), encoding="utf-8")
    vertical._shaped_units.cache_clear()
    vertical._set.cache_clear()
    assert vertical.set_vertical(spans, 400.0, faces, quotes="corner",
                                 shapes=JsonCache(tmp_path / "vertical.json")) == fresh
