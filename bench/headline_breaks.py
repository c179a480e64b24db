"""Does word segmentation help headline breaks? (issue 5: "measure whether it helps")

    python -m bench.headline_breaks

Takes every headline and deck of issue 1640 and of a generated 30-page test issue (test copy),
sets each in 2 and 3 lines at widths where it needs them, once greedily (fill each line, break
anywhere the prohibition rules allow: what a plain composer does) and once with the engine's
breaker (layout/place/headline.py: units from jieba, quoted phrases whole, balanced lines), and
counts, over all those settings: breaks inside a word (word = jieba's segmentation with the
engine's units), lines of one character, last lines under half the longest line.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def greedy(text: str, lines: int, measure: int) -> list[str] | None:
    from layout.compose.charclass import no_end, no_start      # the GB prohibitions
    out, i = [], 0
    while i < len(text):
        j = min(len(text), i + measure)
        while j < len(text) and j > i + 1 and (no_start(text[j], "gb") or no_end(text[j - 1], "gb")):
            j -= 1
        out.append(text[i:j])
        i = j
    return out if len(out) == lines else None


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from layout.load.issue import load_issue
    from layout.place.headline import Segmenter, best_breaks, units
    from tools.gen_issue import generate

    texts = []
    for path in [ROOT / "issues" / "1640" / "issue.yaml"]:
        issue = load_issue(path)
        texts += [t for s in issue.stories.values() for t in (s.headline, s.deck) if t]
    with tempfile.TemporaryDirectory() as tmp:
        issue = load_issue(generate(Path(tmp), pages=30, stories_per_page=(3, 6), seed=4))
        texts += [t.replace("【测试稿】", "") for s in issue.stories.values() for t in (s.headline, s.deck, s.kicker)
                  if t]
    seg = Segmenter(Path(tempfile.gettempdir()) / "kecheng-bench-segments.json")
    stats = {"greedy": [0, 0, 0, 0], "engine": [0, 0, 0, 0]}   # settings, in-word breaks, lone chars, stubs
    for text in texts:
        parts = units(seg.words(text))
        bounds, pos = set(), 0
        for p in parts:
            pos += len(p)
            bounds.add(pos)
        for lines in (2, 3):
            for measure in range(-(-len(text) // lines), -(-len(text) // (lines - 1)) if lines > 1 else len(text)):
                for name, result in (("greedy", greedy(text, lines, measure)),
                                     ("engine", best_breaks(parts, lines, measure, len))):
                    if not result:
                        continue
                    st = stats[name]
                    st[0] += 1
                    pos = 0
                    for ln in result[:-1]:
                        pos += len(ln)
                        st[1] += pos not in bounds
                    st[2] += any(len(ln) == 1 for ln in result)
                    st[3] += len(result[-1]) < 0.5 * max(len(ln) for ln in result)
    print(f"{len(texts)} headlines, decks and kickers; settings in 2 and 3 lines at every width that needs them")
    print("| breaker | settings | breaks inside a word | settings with a one-character line | with a stub last line |")
    print("|---|---:|---:|---:|---:|")
    for name, (n, inword, lone, stub) in stats.items():
        label = "greedy (break anywhere allowed)" if name == "greedy" else "engine (jieba units, balanced)"
        print(f"| {label} | {n} | {inword} ({100.0 * inword / max(n, 1):.0f}%) | {lone} | {stub} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
